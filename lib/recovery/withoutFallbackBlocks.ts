import type { MessageCreateParams } from '../schema';

type Block = { readonly type?: unknown };

/**
 * The params without the `fallback` blocks of earlier answers in their history: a spliced answer
 * carries one at each change of model, and a tool loop sends that answer back, but the API takes
 * them only under its own server-side fallback beta. A turn left empty by their removal is dropped.
 * The same params (not a copy) when there are none.
 *
 * ## Example
 * ```ts
 * const history = [{ role: 'assistant', content: [{ type: 'fallback', from: { model: 'a' }, to: { model: 'b' } }, { type: 'text', text: 'Hi' }] }];
 * withoutFallbackBlocks({ ...params, messages: history }).messages; // [{ role: 'assistant', content: [{ type: 'text', text: 'Hi' }] }]
 * ```
 * @param params The request's params.
 * @return The params to send.
 */
export function withoutFallbackBlocks(params: MessageCreateParams): MessageCreateParams {
  const messages = params.messages as readonly { readonly content?: unknown }[] | undefined;
  const isFallback = (block: unknown): boolean => (block as Block | null)?.type === 'fallback';
  if (!Array.isArray(messages) || !messages.some((message) => Array.isArray(message.content) && message.content.some(isFallback))) return params;
  const kept = messages.flatMap((message) => {
    if (!Array.isArray(message.content) || !message.content.some(isFallback)) return [message];
    const content = (message.content as readonly unknown[]).filter((block) => !isFallback(block));
    return content.length > 0 ? [{ ...message, content }] : [];
  });
  return { ...params, messages: kept } as MessageCreateParams;
}
