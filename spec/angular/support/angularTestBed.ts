/**
 * TestBed for the specs of `rx-anthropic/angular`, in jest's `node` environment (no DOM).
 *
 * Angular's packages are partially compiled: loading `@angular/compiler` first lets them finish
 * compiling at run time (the Angular CLI does it at build time instead), so a spec imports this
 * file before anything of Angular. The environment is the browser testing one, with the two
 * providers that would touch `document` overridden before each test: these specs render no
 * component, so the test component renderer does nothing and no renderer is needed
 * (`ApplicationRef.tick()` runs the effects and has no view to render). A spec then configures
 * TestBed as an Angular app's spec does.
 */
import '@angular/compiler';
import { provideZonelessChangeDetection, RendererFactory2, type EnvironmentProviders, type Provider } from '@angular/core';
import { getTestBed, TestBed, TestComponentRenderer } from '@angular/core/testing';
import { BrowserTestingModule, platformBrowserTesting } from '@angular/platform-browser/testing';

if (!getTestBed().platform) TestBed.initTestEnvironment(BrowserTestingModule, platformBrowserTesting());

beforeEach(() => {
  TestBed.overrideProvider(TestComponentRenderer, { useValue: new TestComponentRenderer() });
  TestBed.overrideProvider(RendererFactory2, { useValue: null });
});

/** Configures TestBed for one test: zoneless change detection and the providers given. */
export function configureTestBed(providers: (Provider | EnvironmentProviders)[]): void {
  TestBed.configureTestingModule({ providers: [provideZonelessChangeDetection(), ...providers] });
}
