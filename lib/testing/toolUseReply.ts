import { messageReply } from './messageReply';
import type { TextReplyOptions } from './textReply';
import type { MockContentBlock, MockMessageTurn } from './types';

/**
 * One tool call of a `toolUseReply`.
 *
 * ## Example
 * ```ts
 * const call: MockToolUse = { id: 'toolu_1', name: 'get_weather', input: { city: 'Paris' } };
 * const server = await createMockServer([toolUseReply([call]), textReply('Sunny.')]);
 * ```
 */
export interface MockToolUse {
  /** Default `toolu_mock_<n>_<i>`: n the request's number, i the call's position. */
  readonly id?: string;
  readonly name: string;
  readonly input: unknown;
}

/**
 * Options of `toolUseReply`.
 *
 * ## Example
 * ```ts
 * toolUseReply([{ name: 'get_weather', input: { city: 'Paris' } }], { text: 'Let me check.', jsonChunkSize: 4 });
 * ```
 */
export interface ToolUseReplyOptions extends TextReplyOptions {
  /** A text block before the tool calls ("Let me check the weather."). */
  readonly text?: string;
}

/**
 * A turn where the assistant calls tools: an optional leading text block, then one `tool_use`
 * block per call, with `stop_reason` `tool_use`. Streamed, each input arrives as
 * `input_json_delta` chunks of `jsonChunkSize` characters (default 8); an empty input `{}` is
 * sent as a single empty `partial_json`, as the API does for tools without arguments.
 *
 * ## Example
 * ```ts
 * const server = await createMockServer([
 *   toolUseReply([{ name: 'get_weather', input: { city: 'Paris' } }], { text: 'Checking.' }),
 *   textReply('It is sunny in Paris.'),
 * ]);
 * ```
 * @param toolUses The calls, in order.
 * @param options Leading text, message fields, chunk sizes, delivery and faults.
 * @return A turn for the script.
 * @see textReply
 * @see messageReply
 */
export function toolUseReply(toolUses: readonly MockToolUse[], options: ToolUseReplyOptions = {}): MockMessageTurn {
  const { text, id, model, stopReason = 'tool_use', stopSequence = null, usage, ...delivery } = options;
  const content: MockContentBlock[] = text === undefined ? [] : [{ type: 'text', text }];
  for (const toolUse of toolUses) {
    content.push({ type: 'tool_use', id: toolUse.id, name: toolUse.name, input: toolUse.input });
  }
  return messageReply(
    { id, model, content, stop_reason: stopReason, stop_sequence: stopSequence, usage },
    delivery,
  );
}
