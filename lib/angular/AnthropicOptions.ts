import type { ClientOptions } from '../client/ClientOptions';
import type { ChatParams } from './ChatStore';

/**
 * Options of {@link provideAnthropic}: the client's options, how it sends requests, and the
 * default request params of the chat stores below.
 *
 * ## Example
 * ```ts
 * const options: AnthropicOptions = {
 *   baseURL: '/api', // your proxy, resolved against the page's base URI
 *   maxRetries: 1,
 *   params: { model: 'claude-sonnet-4-6', max_tokens: 1024 },
 * };
 * bootstrapApplication(AppComponent, { providers: [provideHttpClient(withFetch()), provideAnthropic(options)] });
 * ```
 */
export interface AnthropicOptions extends Omit<ClientOptions, 'baseURL'> {
  /**
   * Where the Messages API is: an absolute URL, or one relative to the document's base URI (`'/api'`
   * for a proxy on the page's own origin). Default: `ANTHROPIC_BASE_URL`, then the public API.
   */
  baseURL?: string | null;
  /**
   * How requests are sent. `'httpClient'` (the default): through the `HttpClient` of the injector,
   * so the app's interceptors apply and `HttpTestingController` can answer them; provide it with
   * `provideHttpClient(withFetch(), withInterceptors([…]))` (Angular 21 has a plain one in root
   * without it, Angular 20 none). `'fetch'`: the global `fetch`, or the `fetch` option when given.
   */
  transport?: 'httpClient' | 'fetch';
  /**
   * Default request params of every chat store under these providers (`model`, `max_tokens`,
   * `system`, …); a store's own `params` override them field by field.
   */
  params?: ChatParams;
}
