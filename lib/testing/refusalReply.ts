import { messageReply, type MessageReplyOptions } from './messageReply';
import type { MessageFieldOptions } from './textReply';
import type { MockMessageTurn } from './types';

/**
 * Options of `refusalReply`: what the refusal's `stop_details` say, message fields, chunk size,
 * delivery and faults.
 *
 * ## Example
 * ```ts
 * const options: RefusalReplyOptions = { category: 'cyber', creditToken: 'tok_1', chunkSize: 2 };
 * const server = await createMockServer([refusalReply('I can', options)]);
 * ```
 */
export interface RefusalReplyOptions extends MessageReplyOptions, Omit<MessageFieldOptions, 'stopReason'> {
  /** `stop_details.category` (default null). */
  readonly category?: string | null;
  /** `stop_details.explanation` (default null). */
  readonly explanation?: string | null;
  /** `stop_details.fallback_credit_token`, what the API mints under its fallback-credit beta (default null). */
  readonly creditToken?: string | null;
  /** `stop_details.fallback_has_prefill_claim` (default null). */
  readonly hasPrefillClaim?: boolean | null;
}

/**
 * A turn where the model begins to answer and then refuses: a text block of `text` (the partial
 * answer; none when empty), then `stop_reason: 'refusal'` with its `stop_details`
 * (`{ type: 'refusal', category, explanation, fallback_credit_token, fallback_has_prefill_claim }`)
 * on the `message_delta`, as the API streams a refusal. Not streaming, the Message carries the same.
 *
 * ## Example
 * ```ts
 * // The first model refuses after "I can"; the fallback answers.
 * const server = await createMockServer(byModel({
 *   'claude-sonnet-4-6': refusalReply('I can', { category: 'cyber' }),
 *   'claude-opus-4-5': textReply('Here is how.'),
 * }));
 * ```
 * @param text The text streamed before the refusal.
 * @param options The refusal's details, message fields, chunk size, delivery and faults.
 * @return A turn for the script.
 * @see textReply
 * @see byModel
 */
export function refusalReply(text: string, options: RefusalReplyOptions = {}): MockMessageTurn {
  const { id, model, stopSequence = null, usage, category = null, explanation = null, creditToken = null, hasPrefillClaim = null, ...delivery } = options;
  return messageReply(
    {
      id,
      model,
      content: text === '' ? [] : [{ type: 'text', text }],
      stop_reason: 'refusal',
      stop_sequence: stopSequence,
      stop_details: { type: 'refusal', category, explanation, fallback_credit_token: creditToken, fallback_has_prefill_claim: hasPrefillClaim },
      usage,
    },
    delivery,
  );
}
