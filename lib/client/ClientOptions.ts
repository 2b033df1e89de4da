import type { SchedulerLike } from 'rxjs';
import type { RequestLimiter } from '../concurrency/RequestLimiter';
import type { Logger, LogLevel } from '../logging/Logger';
import type { Telemetry } from '../telemetry/Telemetry';
import type { PhaseTimeouts, RecoveryOptions } from '../recovery/RecoveryOptions';

/**
 * Options of {@link createClient}.
 *
 * ## Example
 * ```ts
 * const options: ClientOptions = { maxRetries: 4, timeout: 60_000, maxConcurrentRequests: 5, rateLimit: 'respect' };
 * const client = createClient(options);
 *
 * // Or one limiter for several clients (or, from rx-anthropic/redis, for several processes):
 * const limiter = new LocalRequestLimiter({ maxConcurrent: 5, rateLimit: 'respect' });
 * const shared: ClientOptions = { limiter };
 * ```
 */
export interface ClientOptions extends RecoveryOptions {
  /**
   * Sent as `x-api-key`. Left out (`undefined`): the `ANTHROPIC_API_KEY` environment variable.
   * `null`: no key. An empty string is refused: it is almost always a variable that was not set.
   * Aimed at the API itself (the default `baseURL`), a client with neither a key nor an
   * `authToken` fails each request at subscribe with `InvalidArgumentError`, before sending it; a
   * client aimed at a relay needs none.
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
  /**
   * Milliseconds (above 0, at most 2^31 - 1) to wait for a response and then between two chunks
   * of its body; a firing before the first byte is retried (`maxRetries`). Default 10 minutes.
   *
   * Or timeouts by phase, `{ firstTokenMs, idleMs, totalMs }` (each optional, each as the plain
   * number, unknown keys refused): no content within `firstTokenMs` of the request going out
   * (streams), nothing received for `idleMs` (pings count), not finished within `totalMs`
   * (retries, continuations, hedge and fallbacks included). Each fails with `APITimeoutError`
   * whose `phase` names it; see {@link PhaseTimeouts} and docs/reliability.md. A request's own
   * `timeout` replaces this one as a whole.
   *
   * ## Example
   * ```ts
   * const client = createClient({ timeout: { firstTokenMs: 10_000, idleMs: 30_000, totalMs: 300_000 } });
   * ```
   */
  timeout?: number | PhaseTimeouts;
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
   * Resume a stream that drops, through a relay with resumable streams (`rx-anthropic/proxy`),
   * instead of failing. Default `false`; a request's own `resumeStreams` overrides it.
   *
   * Such a relay names each stream in an `x-stream-id` header and numbers its events. When the
   * body of `messages.stream()` breaks off (`APIConnectionError`, or the `timeout` between two
   * chunks), the same Observable reconnects to `GET {baseURL}/streams/{id}` with `Last-Event-ID:`
   * the last event received whole, and goes on: an event cut in half comes again whole, one
   * received already is dropped, so every operator (`textDeltas()`, `finalMessage()`, `toolLoop`,
   * …) sees each event once and one `message_stop`. Attempts wait 0.5, 1, 2, 4 and 8 s (each up to
   * a quarter less, at random) on `scheduler`; after 5 in a row without a new event, or when the
   * relay answers anything but 2xx (404: the stream expired or is not yours), the Observable fails
   * with the original drop error, its message saying why it was not resumed and its `cause` the
   * resume's failure. A response without `x-stream-id` (the API itself) fails as it always did.
   * `messages.streamBody()` does not resume. Only `fetch` is used, in browsers and Node alike.
   *
   * Whatever this option, leaving such a stream before its end (unsubscribing, aborting, or a
   * drop that is not resumed) sends `DELETE {baseURL}/streams/{id}` (with the client's headers,
   * `keepalive`, its failure ignored), so that the relay stops the request upstream instead of
   * reading the rest of the answer for nobody.
   *
   * ## Example
   * ```ts
   * const client = createClient({ baseURL: 'https://relay.example/api', apiKey: null, resumeStreams: true });
   * // A phone that changes networks mid-answer: the text goes on, with nothing lost or repeated.
   * client.messages.stream(params).pipe(textDeltas()).subscribe((text) => output.append(text));
   * ```
   */
  resumeStreams?: boolean;
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
  /**
   * The limiter every request of this client goes through, instead of one built from
   * `maxConcurrentRequests` and `rateLimit` (so it cannot be given with them): a
   * `LocalRequestLimiter` shared by several clients, a `redisRequestLimiter` (from
   * `rx-anthropic/redis`) shared by several processes, or any object with `limit` and
   * `observeResponse`. Its own options decide the limit and whether rate limits pause it. Default:
   * none, or the one `maxConcurrentRequests` and `rateLimit` ask for.
   */
  limiter?: RequestLimiter;
  /**
   * Where the client's warnings go instead of `console.warn`: a request that names a deprecated
   * model (see `DEPRECATED_MODELS`) warns once per model and process, with the model, its end of
   * life and a link to the deprecation page. `() => {}` silences them. Default `console.warn`.
   *
   * "Once" is counted for each destination: every client on `console.warn` shares one count, and
   * a client with its own `onWarning` neither uses it up nor is kept quiet by it.
   */
  onWarning?: (message: string) => void;
  /**
   * How much the client logs to `logger`: `'off'`, `'error'`, `'warn'`, `'info'` (each request's
   * outcome, each retry with its reason and wait) or `'debug'` (also each request's method, URL
   * and headers, and each response's status and headers). Defaults to the `ANTHROPIC_LOG`
   * environment variable, then `'warn'`, as in the official SDK. Credentials (`x-api-key`,
   * `authorization`, …) are logged as `***`, and no level logs a message's content: neither the
   * request's `messages` or `system` nor the response's text.
   */
  logLevel?: LogLevel;
  /** Where log lines go: an object with `error`, `warn`, `info` and `debug` functions. Default `console`. */
  logger?: Logger;
  /**
   * Where the client's traces go: `openTelemetry()` from `rx-anthropic/otel` makes an
   * OpenTelemetry span of each request (GenAI conventions), of each tool loop, its turns and its
   * tool runs, and sends the trace context (`traceparent`) with each request. Default: none, and
   * the main entry never loads `@opentelemetry/api`. See docs/observability.md.
   *
   * ## Example
   * ```ts
   * import { openTelemetry } from 'rx-anthropic/otel';
   * const client = createClient({ telemetry: openTelemetry() });
   * ```
   */
  telemetry?: Telemetry;
}
