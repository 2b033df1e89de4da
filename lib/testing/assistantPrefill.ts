/**
 * The assistant prefill of a Messages request body: the text of its last message when that
 * message is the assistant's (a string, or its text blocks joined), as the API continues from it;
 * `undefined` when the last message is not the assistant's or has no text.
 *
 * ## Example
 * ```ts
 * assistantPrefill({ messages: [{ role: 'user', content: 'Hi' }, { role: 'assistant', content: 'Hello, I' }] }); // 'Hello, I'
 * assistantPrefill({ messages: [{ role: 'user', content: 'Hi' }] }); // undefined
 * ```
 */
export function assistantPrefill(body: unknown): string | undefined {
  const messages = (body as { messages?: unknown } | undefined)?.messages;
  if (!Array.isArray(messages)) return undefined;
  const last = messages[messages.length - 1] as { role?: unknown; content?: unknown } | undefined;
  if (last?.role !== 'assistant') return undefined;
  if (typeof last.content === 'string') return last.content === '' ? undefined : last.content;
  if (!Array.isArray(last.content)) return undefined;
  let text = '';
  for (const block of last.content as Array<{ type?: unknown; text?: unknown }>) {
    if (block?.type === 'text' && typeof block.text === 'string') text += block.text;
  }
  return text === '' ? undefined : text;
}
