import { errorTypeForStatus } from './apiErrorBody';
import type { MockErrorTurn, MockReplyOptions } from './types';

/**
 * Options of `errorReply`: the error's type and message, plus delivery and faults.
 *
 * ## Example
 * ```ts
 * const options: ErrorReplyOptions = { type: 'rate_limit_error', message: 'Slow down', headers: { 'retry-after': '1' } };
 * const server = await createMockServer([errorReply(429, options), textReply('OK')]);
 * ```
 */
export interface ErrorReplyOptions extends MockReplyOptions {
  /** Default: the API's type for the status (`rate_limit_error` for 429, `overloaded_error` for 529…). */
  readonly type?: string;
  readonly message?: string;
}

/**
 * A turn that fails with an API error: the status, and the body
 * `{ type: 'error', error: { type, message }, request_id }`, streaming or not (the API answers
 * errors before the stream starts this way). Pass the retry headers a client should obey in
 * `headers`. For an error in the middle of a stream, send an `error` event with `eventsReply`.
 *
 * ## Example
 * ```ts
 * const server = await createMockServer([
 *   errorReply(429, { headers: { 'retry-after-ms': '10' } }),
 *   errorReply(529, { message: 'Overloaded', headers: { 'x-should-retry': 'false' } }),
 *   textReply('Finally.'),
 * ]);
 * ```
 * @param status The HTTP status.
 * @param options Error type and message, extra headers, delivery and faults.
 * @return A turn for the script.
 * @see eventsReply
 */
export function errorReply(status: number, options: ErrorReplyOptions = {}): MockErrorTurn {
  const { type = errorTypeForStatus(status), message = `Mock ${type} (HTTP ${status})`, ...delivery } = options;
  return { ...delivery, kind: 'error', status, error: { type, message } };
}
