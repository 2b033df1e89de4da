import type { MockMessageDraft, MockMessageTurn, MockReplyOptions } from './types';

/**
 * How a Message turn is chopped into stream events.
 *
 * ## Example
 * ```ts
 * messageReply({ content: [{ type: 'text', text: 'Hello!' }] }, { chunkSize: 1, jsonChunkSize: 2 });
 * ```
 */
export interface MessageChunkOptions {
  /** Characters per `text_delta` / `thinking_delta` (default 4). */
  readonly chunkSize?: number;
  /** Characters per `input_json_delta` (default 8). */
  readonly jsonChunkSize?: number;
}

/**
 * Options of `messageReply`: delivery and faults, plus how the events are chopped.
 *
 * ## Example
 * ```ts
 * const options: MessageReplyOptions = { chunkSize: 2, chunkDelayMs: 10 };
 * messageReply({ content: [{ type: 'text', text: 'Hello!' }] }, options);
 * ```
 */
export type MessageReplyOptions = MockReplyOptions & MessageChunkOptions;

/**
 * A turn that answers with the given Message: whole as JSON to a non-streaming request, or as
 * the stream of events the API would send for it (`message_start`, one `content_block_start`
 * / deltas / `content_block_stop` per block, `message_delta`, `message_stop`, and a `ping`).
 *
 * Use it for content the other helpers do not build (thinking, server tools, citations). The
 * server fills what the draft leaves out: `id`, `model` (the request's), tool-use ids and
 * `usage` (ceil(characters / 4) estimates); `stop_reason` defaults to `end_turn`.
 *
 * ## Example
 * ```ts
 * const server = await createMockServer([
 *   messageReply({
 *     content: [
 *       { type: 'thinking', thinking: 'The user wants a greeting.', signature: 'sig' },
 *       { type: 'text', text: 'Hello!' },
 *     ],
 *   }),
 * ]);
 * ```
 * @param message The Message to answer, with the per-request fields optional.
 * @param options Delivery, faults and chunk sizes.
 * @return A turn for the script.
 * @see textReply
 * @see toolUseReply
 */
export function messageReply(message: MockMessageDraft, options: MessageReplyOptions = {}): MockMessageTurn {
  return { ...options, kind: 'message', message };
}
