import type { MockReplyOptions, MockSSETurn } from './types';

/**
 * A turn that sends these SSE bytes exactly as given: a recorded stream, CRLF line ends,
 * comments, a malformed frame. A non-streaming request gets the Message the stream's events
 * accumulate to.
 *
 * ## Example
 * ```ts
 * const server = await createMockServer([
 *   sseReply('event: message_stop\r\ndata: {"type":"message_stop"}\r\n\r\n', { splitBytes: 3 }),
 * ]);
 * ```
 * @param sse The response body (a string is sent as UTF-8).
 * @param options Delivery and faults.
 * @return A turn for the script.
 * @see sseFileReply
 * @see eventsReply
 */
export function sseReply(sse: string | Uint8Array, options: MockReplyOptions = {}): MockSSETurn {
  return { ...options, kind: 'sse', sse };
}
