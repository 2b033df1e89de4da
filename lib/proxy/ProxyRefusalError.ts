import { AnthropicError } from '../errors';

/** The API's error `type` for each 4xx status the proxy answers with. */
const ERROR_TYPES: Readonly<Record<number, string>> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  403: 'permission_error',
  404: 'not_found_error',
  413: 'request_too_large',
  429: 'rate_limit_error',
};

/**
 * A request the proxy refuses before anything goes upstream: the status and message the browser gets.
 *
 * The proxy throws it for its own checks (bad JSON, a model not allowed, `max_tokens` over the
 * cap); the `authorize` and `prepare` hooks throw it to refuse with a status and message of their
 * choice. The browser receives `status` and the API's error shape,
 * `{"type":"error","error":{"type","message"}}`, so a client there fails with the matching typed
 * error (`BadRequestError`, `AuthenticationError`, `PermissionDeniedError`, `RateLimitError`, …).
 *
 * ## Example
 * ```ts
 * createProxyHandler({
 *   client: createClient(),
 *   authorize: (request) => {
 *     if (!request.headers['authorization']) return false; // 401 authentication_error
 *     if (request.headers['x-plan'] === 'free') throw new ProxyRefusalError(403, 'The free plan cannot use the assistant.');
 *     return true;
 *   },
 * });
 * ```
 */
export class ProxyRefusalError extends AnthropicError {
  /** The HTTP status answered: a 4xx. */
  readonly status: number;
  /** The API's error type sent in the body (`permission_error`, …). */
  readonly type: string;

  /**
   * @param status A 4xx status.
   * @param message What was wrong, for the browser's user: it is sent as is.
   * @param type The error type; by default the API's for `status` (`invalid_request_error` for an unlisted one).
   */
  constructor(status: number, message: string, type: string = ERROR_TYPES[status] ?? 'invalid_request_error') {
    if (!Number.isInteger(status) || status < 400 || status > 499) {
      throw new RangeError(`ProxyRefusalError needs a 4xx status, got ${status} (for "${message}").`);
    }
    super(message);
    this.status = status;
    this.type = type;
  }

  /** The body the browser receives, in the API's error shape. */
  toResponseBody(): { type: 'error'; error: { type: string; message: string } } {
    return { type: 'error', error: { type: this.type, message: this.message } };
  }
}
