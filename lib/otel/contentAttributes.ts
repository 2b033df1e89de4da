import type { Span } from '@opentelemetry/api';

/**
 * The attribute set (`true`) on a span that had more content than `maxContentBytes`: some of its
 * content attributes were left out, each whole.
 *
 * ## Example
 * ```ts
 * if (span.attributes[ATTR_CONTENT_TRUNCATED]) console.warn('raise maxContentBytes to see the whole conversation');
 * ```
 */
export const ATTR_CONTENT_TRUNCATED = 'anthropic.content.truncated';

const utf8Length = (text: string): number => new TextEncoder().encode(text).length;

/**
 * Records content on a span as JSON string attributes, within a budget of UTF-8 bytes per span:
 * an attribute that does not fit in what is left is left out whole (half a JSON document is of
 * no use to a reader) and the span gets `anthropic.content.truncated`.
 *
 * ## Example
 * ```ts
 * const budget = contentRecorder(span, 750_000);
 * budget.record('gen_ai.input.messages', [{ role: 'user', parts: [{ type: 'text', content: 'Hi' }] }]);
 * ```
 *
 * @param span The span.
 * @param maxBytes The budget.
 * @return A recorder of content attributes.
 */
export function contentRecorder(span: Span, maxBytes: number): { record(name: string, value: unknown): void } {
  let left = maxBytes;
  return {
    record(name, value) {
      if (value === undefined) return;
      let text: string | undefined;
      try {
        text = JSON.stringify(value);
      } catch {
        text = undefined;
      }
      if (text === undefined) return;
      const size = utf8Length(text);
      if (size > left) {
        span.setAttribute(ATTR_CONTENT_TRUNCATED, true);
        return;
      }
      left -= size;
      span.setAttribute(name, text);
    },
  };
}

type Block = Readonly<Record<string, unknown>>;

/**
 * The parts of a message's content in the GenAI conventions' shape (`{ type: 'text', content }`,
 * `reasoning`, `tool_call`, `tool_call_response`), as the official SDK records them; a block they
 * have no part for (an image, a document) is a part with its type alone.
 *
 * ## Example
 * ```ts
 * contentParts('Hi'); // [{ type: 'text', content: 'Hi' }]
 * ```
 */
export function contentParts(content: unknown): unknown[] {
  if (typeof content === 'string') return [{ type: 'text', content }];
  if (!Array.isArray(content)) return [];
  return (content as Block[]).map((block) => {
    switch (block.type) {
      case 'text':
        return { type: 'text', content: block.text };
      case 'thinking':
        return { type: 'reasoning', content: block.thinking };
      case 'tool_use':
      case 'server_tool_use':
      case 'mcp_tool_use':
        return { type: 'tool_call', id: block.id, name: block.name, arguments: block.input };
      case 'tool_result':
        return { type: 'tool_call_response', id: block.tool_use_id, response: block.content };
      default:
        return { type: `anthropic_${String(block.type)}` };
    }
  });
}
