import type { MessageContent, MessageCreateParams } from '../schema';

type InputMessage = MessageCreateParams['messages'][number];

/**
 * The params of a request that goes on from `text`: `text` as an assistant prefill, after the
 * request's own messages, or appended to the request's own prefill when its last message is
 * already the assistant's (to its last text block, or as a new text block after other blocks).
 * Trailing whitespace is left out of the prefill, which the API refuses with it. The params given
 * are not changed.
 *
 * ## Example
 * ```ts
 * withAssistantPrefill({ model: 'claude-sonnet-4-6', max_tokens: 1024, messages: [{ role: 'user', content: 'Count to ten' }] }, 'One, two, ');
 * // messages: [{ role: 'user', content: 'Count to ten' }, { role: 'assistant', content: 'One, two,' }]
 * ```
 *
 * @param params The request as first sent.
 * @param text The text of the assistant turn received so far.
 * @return New params; `params` itself when there is nothing to prefill.
 */
export function withAssistantPrefill(params: MessageCreateParams, text: string): MessageCreateParams {
  const messages = params.messages;
  const last = messages[messages.length - 1] as InputMessage | undefined;
  if (last?.role !== 'assistant') {
    const prefill = text.trimEnd();
    return prefill === '' ? params : { ...params, messages: [...messages, { role: 'assistant', content: prefill }] };
  }
  return { ...params, messages: [...messages.slice(0, -1), { ...last, content: extended(last.content, text) }] };
}

function extended(content: MessageContent, text: string): MessageContent {
  if (typeof content === 'string') return (content + text).trimEnd();
  const blocks = [...content];
  const lastBlock = blocks[blocks.length - 1];
  if (lastBlock?.type === 'text') {
    blocks[blocks.length - 1] = { ...lastBlock, text: (lastBlock.text + text).trimEnd() };
  } else if (text.trimEnd() !== '') {
    blocks.push({ type: 'text', text: text.trimEnd() });
  }
  return blocks;
}
