import { estimateOutputTokens } from './estimateTokens';
import type { MockContentBlock, MockMessage, MockMessageDraft } from './types';

/** What a draft is completed from: known only once the request has arrived. */
export interface MessageContext {
  /** The request's number, as in `req_mock_<n>`. */
  readonly requestNumber: number;
  /** The request's `model`, when it named one. */
  readonly model: string | undefined;
  readonly inputTokens: number;
}

/**
 * Fills the per-request fields a draft left out, so that scripts written before any request
 * still get ids unique to the request and a `model` equal to the one asked for.
 */
export function completeMessage(draft: MockMessageDraft, context: MessageContext): MockMessage {
  const { id, model, content, stop_reason, stop_sequence, usage, ...extra } = draft;
  const filledContent = content.map((block, index): MockContentBlock => {
    if (block.type === 'tool_use' && block.id === undefined) {
      return { ...block, id: `toolu_mock_${context.requestNumber}_${index}` };
    }
    return block;
  });
  return {
    id: id ?? `msg_mock_${context.requestNumber}`,
    type: 'message',
    role: 'assistant',
    model: model ?? context.model ?? 'claude-mock',
    content: filledContent,
    stop_reason: stop_reason === undefined ? 'end_turn' : stop_reason,
    stop_sequence: stop_sequence ?? null,
    usage: {
      input_tokens: context.inputTokens,
      cache_creation_input_tokens: 0,
      cache_read_input_tokens: 0,
      output_tokens: estimateOutputTokens(filledContent),
      ...usage,
    },
    ...extra,
  };
}
