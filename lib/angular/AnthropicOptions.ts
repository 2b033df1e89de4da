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
   * for a proxy on the page's own origin; on the server, relative to the request's URL, Angular's
   * `REQUEST`). Default: `ANTHROPIC_BASE_URL`, then the public API.
   */
  baseURL?: string | null;
  /**
   * How requests are sent. `'httpClient'` (the default): through the `HttpClient` of the injector,
   * so the app's interceptors apply and `HttpTestingController` can answer them; provide it with
   * `provideHttpClient(withFetch(), withInterceptors([…]))` (Angular 21 has a plain one in root
   * without it, without your interceptors, and the client warns once when it sends through that
   * one; Angular 20 has none, and the client says to add it). `'fetch'`: the global `fetch`, or the `fetch` option when given.
   */
  transport?: 'httpClient' | 'fetch';
  /**
   * What the client does while the page renders on the server (`@angular/ssr`, prerendering).
   * `'wait'` (the default): it sends nothing, and its Observables emit nothing until the page runs
   * in the browser, where they send; so every pattern (the `async` pipe, `toSignal`,
   * `injectChatStore()`) makes one request per page view, and the server page shows the state
   * before the reply. `'send'`: it sends while rendering, the render waits for the whole reply,
   * the page holds it, and the browser replays it from `TransferState` instead of sending the same
   * request again. No effect in the browser.
   */
  onServer?: 'wait' | 'send';
  /**
   * Default request params of every chat store under these providers (`model`, `max_tokens`,
   * `system`, …); a store's own `params` override them field by field.
   */
  params?: ChatParams;
}
