import type { SchedulerLike } from 'rxjs';

/**
 * Options of {@link createClient}.
 *
 * ## Example
 * ```ts
 * const options: ClientOptions = { maxRetries: 4, timeout: 60_000, maxConcurrentRequests: 5, rateLimit: 'respect' };
 * const client = createClient(options);
 * ```
 */
export interface ClientOptions {
  /**
   * Sent as `x-api-key`. Left out (`undefined`): the `ANTHROPIC_API_KEY` environment variable.
   * `null`: no key. An empty string is refused: it is almost always a variable that was not set.
   */
  apiKey?: string | null;
  /** Sent as `authorization: Bearer …` instead of an API key. Defaults to `ANTHROPIC_AUTH_TOKEN`; `null` and `''` as for `apiKey`. */
  authToken?: string | null;
  /**
   * An absolute `http:` or `https:` URL, without `user:password@`. Defaults (also when `null`)
   * to `ANTHROPIC_BASE_URL`, then `https://api.anthropic.com`.
   */
  baseURL?: string | null;
  /** Retries of a request before the first byte of its body (connection errors, 408, 409, 429, 5xx), a whole number ≥ 0. Default 2. */
  maxRetries?: number;
  /** Milliseconds (above 0, at most 2^31 - 1) to wait for a response and then between two chunks of its body. Default 10 minutes. */
  timeout?: number;
  /** The `fetch` to send requests with. Defaults to the global one. */
  fetch?: typeof fetch;
  /** Headers sent with every request; a `null` value removes a default one (`anthropic-version`, …), `undefined` is ignored. */
  defaultHeaders?: Record<string, string | null | undefined>;
  /** Allow running in a browser, where the API key would be visible to the page's users. */
  dangerouslyAllowBrowser?: boolean;
  /** The scheduler for retry delays and timeouts (a `VirtualTimeScheduler` in tests). Default `asyncScheduler`. */
  scheduler?: SchedulerLike;
  /**
   * The largest single server-sent event, in characters, that a stream buffers before failing with
   * `StreamDecodeError`; it bounds memory against a peer that never ends a line. Default 32 MiB.
   */
  maxEventSize?: number;
  /**
   * At most this many requests of this client are open at once (a whole number, at least 1);
   * further subscriptions wait in a first-in, first-out queue and start as others end. Default: no limit.
   */
  maxConcurrentRequests?: number;
  /**
   * `'respect'`: when a response says a rate limit is used up (`anthropic-ratelimit-*-remaining: 0`
   * until its `-reset` time) or a 429 asks to `retry-after`, new requests of this client wait
   * (on `scheduler`) instead of failing with 429. Requests already sent are not affected. Default `'ignore'`.
   */
  rateLimit?: 'respect' | 'ignore';
}
