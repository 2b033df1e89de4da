import { AnthropicError, APIError, InvalidArgumentError } from '../errors';
import { StreamDeadlineError } from './withDeadline';

/** What the browser gets for an upstream failure: a status, the headers worth passing on, an API-shaped body. */
export interface UpstreamErrorResponse {
  status: number;
  /** Whether the relay's owner should hear of it (`onError`): a failure of the relay's own, not an answer of the API's to the browser's request. */
  report: boolean;
  headers: Record<string, string>;
  body: { type: 'error'; error: { type: string; message: string; [key: string]: unknown }; request_id?: string };
}

/** The upstream headers a browser may see: the request id to quote to support, and when to retry. */
const PASSED_HEADERS = ['request-id', 'retry-after'] as const;

const relayFailure = (status: number, type: string, message: string, report: boolean): UpstreamErrorResponse => ({
  status,
  report,
  headers: {},
  body: { type: 'error', error: { type, message } },
});

/**
 * The answer for an error of the server-side client, as the API would have sent it.
 *
 * An API error keeps its status and its error object whole, so the client in the browser builds an
 * equal typed error; only `request-id` and `retry-after` of its headers pass (never a header the
 * server sent, since errors do not hold those). Two API errors are the relay's, not the browser's:
 * a 401 or 403 refuses the server's own key, and reaches the browser as 502 `api_error` (an
 * `authentication_error` there would read as the relay's own refusal of the browser, and a key
 * that does not work is for the owner to hear of). The relay's deadline is 504 `timeout_error`.
 * Any other failure (no connection, a timeout, a body that did not decode) is the upstream failing
 * the proxy: 502 `api_error` naming the error's class only (its message may name hosts behind
 * the proxy; `onError` gets the whole error).
 */
export function upstreamErrorResponse(error: unknown): UpstreamErrorResponse {
  if (error instanceof StreamDeadlineError) return relayFailure(504, 'timeout_error', error.message, false);
  if (error instanceof APIError && (error.status === 401 || error.status === 403)) {
    return relayFailure(502, 'api_error', "The relay's credentials were refused upstream: the server's API key is missing, wrong or not allowed this; the relay's owner must see to it.", true);
  }
  // The relay's own client has no key for the API (its requests fail before they are sent).
  if (error instanceof InvalidArgumentError && error.argument === 'apiKey') {
    return relayFailure(502, 'api_error', "The relay has no credentials for the API: the server's API key is missing; the relay's owner must see to it.", true);
  }
  if (error instanceof APIError && error.error) {
    const headers: Record<string, string> = {};
    for (const name of PASSED_HEADERS) {
      const value = error.headers[name];
      if (value !== undefined) headers[name] = value;
    }
    const body = { type: 'error' as const, error: { ...error.error }, ...(error.requestId ? { request_id: error.requestId } : {}) };
    // An error event inside a stream has no status of its own: 500 is what it would have been.
    return { status: error.status ?? 500, report: false, headers, body };
  }
  // The class says what kind of failure it was; its message may name hosts and ports behind the proxy.
  const kind = error instanceof AnthropicError ? ` (${error.name})` : '';
  return relayFailure(502, 'api_error', `The proxy's request to the API failed${kind}.`, true);
}
