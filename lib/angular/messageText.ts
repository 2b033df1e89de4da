import type { InputMessage, Message } from '../schema';

/**
 * The text of a message, as a chat shows it: a string content as it is, the `text` blocks of a
 * block content joined with `''`; other blocks (tool uses, tool results, images) give no text.
 *
 * ## Example
 * ```ts
 * // template: @for (message of chat.messages(); track $index) { <p [class]="message.role">{{ messageText(message) }}</p> }
 * readonly messageText = messageText;
 * ```
 *
 * @param message A message of a conversation (`chat.messages()`) or a finished `Message`.
 * @return Its text; `''` when it has none.
 */
export function messageText(message: InputMessage | Message): string {
  if (typeof message.content === 'string') return message.content;
  let text = '';
  for (const block of message.content as readonly { type: string; text?: unknown }[]) {
    if (block.type === 'text' && typeof block.text === 'string') text += block.text;
  }
  return text;
}
