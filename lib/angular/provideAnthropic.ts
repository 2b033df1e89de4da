import { inject, makeEnvironmentProviders, type EnvironmentProviders } from '@angular/core';
import { InvalidArgumentError } from '../errors';
import type { AnthropicOptions } from './AnthropicOptions';
import { ANTHROPIC_OPTION_LAYERS } from './anthropicOptionLayers';
import { ANTHROPIC_CLIENT, ANTHROPIC_OPTIONS } from './anthropicTokens';
import { createAnthropicClient } from './createAnthropicClient';
import { mergeAnthropicOptions } from './mergeAnthropicOptions';

/**
 * Provides an Anthropic client to a standalone app, or to one feature of it: what
 * `injectAnthropicClient()` and `injectChatStore()` use below these providers.
 *
 * The client is created on first use, in this injector: by default it sends its requests through
 * the `HttpClient` of this injector (provide it with `provideHttpClient(withFetch())`), so the
 * app's interceptors apply and `HttpTestingController` answers them in tests; `transport: 'fetch'`
 * uses `fetch` instead. A `baseURL` path such as `'/api'` (a proxy on the page's origin, see
 * `rx-anthropic/proxy`) is resolved against the document's base URI, and on the server against
 * the request's URL. While the page renders on the server, the client sends nothing by default
 * (`onServer: 'wait'`): its Observables wait for the browser, so each page view makes one request;
 * `onServer: 'send'` sends on the server and hands the reply to the browser in `TransferState`. In a browser, give no
 * credentials: the proxy holds the key. With `resumeStreams: true`, a reply (of a chat store, or
 * any stream of the client) that drops mid-stream is resumed through a relay with resumable
 * streams, its resume going through the same `HttpClient`; a reply left early (Stop) asks the
 * relay to stop it, with or without that option.
 *
 * Given twice in one injector's providers (a library's defaults and the app's own), the two add up
 * as a feature's do: the later call's options over the earlier's. Given again in a route's `providers`, it makes that feature a client of its own, from the app's
 * options with these over them (`params` and `defaultHeaders` merged field by field), so a feature
 * can change the model, the headers or the retries and inherit the rest.
 *
 * ## Example
 * ```ts
 * export const appConfig: ApplicationConfig = {
 *   providers: [
 *     provideZonelessChangeDetection(),
 *     provideHttpClient(withFetch(), withInterceptors([proxyAuth])),
 *     provideAnthropic({ baseURL: '/api', params: { model: 'claude-sonnet-4-6', max_tokens: 1024 } }),
 *   ],
 * };
 * // a feature with a faster model and no retries:
 * export const routes: Routes = [{ path: 'quick', component: QuickChat, providers: [provideAnthropic({ maxRetries: 0, params: { model: 'claude-haiku-4-5' } })] }];
 * ```
 *
 * @param options The client's options, the transport, and the default params of chat stores.
 * @return Environment providers for `bootstrapApplication`, `ApplicationConfig` or a route.
 * @throws InvalidArgumentError when both `transport: 'httpClient'` and a `fetch` are given.
 * @see injectAnthropicClient
 * @see injectChatStore
 */
export function provideAnthropic(options: AnthropicOptions = {}): EnvironmentProviders {
  if (options.transport === 'httpClient' && options.fetch !== undefined) {
    throw new InvalidArgumentError('transport', "provideAnthropic() was given transport: 'httpClient' and a fetch function: keep one (the fetch is used with transport: 'fetch').");
  }
  return makeEnvironmentProviders([
    { provide: ANTHROPIC_OPTION_LAYERS, useValue: options, multi: true },
    {
      provide: ANTHROPIC_OPTIONS,
      useFactory: () =>
        inject(ANTHROPIC_OPTION_LAYERS, { self: true }).reduce<AnthropicOptions | null>(
          (merged, layer) => mergeAnthropicOptions(merged, layer),
          inject(ANTHROPIC_OPTIONS, { skipSelf: true, optional: true }),
        ) ?? {},
    },
    { provide: ANTHROPIC_CLIENT, useFactory: () => createAnthropicClient(inject(ANTHROPIC_OPTIONS)) },
  ]);
}
