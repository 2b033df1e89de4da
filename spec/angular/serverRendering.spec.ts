// First: Angular's packages need @angular/compiler before they load (the components here are compiled at run time).
import '@angular/compiler';
import { AsyncPipe } from '@angular/common';
import { provideHttpClient, withFetch } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import {
  ChangeDetectionStrategy,
  Component,
  makeStateKey,
  mergeApplicationConfig,
  reflectComponentType,
  provideZonelessChangeDetection,
  RendererFactory2,
  REQUEST,
  TransferState,
  type ApplicationConfig,
  type Provider,
  type Type,
} from '@angular/core';
import { getTestBed, TestBed, TestComponentRenderer } from '@angular/core/testing';
import { bootstrapApplication, type BootstrapContext } from '@angular/platform-browser';
import { BrowserTestingModule, platformBrowserTesting } from '@angular/platform-browser/testing';
import { provideServerRendering, renderApplication } from '@angular/platform-server';
import { textSnapshots } from 'rx-anthropic';
import { injectAnthropicClient, injectChatStore, messageText, provideAnthropic, type AnthropicOptions, type ChatStore } from 'rx-anthropic/angular';
import { createMockServer, textReply, type MockServer } from 'rx-anthropic/testing';
import { appConfig } from './walkthrough/src/app/app.config';
import { Chat } from './walkthrough/src/app/chat';

/**
 * `provideAnthropic()` in a server render: Angular's own server platform (`@angular/platform-server`,
 * its DOM, `REQUEST` as `@angular/ssr` provides it), the components the docs show, and a mock API
 * that counts what it receives. Nothing here fakes the document.
 */

const PARAMS = { model: 'claude-sonnet-4-6', max_tokens: 256 };

@Component({
  selector: 'app-root',
  imports: [AsyncPipe],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `<p class="haiku">{{ haiku$ | async }}</p>`,
})
class Haiku {
  readonly haiku$ = injectAnthropicClient()
    .messages.stream({ ...PARAMS, messages: [{ role: 'user', content: 'A haiku about streams' }] })
    .pipe(textSnapshots());
}

