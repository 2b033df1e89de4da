// First: it loads @angular/compiler, which Angular's packages need before they load.
import { configureTestBed } from './support/angularTestBed';
import { HttpClient, provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { createEnvironmentInjector, DOCUMENT, EnvironmentInjector, Injector } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { InvalidArgumentError, type MessageCreateParams } from 'rx-anthropic';
import { ANTHROPIC_CLIENT, ANTHROPIC_OPTIONS, injectAnthropicClient, MissingProviderError, provideAnthropic } from 'rx-anthropic/angular';
import { textSSE } from './support/sseReply';

/** `provideAnthropic()` and `injectAnthropicClient()`: which client a component gets, how it is made, and what a feature can change. */

const params: MessageCreateParams = { model: 'claude-sonnet-4-6', max_tokens: 64, messages: [{ role: 'user', content: 'Hi' }] };
const inject = () => TestBed.runInInjectionContext(() => injectAnthropicClient());
const errorOf = (run: () => unknown): unknown => {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
};

describe('provideAnthropic and injectAnthropicClient', () => {
  it('provides one client per injector, sending through its HttpClient to the baseURL', () => {
    configureTestBed([provideHttpClient(), provideHttpClientTesting(), provideAnthropic({ baseURL: 'https://proxy.test/api', apiKey: null })]);
    const client = inject();
    expect(inject()).toBe(client);
    expect(TestBed.inject(ANTHROPIC_CLIENT)).toBe(client);
    expect(client.baseURL).toBe('https://proxy.test/api');

    const subscription = client.messages.stream(params).subscribe();
    const request = TestBed.inject(HttpTestingController).expectOne('https://proxy.test/api/v1/messages');
    subscription.unsubscribe();
    expect(request.cancelled).toBe(true);
  });

  it('resolves a baseURL path against the document’s base URI', () => {
    configureTestBed([
      { provide: DOCUMENT, useValue: { baseURI: 'https://app.example/chat/' } },
      provideHttpClient(),
      provideHttpClientTesting(),
      provideAnthropic({ baseURL: '/api', apiKey: null }),
    ]);
    expect(inject().baseURL).toBe('https://app.example/api');
  });

  it('refuses a baseURL path with no http(s) document to resolve it against, saying what to do', () => {
    configureTestBed([{ provide: DOCUMENT, useValue: { baseURI: 'about:blank' } }, provideHttpClient(), provideAnthropic({ baseURL: '/api', apiKey: null })]);
    const error = errorOf(inject);
    expect(error).toBeInstanceOf(InvalidArgumentError);
    expect(error).toMatchObject({ argument: 'baseURL' });
    expect((error as Error).message).toMatch(/the baseURL '\/api' is a path, and there is no http\(s\) document .*give an absolute URL/);
  });

  it('says to add provideAnthropic() when there is none', () => {
    configureTestBed([provideHttpClient()]);
    const error = errorOf(inject);
    expect(error).toBeInstanceOf(MissingProviderError);
    expect(error).toMatchObject({ provider: 'provideAnthropic' });
    expect((error as Error).message).toMatch(/^injectAnthropicClient\(\) found no Anthropic client: add provideAnthropic\(/);
  });

  it('says to add provideHttpClient() when no HttpClient can be injected, or to choose fetch', () => {
    // Angular 21 provides a plain HttpClient in root; Angular 20 has none without provideHttpClient().
    configureTestBed([{ provide: HttpClient, useValue: null }, provideAnthropic({ baseURL: 'https://proxy.test/api', apiKey: null })]);
    const error = errorOf(inject);
    expect(error).toBeInstanceOf(MissingProviderError);
    expect(error).toMatchObject({ provider: 'provideHttpClient' });
    expect((error as Error).message).toMatch(/add provideHttpClient\(withFetch\(\)\) .* or pass transport: 'fetch'/);
  });

  it("sends with fetch, and needs no HttpClient, with transport: 'fetch'", async () => {
    const calls: string[] = [];
    const fetch: typeof globalThis.fetch = async (input) => {
      calls.push(String(input));
      return new Response(textSSE('From fetch.'), { headers: { 'content-type': 'text/event-stream' } });
    };
    configureTestBed([provideAnthropic({ baseURL: 'https://proxy.test/api', apiKey: null, transport: 'fetch', fetch })]);
    const events = await new Promise<unknown[]>((resolve, reject) => {
      const seen: unknown[] = [];
      inject().messages.stream(params).subscribe({ next: (event) => seen.push(event), error: reject, complete: () => resolve(seen) });
    });
    expect(calls).toEqual(['https://proxy.test/api/v1/messages']);
    expect(events.length).toBeGreaterThan(3);
  });

  it('does not warn about interceptors when provideHttpClient() is there, above the feature that sends', () => {
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      configureTestBed([provideHttpClient(), provideAnthropic({ baseURL: 'https://proxy.test/api', apiKey: null })]);
      const feature = createEnvironmentInjector([provideAnthropic({ maxRetries: 0 })], TestBed.inject(EnvironmentInjector));
      injectAnthropicClient({ injector: feature });
      inject();
      expect(warn).not.toHaveBeenCalled();
      feature.destroy();
    } finally {
      warn.mockRestore();
    }
  });

  it('warns once, when no provideHttpClient() is among the providers, that the app’s interceptors will not apply', () => {
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      // Angular 21 provides a plain HttpClient in root, without the interceptors of the app.
      configureTestBed([provideAnthropic({ baseURL: 'https://proxy.test/api', apiKey: null })]);
      expect(inject().baseURL).toBe('https://proxy.test/api');
      const feature = createEnvironmentInjector([provideAnthropic({ maxRetries: 0 })], TestBed.inject(EnvironmentInjector));
      injectAnthropicClient({ injector: feature });
      expect(warn).toHaveBeenCalledTimes(1);
      expect(warn.mock.calls[0]?.[0]).toMatch(/^provideAnthropic\(\): no provideHttpClient\(\) .* the interceptors of your app will not apply .* Add provideHttpClient\(withFetch\(\), withInterceptors/);
      feature.destroy();
    } finally {
      warn.mockRestore();
    }
  });

  it('adds up two provideAnthropic() in one injector: the later’s options over the earlier’s, params and headers field by field', () => {
    configureTestBed([
      provideHttpClient(),
      provideHttpClientTesting(),
      provideAnthropic({ baseURL: 'https://proxy.test/api', apiKey: null, defaultHeaders: { 'x-library': 'support-widget' }, params: { model: 'claude-sonnet-4-6', max_tokens: 1024 } }),
      provideAnthropic({ maxRetries: 0, defaultHeaders: { 'x-app': 'shop' }, params: { max_tokens: 256 } }),
    ]);
    expect(TestBed.inject(ANTHROPIC_OPTIONS)).toEqual({
      baseURL: 'https://proxy.test/api',
      apiKey: null,
      maxRetries: 0,
      defaultHeaders: { 'x-library': 'support-widget', 'x-app': 'shop' },
      params: { model: 'claude-sonnet-4-6', max_tokens: 256 },
    });
    const subscription = inject().messages.stream(params).subscribe();
    const sent = TestBed.inject(HttpTestingController).expectOne('https://proxy.test/api/v1/messages');
    expect(sent.request.headers.get('x-library')).toBe('support-widget');
    expect(sent.request.headers.get('x-app')).toBe('shop');
    subscription.unsubscribe();
  });

  it('refuses both a fetch and the HttpClient transport where they are given', () => {
    const error = errorOf(() => provideAnthropic({ transport: 'httpClient', fetch: globalThis.fetch }));
    expect(error).toBeInstanceOf(InvalidArgumentError);
    expect((error as Error).message).toMatch(/keep one/);
  });

  it('fails outside an injection context with Angular’s own error, naming the function', () => {
    configureTestBed([provideHttpClient(), provideAnthropic({ baseURL: 'https://proxy.test/api', apiKey: null })]);
    expect(() => injectAnthropicClient()).toThrow(/injectAnthropicClient\(\) can only be used within an injection context/);
    expect(injectAnthropicClient({ injector: TestBed.inject(Injector) })).toBe(inject());
  });

  it('gives a feature a client of its own: its options over the app’s, params and headers merged', () => {
    configureTestBed([
      provideHttpClient(),
      provideHttpClientTesting(),
      provideAnthropic({ baseURL: 'https://proxy.test/api', apiKey: null, defaultHeaders: { 'x-app': 'chat' }, params: { model: 'claude-sonnet-4-6', max_tokens: 1024 } }),
    ]);
    const feature = createEnvironmentInjector(
      [provideAnthropic({ maxRetries: 0, defaultHeaders: { 'x-feature': 'quick' }, params: { model: 'claude-haiku-4-5' } })],
      TestBed.inject(EnvironmentInjector),
    );
    const appClient = inject();
    const featureClient = injectAnthropicClient({ injector: feature });
    expect(featureClient).not.toBe(appClient);
    expect(featureClient.baseURL).toBe('https://proxy.test/api');
    expect(feature.get(ANTHROPIC_OPTIONS).params).toEqual({ model: 'claude-haiku-4-5', max_tokens: 1024 });
    expect(TestBed.inject(ANTHROPIC_OPTIONS).params).toEqual({ model: 'claude-sonnet-4-6', max_tokens: 1024 });

    const httpTesting = TestBed.inject(HttpTestingController);
    const featureRequest = featureClient.messages.stream(params).subscribe();
    const sent = httpTesting.expectOne('https://proxy.test/api/v1/messages');
    expect(sent.request.headers.get('x-feature')).toBe('quick');
    expect(sent.request.headers.get('x-app')).toBe('chat');
    featureRequest.unsubscribe();

    const appRequest = appClient.messages.stream(params).subscribe();
    const fromApp = httpTesting.expectOne('https://proxy.test/api/v1/messages');
    expect(fromApp.request.headers.has('x-feature')).toBe(false);
    appRequest.unsubscribe();
    feature.destroy();
  });
});
