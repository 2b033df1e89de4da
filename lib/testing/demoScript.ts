import { textReply } from './textReply';
import type { MockTurnFunction } from './types';

function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content
    .map((block: { type?: unknown; text?: unknown }) => (block?.type === 'text' && typeof block.text === 'string' ? block.text : ''))
    .filter((text) => text !== '')
    .join(' ');
}

function lastUserText(body: unknown): string {
  const messages = (body as { messages?: unknown } | undefined)?.messages;
  if (!Array.isArray(messages)) return '';
  for (let i = messages.length - 1; i >= 0; i--) {
    const message = messages[i] as { role?: unknown; content?: unknown } | undefined;
    if (message?.role === 'user') return textOf(message.content).trim();
  }
  return '';
}

function shorten(text: string, length: number): string {
  const codePoints = Array.from(text.replace(/\s+/g, ' '));
  return codePoints.length <= length ? codePoints.join('') : `${codePoints.slice(0, length - 1).join('')}…`;
}

/**
 * The script of the offline demo, and of `createMockServer()` without a script: a friendly
 * canned assistant that answers every request with a text mentioning the last user message,
 * streamed a few characters at a time. It never runs out of turns.
 *
 * ## Example
 * ```ts
 * // Slow it down so a person watching the demo sees the stream:
 * const server = await createMockServer((request, index) => ({ ...demoScript(request, index), chunkDelayMs: 15 }));
 * ```
 * @see createMockServer
 */
export const demoScript: MockTurnFunction = (request) => {
  const question = lastUserText(request.body);
  const topic = question === '' ? 'your message' : `“${shorten(question, 80)}”`;
  return textReply(
    `Hello! This is rx-anthropic's offline mock of the Messages API (no ANTHROPIC_API_KEY is set), ` +
      `so I cannot really think about ${topic}, but I can stream this answer a few characters at a time, ` +
      `just like Claude would. Set ANTHROPIC_API_KEY to talk to the real model.`,
  );
};