@Component({
  selector: 'app-root',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    @for (message of chat.messages(); track $index) {
      <p [class]="message.role">{{ messageText(message) }}</p>
    }
    <p class="status">{{ chat.status() }}</p>
    @if (chat.error()) {
      <p class="error">{{ chat.error() }}</p>
    }
  `,
})
class Greeting {
  readonly chat = injectChatStore();
  readonly messageText = messageText;
  constructor() {
    this.chat.send('Greet the visitor');
  }
}

/** The state Angular serialised into a server-rendered page (its `ng-state` script). */
function pageStateOf(html: string): Record<string, unknown> {
  const script = /<script id="ng-state" type="application\/json">(.*?)<\/script>/s.exec(html)?.[1];
  if (script === undefined) throw new Error(`the page has no ng-state script: ${html}`);
  return JSON.parse(script) as Record<string, unknown>;
}

/**
 * Creates `make()` in the injection context of a browser app of the same configuration
 * (`onServer: 'send'`, `HttpTestingController` catching any request), whose `TransferState` is
 * what the page brought; answers it once its replies have settled.
 */
async function inBrowser<T extends { chat: ChatStore }>(pageState: Record<string, unknown>, make: () => T): Promise<T & { httpTesting: HttpTestingController }> {
  const serverMode = (globalThis as { ngServerMode?: boolean }).ngServerMode;
  (globalThis as { ngServerMode?: boolean }).ngServerMode = false;
  try {
    if (!getTestBed().platform) TestBed.initTestEnvironment(BrowserTestingModule, platformBrowserTesting());
    TestBed.overrideProvider(TestComponentRenderer, { useValue: new TestComponentRenderer() });
    TestBed.overrideProvider(RendererFactory2, { useValue: null });
    const transferState = (): TransferState => {
      const state = new TransferState();
      for (const [key, value] of Object.entries(pageState)) state.set(makeStateKey(key), value);
      return state;
    };
    TestBed.configureTestingModule({
      providers: [
        provideZonelessChangeDetection(),
        provideHttpClient(),
        provideHttpClientTesting(),
        { provide: TransferState, useFactory: transferState },
        provideAnthropic({ baseURL: `${server.baseURL}/`, onServer: 'send', params: PARAMS }),
      ],
    });
    const made = TestBed.runInInjectionContext(make);
    await new Promise((resolve) => setTimeout(resolve, 10));
    return Object.assign(made, { httpTesting: TestBed.inject(HttpTestingController) });
  } finally {
    (globalThis as { ngServerMode?: boolean }).ngServerMode = serverMode;
  }
}

@Component({
  selector: 'app-root',
  template: `<p class="base-url">{{ baseURL }}</p>`,
})
class BaseURL {
  readonly baseURL = injectAnthropicClient().baseURL;
}

let server: MockServer;
beforeEach(async () => {
  server = await createMockServer(() => textReply('Streams flow by.'));
});
afterEach(() => server.close());

const selectorOf = (component: Type<unknown>): string => reflectComponentType(component)?.selector ?? 'app-root';

/**
 * Renders `component` as a server would (`provideServerRendering()` over `config`), for a request
 * to `/chat` of the mock server's origin unless `withRequest` is false (prerendering).
 */
function renderWith(config: ApplicationConfig, component: Type<unknown>, { withRequest = true } = {}): Promise<string> {
  const url = `${server.baseURL}/chat`;
  const platformProviders: Provider[] = withRequest ? [{ provide: REQUEST, useValue: new Request(url) }] : [];
  return renderApplication((context: BootstrapContext) => bootstrapApplication(component, mergeApplicationConfig(config, { providers: [provideServerRendering()] }), context), {
    document: `<html><head></head><body><${selectorOf(component)}></${selectorOf(component)}></body></html>`,
    url,
    platformProviders,
    allowedHosts: ['127.0.0.1'],
  });
}

/** Renders `component` with the walkthrough's app.config.ts (docs/angular.md: `baseURL: '/api'`, interceptors) and no change for the server. */
const renderDocsApp = (component: Type<unknown>, options: { withRequest?: boolean } = {}) => renderWith(appConfig, component, options);

/** Renders `component` with a config of its own: `baseURL: '/'` reaches the mock server from the request's origin. */
const render = (component: Type<unknown>, options: AnthropicOptions, renderOptions: { withRequest?: boolean } = {}) =>
  renderWith(
    { providers: [provideZonelessChangeDetection(), provideHttpClient(withFetch()), provideAnthropic({ params: PARAMS, ...options })] },
    component,
    renderOptions,
  );

describe('provideAnthropic() when rendering on the server', () => {
  it.each([
    ['the async pipe', Haiku],
    ['the walkthrough’s chat', Chat],
    ['a chat store that sends at once', Greeting],
  ])('renders %s on the docs’ configuration, and sends nothing until the browser', async (_name, component) => {
    const html = await renderDocsApp(component);
    expect(html).toMatch(/<app-(root|chat)[^>]*>.*<\/app-(root|chat)>/s);
    expect(server.requests).toHaveLength(0);
  });

  it('renders the walkthrough’s chat as a page: its form, no reply yet', async () => {
    const html = await renderDocsApp(Chat);
    expect(html).toContain('<input name="prompt" placeholder="Ask something">');
    expect(html).toContain('<small>0 output tokens</small>');
  });

  it('resolves the baseURL path against the request’s URL, and leaves it a path without a request', async () => {
    expect(await renderDocsApp(BaseURL)).toContain(`<p class="base-url">${server.baseURL}/api</p>`);
    expect(await renderDocsApp(BaseURL, { withRequest: false })).toContain('<p class="base-url">/api</p>');
  });

  it('renders without a request (prerendering), and sends nothing', async () => {
    const html = await renderDocsApp(Greeting, { withRequest: false });
    expect(html).toContain('<p class="user">Greet the visitor</p>');
    expect(html).toContain('<p class="status">streaming</p>');
    expect(server.requests).toHaveLength(0);
  });

  it("with onServer: 'send', sends once, resolving the path against the request, and puts the reply in the page and its state", async () => {
    const html = await render(Greeting, { baseURL: '/', onServer: 'send' });
    expect(server.requests).toHaveLength(1);
    expect(server.requests[0]?.path).toBe('/v1/messages');
    expect(html).toContain('<p class="assistant">Streams flow by.</p>');
    expect(html).toContain('<p class="status">done</p>');
    const transferred = Object.values(pageStateOf(html));
    expect(transferred).toEqual([{ status: 200, statusText: 'OK', headers: expect.any(Object), body: expect.stringContaining('event: message_stop') }]);
    // The headers the client reads, and none of the connection's.
    const headers = (transferred[0] as { headers: Record<string, string> }).headers;
    expect(headers).toMatchObject({ 'content-type': expect.stringMatching(/^text\/event-stream/), 'request-id': 'req_mock_1' });
    expect(Object.keys(headers).filter((name) => !/^(content-type|request-id|anthropic-ratelimit-.*)$/.test(name))).toEqual([]);
  });

  it("with onServer: 'send' and no request to resolve a path against, renders, and the request fails saying how to fix it", async () => {
    const html = await render(Greeting, { baseURL: '/api', onServer: 'send' }, { withRequest: false });
    expect(server.requests).toHaveLength(0);
    expect(html).toContain('<p class="status">error</p>');
    expect(html).toMatch(/<p class="error">InvalidArgumentError: provideAnthropic\(\): the baseURL '\/api' is a path, and there is no http\(s\) request to resolve it against .*give an absolute baseURL for the server/);
  });

  it("with onServer: 'send', the browser replays the reply the page holds, and sends nothing again", async () => {
    const html = await render(Greeting, { baseURL: '/', onServer: 'send' });
    const pageState = pageStateOf(html);

    // The same app, as the browser boots it from that page (Angular's state script read into TransferState).
    const { chat, httpTesting } = await inBrowser(pageState, () => new Greeting());
    expect(chat.status()).toBe('done');
    expect(chat.messages().map(messageText)).toEqual(['Greet the visitor', 'Streams flow by.']);
    httpTesting.verify();
    expect(server.requests).toHaveLength(1);
  });
});
