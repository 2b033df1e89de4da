import type { InputMessage } from '../schema';
import { isRunnableTool, type LoopTool, type RunnableTool } from './RunnableTool';
import { toApiTool } from './toApiTool';

/**
 * `messages` with every runnable tool written by value into a `tool_addition` block replaced by
 * its API definition, each such tool recorded in `runnable` under its name (a later one replacing
 * an earlier one). The same array when there is none, which is the usual case.
 *
 * A caller may offer a tool mid-conversation by putting the result of `defineTool` straight into
 * a `tool_definition`; the API must not get its codec and function, and the loop must know it can run it.
 *
 * ## Example
 * ```ts
 * const runnable = new Map<string, RunnableTool<unknown>>();
 * const sent = registerToolDefinitions([{ role: 'system', content: [{ type: 'tool_addition', tool: { type: 'tool_definition', definition: getWeather } }] }], runnable);
 * runnable.has('get_weather'); // true; `sent` holds get_weather's API definition only
 * ```
 *
 * @param messages The conversation.
 * @param runnable Where runnable tools are recorded.
 * @return The conversation as it can be sent.
 */
export function registerToolDefinitions(messages: readonly InputMessage[], runnable: Map<string, RunnableTool<unknown>>): InputMessage[] {
  if (!messages.some(addsRunnableTool)) return [...messages];
  return messages.map((message) => {
    if (!addsRunnableTool(message) || !Array.isArray(message.content)) return message;
    const content = message.content.map((block) => {
      if (block.type !== 'tool_addition' || block.tool.type !== 'tool_definition') return block;
      const definition = block.tool.definition as LoopTool;
      if (!isRunnableTool(definition)) return block;
      runnable.set(definition.name, definition);
      return { ...block, tool: { ...block.tool, definition: toApiTool(definition) } };
    });
    return { ...message, content } as InputMessage;
  });
}

function addsRunnableTool(message: InputMessage): boolean {
  return (
    message.role === 'system' &&
    Array.isArray(message.content) &&
    message.content.some((block) => block.type === 'tool_addition' && block.tool.type === 'tool_definition' && isRunnableTool(block.tool.definition as LoopTool))
  );
}
