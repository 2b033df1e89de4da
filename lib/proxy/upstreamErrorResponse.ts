import { AnthropicError, APIError } from '../errors';

/** What the browser gets for an upstream failure: a status, the headers worth passing on, an API-shaped body. */
export interface UpstreamErrorResponse {
  status: number;
  /** The API's own error, passed on as it came; `false` when the proxy failed to get an answer. */
  fromAPI: boolean;
  headers: Record<string, string>;
  body: { type: 'error'; error: { type: string; message: string; [key: string]: unknown }; request_id?: string };
}

/** The upstream headers a browser may see: the request id to quote to support, and when to retry. */
const PASSED_HEADERS = ['request-id', 'retry-after'] as const;

/**
 * The answer for an error of the server-side client, as the API would have sent it.
 *
 * An API error keeps its status and its error object whole, so the client in the browser builds an
 * equal typed error; only `request-id` and `retry-after` of its headers pass (never a header the
 * server sent, since errors do not hold those). Any other failure (no connection, a timeout, a body
 * that did not decode) is the upstream failing the proxy: 502 `api_error` naming the error's class
 * only (its message may name hosts behind the proxy; `onError` gets the whole error).
 */
export function upstreamErrorResponse(error: unknown): UpstreamErrorResponse {
  if (error instanceof APIError && error.error) {
    const headers: Record<string, string> = {};
    for (const name of PASSED_HEADERS) {
      const value = error.headers[name];
      if (value !== undefined) headers[name] = value;
    }
    const body = { type: 'error' as const, error: { ...error.error }, ...(error.requestId ? { request_id: error.requestId } : {}) };
    // An error event inside a stream has no status of its own: 500 is what it would have been.
    return { status: error.status ?? 500, fromAPI: true, headers, body };
  }
  // The class says what kind of failure it was; its message may name hosts and ports behind the proxy.
  const kind = error instanceof AnthropicError ? ` (${error.name})` : '';
  return { status: 502, fromAPI: false, headers: {}, body: { type: 'error', error: { type: 'api_error', message: `The proxy's request to the API failed${kind}.` } } };
}
