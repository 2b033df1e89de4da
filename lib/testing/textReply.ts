import { messageReply, type MessageReplyOptions } from './messageReply';
import type { MockMessageTurn, MockUsage } from './types';

/**
 * Message-level fields that `textReply` and `toolUseReply` accept beside the delivery options.
 *
 * ## Example
 * ```ts
 * textReply('Cut off', { stopReason: 'max_tokens', usage: { output_tokens: 2 } });
 * ```
 */
export interface MessageFieldOptions {
  /** Default `msg_mock_<n>`, n being the request's number. */
  readonly id?: string;
  /** Default: the `model` of the request. */
  readonly model?: string;
  readonly stopReason?: string | null;
  readonly stopSequence?: string | null;
  /** Overrides the estimated token counts. */
  readonly usage?: Partial<MockUsage>;
}

/**
 * Options of `textReply`.
 *
 * ## Example
 * ```ts
 * const options: TextReplyOptions = { chunkSize: 1, model: 'claude-sonnet-4-6', stopReason: 'end_turn' };
 * const server = await createMockServer([textReply('Hello!', options)]);
 * ```
 */
export type TextReplyOptions = MessageReplyOptions & MessageFieldOptions;

/**
 * A turn that answers with one text block. Streamed, the text arrives as `text_delta` events
 * of `chunkSize` characters (default 4) so clients really see a stream; `stop_reason` is
 * `end_turn`.
 *
 * ## Example
 * ```ts
 * const server = await createMockServer([
 *   textReply('Hello there!'),
 *   textReply('Slowly…', { chunkSize: 1, chunkDelayMs: 20 }),
 *   { ...textReply('Cut short'), cutAfterBytes: 300 },
 * ]);
 * ```
 * @param text The assistant's text.
 * @param options Message fields, chunk size, delivery and faults.
 * @return A turn for the script.
 * @see messageReply
 * @see toolUseReply
 */
export function textReply(text: string, options: TextReplyOptions = {}): MockMessageTurn {
  const { id, model, stopReason = 'end_turn', stopSequence = null, usage, ...delivery } = options;
  return messageReply(
    {
      id,
      model,
      content: [{ type: 'text', text }],
      stop_reason: stopReason,
      stop_sequence: stopSequence,
      usage,
    },
    delivery,
  );
}
