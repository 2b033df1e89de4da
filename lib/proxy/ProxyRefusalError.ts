import { AnthropicError } from '../errors';

/** The API's error `type` for each status the proxy refuses with. */
const ERROR_TYPES: Readonly<Record<number, string>> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  403: 'permission_error',
  404: 'not_found_error',
  408: 'timeout_error',
  413: 'request_too_large',
  429: 'rate_limit_error',
  503: 'overloaded_error',
};

/**
 * The third argument of {@link ProxyRefusalError}'s constructor: the error type, or that and when to retry.
 *
 * ## Example
 * ```ts
 * throw new ProxyRefusalError(429, 'Too many requests from this account.', { retryAfterSeconds: 30 });
 * ```
 */
export interface ProxyRefusalDetails {
  /** The error type; by default the API's for the status. */
  type?: string;
  /** Sent as `retry-after` (whole seconds, at least 1): when the browser may try again. */
  retryAfterSeconds?: number;
}

/**
 * A request the proxy refuses before anything goes upstream: the status and message the browser gets.
 * A 4xx, or 503 when the relay is full.
 *
 * The proxy throws it for its own checks (bad JSON, a model not allowed, `max_tokens` over the
 * cap, a limit reached); the `authorize` and `prepare` hooks throw it to refuse with a status and
 * message of their choice. The browser receives `status` and the API's error shape,
 * `{"type":"error","error":{"type","message"}}`, so a client there fails with the matching typed
 * error (`BadRequestError`, `AuthenticationError`, `PermissionDeniedError`, `RateLimitError`, …).
 *
 * ## Example
 * ```ts
 * createProxyHandler({
 *   client: createClient(),
 *   authorize: (request) => {
 *     const session = sessions.get(String(request.headers['authorization']));
 *     if (!session) return false; // 401 authentication_error
 *     if (session.plan === 'free') throw new ProxyRefusalError(403, 'The free plan cannot use the assistant.');
 *     if (session.suspendedFor) throw new ProxyRefusalError(429, 'Paused for a while.', { retryAfterSeconds: session.suspendedFor });
 *     return { user: session.userId };
 *   },
 * });
 * ```
 */
export class ProxyRefusalError extends AnthropicError {
  /** The HTTP status answered: a 4xx, or 503. */
  readonly status: number;
  /** The API's error type sent in the body (`permission_error`, …). */
  readonly type: string;
  /** The `retry-after` header sent with it, in seconds, if any. */
  readonly retryAfterSeconds: number | undefined;

  /**
   * @param status A 4xx status, or 503.
   * @param message What was wrong, for the browser's user: it is sent as is.
   * @param details The error type (by default the API's for `status`, `invalid_request_error` for an unlisted one), or that and `retryAfterSeconds`.
   */
  constructor(status: number, message: string, details: string | ProxyRefusalDetails = {}) {
    if (!Number.isInteger(status) || ((status < 400 || status > 499) && status !== 503)) {
      throw new RangeError(`ProxyRefusalError needs a 4xx status (or 503), got ${status} (for "${message}").`);
    }
    super(message);
    const { type, retryAfterSeconds } = typeof details === 'string' ? { type: details, retryAfterSeconds: undefined } : details;
    this.status = status;
    this.type = type ?? ERROR_TYPES[status] ?? 'invalid_request_error';
    this.retryAfterSeconds = retryAfterSeconds === undefined ? undefined : Math.max(1, Math.ceil(retryAfterSeconds));
  }

  /** The headers sent with the refusal: `retry-after`, when it has one. */
  responseHeaders(): Record<string, string> {
    return this.retryAfterSeconds === undefined ? {} : { 'retry-after': String(this.retryAfterSeconds) };
  }

  /** The body the browser receives, in the API's error shape. */
  toResponseBody(): { type: 'error'; error: { type: string; message: string } } {
    return { type: 'error', error: { type: this.type, message: this.message } };
  }
}
