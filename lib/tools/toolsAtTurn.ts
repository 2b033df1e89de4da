import type { InputMessage, MessageCreateParams } from '../schema';
import type { RunnableTool } from './RunnableTool';

/**
 * The tools the loop may run for the reply to `request`, by name: the runnable tools among the
 * request's `tools`, then each `tool_addition` and `tool_removal` of its messages applied in order.
 *
 * A `tool_removal` only tells the model a tool is gone; the model may still call it, and the loop
 * then answers as for a tool it does not know, without running it (as the official runners do).
 * An addition makes a name available again; it runs when a runnable tool of that name was given
 * (in `tools`, `addTools`, or by value in a `tool_definition`). The `tool_changes` of a
 * `compaction` block stand for the system messages of the turns it summarises. References to MCP
 * tools and toolsets are the API's to run, and are ignored here.
 *
 * ## Example
 * ```ts
 * const request = { ...params, tools: [toApiTool(getWeather)], messages: [...params.messages, withdrawGetWeather] };
 * toolsAtTurn(request, new Map([['get_weather', getWeather]])).has('get_weather'); // false
 * ```
 *
 * @param request The request whose reply is answered.
 * @param runnable Every runnable tool the loop was given, by name.
 * @return The runnable tools available at that turn, by name.
 */
export function toolsAtTurn(request: MessageCreateParams, runnable: ReadonlyMap<string, RunnableTool<unknown>>): Map<string, RunnableTool<unknown>> {
  const names = new Set<string>();
  for (const tool of request.tools ?? []) names.add(tool.name);
  for (const message of request.messages) for (const change of toolChangesOf(message)) applyChange(change, names);
  const available = new Map<string, RunnableTool<unknown>>();
  for (const name of names) {
    const tool = runnable.get(name);
    if (tool) available.set(name, tool);
  }
  return available;
}

function toolChangesOf(message: InputMessage): readonly unknown[] {
  if (!Array.isArray(message.content)) return [];
  if (message.role === 'system') return message.content;
  if (message.role !== 'assistant') return [];
  const changes: unknown[] = [];
  for (const block of message.content) {
    if (block.type === 'compaction' && Array.isArray(block.tool_changes)) changes.push(...block.tool_changes);
  }
  return changes;
}

function applyChange(change: unknown, names: Set<string>): void {
  const { type, tool } = change as { type?: unknown; tool?: { type?: unknown; name?: unknown; definition?: { name?: unknown } } };
  if (type !== 'tool_addition' && type !== 'tool_removal') return;
  const name = tool?.type === 'tool_reference' ? tool.name : tool?.type === 'tool_definition' ? tool.definition?.name : undefined;
  if (typeof name !== 'string') return;
  if (type === 'tool_addition') names.add(name);
  else names.delete(name);
}
