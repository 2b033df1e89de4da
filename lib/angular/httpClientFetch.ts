import { HttpContext, type HttpClient } from '@angular/common/http';
import { ANTHROPIC_REQUEST } from './anthropicRequest';
import { fetchRequestParts } from './fetchRequestParts';
import { responseFromHttpEvents } from './responseFromHttpEvents';

/**
 * Options of {@link httpClientFetch}.
 *
 * ## Example
 * ```ts
 * const options: HttpClientFetchOptions = { context: new HttpContext().set(CACHE_BYPASS, true) };
 * createClient({ baseURL: '/api', fetch: httpClientFetch(inject(HttpClient), options) });
 * ```
 */
export interface HttpClientFetchOptions {
  /** The `HttpContext` of every request, for the app's interceptors; `ANTHROPIC_REQUEST` is set in it. */
  context?: HttpContext;
}

/** A context of its own for each request (interceptors may set values in it), copied from the caller's. */
function requestContext(base: HttpContext | undefined): HttpContext {
  const context = new HttpContext();
  for (const token of base?.keys() ?? []) context.set(token, base!.get(token));
  return context.set(ANTHROPIC_REQUEST, true);
}

/**
 * A `fetch` that sends its requests through Angular's `HttpClient`: give it to `createClient` and
 * the client's requests pass the app's interceptors and can be answered by `HttpTestingController`.
 *
 * Each call sends one `HttpClient` request at once (so a test finds it right after subscribing) with `observe: 'events'`, `reportProgress: true` and
 * `responseType: 'text'`, and resolves with a `Response` as soon as the response begins; its body
 * streams the text as the download progress events bring it (with `provideHttpClient(withFetch())`
 * in the browser, chunk by chunk; with the default XHR backend too, from `responseText`). The
 * client then does what it does with the global `fetch`: retries, the timeout, typed errors for
 * error statuses (an `HttpErrorResponse` with a status becomes a response with that status and
 * body), `APIConnectionError` when no response came. Aborting the request's signal, which
 * unsubscribing from the client's Observable does, unsubscribes from `HttpClient`, which aborts the
 * request. The `HttpContext` of every request has {@link ANTHROPIC_REQUEST} set. Angular's
 * `partialText` holds the whole text so far, so a very long response costs more here than with
 * `fetch`; a chat reply does not notice.
 *
 * `provideAnthropic()` uses it unless told `transport: 'fetch'` (and resolves a `baseURL` path
 * for you, on the server too); call it yourself for a client of your own, with an absolute
 * `baseURL`.
 *
 * ## Example
 * ```ts
 * // An absolute baseURL: the same in the browser and on the server, where no document can resolve a path.
 * export const SUPPORT_API_URL = new InjectionToken<string>('support API URL', { providedIn: 'root', factory: () => 'https://support.example/api' });
 * export const SUPPORT_CLIENT = new InjectionToken('support client', {
 *   providedIn: 'root',
 *   factory: () => createClient({ baseURL: inject(SUPPORT_API_URL), fetch: httpClientFetch(inject(HttpClient)) }),
 * });
 * ```
 *
 * @param http The `HttpClient` to send with: `inject(HttpClient)`.
 * @param options The `HttpContext` for the app's interceptors.
 * @return A function with the signature of `fetch`.
 */
export function httpClientFetch(http: HttpClient, options: HttpClientFetchOptions = {}): typeof fetch {
  return (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    try {
      const { url, method, headers, body, signal } = fetchRequestParts(input, init);
      const events = http.request(method, url, { body, headers, context: requestContext(options.context), observe: 'events', reportProgress: true, responseType: 'text' });
      return responseFromHttpEvents(events, signal);
    } catch (error) {
      return Promise.reject(error);
    }
  };
}
