import type { Observable, SchedulerLike } from 'rxjs';
import type { PhaseTimeouts, RecoveryOptions } from '../recovery/RecoveryOptions';
import type { ClientLog } from '../logging/Logger';

/** What every request of a client shares: where to send it, with what, and how patiently. */
export interface TransportConfig {
  baseURL: string;
  fetch: typeof fetch;
  /** Sent with every request: authentication, version, the client's default headers. */
  headers: Record<string, string>;
  maxRetries: number;
  /** The client's `timeout`: a plain number of milliseconds, or timeouts by phase. */
  timeout: number | PhaseTimeouts;
  /** Where retry delays and timeouts are scheduled; a `VirtualTimeScheduler` in tests. */
  scheduler: SchedulerLike;
  /** The bound on one server-sent event of a stream, given to `fromSSE` (the client's `maxEventSize`). */
  maxEventSize?: number;
  /** Holds requests back before they are sent (the client's `maxConcurrentRequests` and `rateLimit`). */
  gate?: RequestGate;
  /** Whether a stream that drops is resumed through the relay that sent it (the client's `resumeStreams`). */
  resumeStreams?: boolean;
  /**
   * Set for a client that must send credentials but was given none (aimed at the API's own host):
   * the message of the `InvalidArgumentError` that a request without `x-api-key` or
   * `authorization` fails with at subscribe, before it is sent.
   */
  requireCredentials?: string;
  /** The client's logger and level (`logLevel`, `logger`, `ANTHROPIC_LOG`); nothing is logged without it. */
  log?: ClientLog;
  /** The client's recovery options (`continueOnDrop`, `fallback`, `hedge`, `onRecovery`, `timeout`); a request's own override them. */
  recovery?: RecoveryOptions;
}

/**
 * One attempt of a request as its observers hear of it: its number (0 first), method, URL and the
 * headers it is sent with (credentials included: an observer that logs them redacts them).
 *
 * ## Example
 * ```ts
 * const observer: RequestObserver = { attemptStarted: (info: AttemptInfo) => console.log(info.method, info.url, info.attempt) };
 * ```
 */
export interface AttemptInfo {
  readonly attempt: number;
  readonly method: string;
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
}

/**
 * A retry about to be scheduled: the attempt that failed, why (its error), how long the wait is
 * and how many retries are left after this one.
 *
 * ## Example
 * ```ts
 * const observer: RequestObserver = { retrying: (retry: RetryInfo) => console.log(`retry in ${retry.delayMs} ms`, retry.error) };
 * ```
 */
export interface RetryInfo {
  readonly attempt: number;
  readonly error: unknown;
  readonly delayMs: number;
  readonly retriesLeft: number;
}

/**
 * Hears what happens to the attempts of one request, for its log lines and its trace span. Every
 * member is optional; what an observer throws is its own problem (it must not throw).
 *
 * ## Example
 * ```ts
 * const observer: RequestObserver = { retrying: ({ delayMs, error }) => console.log('retry in', delayMs, error) };
 * sendRequest(config, request, options, observer);
 * ```
 */
export interface RequestObserver {
  /** Headers added to every attempt after all others: the trace context (`traceparent`, `tracestate`). */
  attemptHeaders?(): Record<string, string>;
  /** An attempt is about to be sent. */
  attemptStarted?(attempt: AttemptInfo): void;
  /** An attempt was answered, with any status. */
  responded?(response: ResponseInfo): void;
  /** An attempt failed and is to be retried after `delayMs`. */
  retrying?(retry: RetryInfo): void;
  /**
   * The request failed for good: not retryable, retries used up, or after its body had begun
   * (`bodyStarted`: a retry would repeat what was received; a relay's stream may still resume).
   */
  failed?(failure: { readonly attempt: number; readonly error: unknown; readonly retryable: boolean; readonly bodyStarted: boolean }): void;
}

/**
 * What the transport asks of a request queue (`RequestLimiter` in `lib/concurrency`): to start a
 * request when it may, and to hear about every response, whose rate-limit headers may pause it.
 *
 * ## Example
 * ```ts
 * const gate: RequestGate = new RequestLimiter({ maxConcurrent: 4 });
 * gate.limit(client.messages.stream(params)).subscribe();
 * ```
 */
export interface RequestGate {
  /** `request`, subscribed once the gate lets it through; its end frees its place. */
  limit<T>(request: Observable<T>): Observable<T>;
  /** Called with the status and headers of every HTTP response, retries included. */
  observeResponse(response: ResponseInfo): void;
}

/**
 * The response metadata of one HTTP attempt, given to {@link RequestOptions.onResponse}.
 *
 * ## Example
 * ```ts
 * client.messages.stream(params, {
 *   onResponse: (info: ResponseInfo) => console.log(info.status, info.requestId, info.attempt),
 * });
 * ```
 */
export interface ResponseInfo {
  status: number;
  /** The response headers, names in lower case (`request-id`, `anthropic-ratelimit-*`, `retry-after`). */
  headers: Record<string, string>;
  requestId: string | undefined;
  url: string;
  /** 0 for the first attempt, 1 for the first retry, … */
  attempt: number;
}

/**
 * Options of one request, the second argument of `client.messages.stream()` and its siblings.
 *
 * ## Example
 * ```ts
 * const options: RequestOptions = { timeout: 30_000, maxRetries: 0, betas: ['files-api-2025-04-14'], signal: controller.signal };
 * client.messages.stream(params, options);
 * ```
 */
export interface RequestOptions extends RecoveryOptions {
  /** Aborting it cancels the request; the Observable then fails with `APIUserAbortError`. */
  signal?: AbortSignal;
  /** Extra headers for this request; `null` removes a default one. */
  headers?: Record<string, string | null>;
  /**
   * Milliseconds to wait for the response and then between two chunks of its body, or timeouts
   * by phase (`{ firstTokenMs, idleMs, totalMs }`, see `PhaseTimeouts`); replaces the client's
   * `timeout` as a whole. An invalid value fails the request at subscribe with
   * `InvalidArgumentError`, before it is sent.
   */
  timeout?: number | PhaseTimeouts;
  /** Retries before the first byte of the body; overrides the client's `maxRetries`. */
  maxRetries?: number;
  /** Beta features, sent joined in the `anthropic-beta` header. */
  betas?: readonly string[];
  /** Called with the status and headers of every HTTP response, retries and resumes included. */
  onResponse?: (response: ResponseInfo) => void;
  /**
   * For `messages.stream()` (and `toolLoop`) through a relay with resumable streams: reconnect
   * when the connection drops mid-stream, and go on where it broke off. Overrides the client's
   * `resumeStreams` (see there).
   */
  resumeStreams?: boolean;
}

/** One HTTP request as the transport sends it. */
export interface HttpRequest {
  method: 'GET' | 'POST' | 'DELETE';
  /** The path below the base URL, such as `/v1/messages`. */
  path: string;
  body?: string | FormData;
  headers?: Record<string, string>;
  /** The content type the caller can read; another one fails the request with a clear error (`bytes`: any). */
  expect: 'event-stream' | 'json' | 'bytes';
}
