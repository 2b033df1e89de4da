import type { MockEventsTurn, MockReplyOptions } from './types';

/**
 * A turn that streams the given raw events, each as one SSE frame
 * `event: <event.type>\ndata: <JSON>\n\n`, nothing added or checked: use it for unknown event
 * types, a mid-stream `error` event, a stream without `message_stop`, out-of-order indices.
 * A non-streaming request gets the Message those events accumulate to.
 *
 * ## Example
 * ```ts
 * const server = await createMockServer([
 *   eventsReply([
 *     { type: 'message_start', message: { id: 'msg_1', type: 'message', role: 'assistant', model: 'm',
 *       content: [], stop_reason: null, stop_sequence: null, usage: { input_tokens: 1, output_tokens: 1 } } },
 *     { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } },
 *   ]),
 * ]);
 * ```
 * @param events The events, in order.
 * @param options Delivery and faults.
 * @return A turn for the script.
 * @see sseReply
 * @see messageReply
 */
export function eventsReply(events: readonly object[], options: MockReplyOptions = {}): MockEventsTurn {
  return { ...options, kind: 'events', events };
}
