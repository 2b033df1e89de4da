import { HttpClient } from '@angular/common/http';
import { inject, Injector } from '@angular/core';

/** What an Angular injector shows of itself at run time (`R3Injector`): its parent and its providers. */
interface InjectorRecords {
  readonly parent?: unknown;
  readonly records?: unknown;
}

/**
 * Whether some injector from this one up has a provider of `HttpClient` of its own, as
 * `provideHttpClient()` gives it; `undefined` when the injectors do not show their providers
 * (an Angular that keeps them otherwise), so that nothing is claimed then.
 */
function hasHttpClientProvider(start: unknown): boolean | undefined {
  for (let injector = start as InjectorRecords | undefined; injector && typeof injector === 'object'; injector = injector.parent as InjectorRecords | undefined) {
    if (!('records' in injector)) return injector.parent === undefined ? false : undefined;
    if (!(injector.records instanceof Map)) return undefined;
    if (injector.records.get(HttpClient)) return true;
  }
  return false;
}

/**
 * Whether no `provideHttpClient()` is among the providers of the current injection context or
 * those above it. Call it before anything injects `HttpClient` there: Angular 21 creates its root
 * `HttpClient` provider on first use, after which it cannot be told from one that
 * `provideHttpClient()` gave. `false` when the injectors do not show their providers.
 *
 * ## Example
 * ```ts
 * const unprovided = lacksProvideHttpClient();
 * const http = inject(HttpClient);
 * if (unprovided) warnWithoutProvideHttpClient();
 * ```
 *
 * @return `true` when no injector from here up has a provider of `HttpClient` of its own.
 */
export function lacksProvideHttpClient(): boolean {
  return hasHttpClientProvider(inject(Injector)) === false;
}

let warned = false;

/**
 * Warns once, on the console, that the `HttpClient` transport sends through an `HttpClient` that
 * no `provideHttpClient()` provided ({@link lacksProvideHttpClient}): Angular 21 then gives a
 * plain one from root, with none of the app's interceptors (`withInterceptors([…])` is a feature
 * of `provideHttpClient()`), so a relay that wants the session an interceptor adds answers 401
 * and nothing says why.
 *
 * ## Example
 * ```ts
 * if (unprovided) warnWithoutProvideHttpClient(); // console.warn('provideAnthropic(): no provideHttpClient() …') at most once
 * ```
 */
export function warnWithoutProvideHttpClient(): void {
  if (warned) return;
  warned = true;
  console.warn(
    'provideAnthropic(): no provideHttpClient() is among the providers, so the Anthropic requests go through the plain HttpClient Angular ' +
      'provides in root, and the interceptors of your app will not apply to them. Add provideHttpClient(withFetch(), withInterceptors([…])) ' +
      "to the providers of provideAnthropic() (app.config.ts), or pass transport: 'fetch' to send with fetch on purpose.",
  );
}
