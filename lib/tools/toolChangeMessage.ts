import type { SystemMessageParam, ToolAdditionBlockParam, ToolRemovalBlockParam } from '../schema';
import type { LoopTool } from './RunnableTool';
import { toApiTool } from './toApiTool';

/**
 * The `system` message that offers `added` tools and withdraws the `removed` ones from that point
 * of the conversation on: one `tool_addition` block holding each added tool's API definition,
 * then one `tool_removal` block per removed name. `undefined` when there is nothing to change.
 *
 * ## Example
 * ```ts
 * toolChangeMessage([getWeather], ['web_search']);
 * // { role: 'system', content: [
 * //   { type: 'tool_addition', tool: { type: 'tool_definition', definition: { name: 'get_weather', … } } },
 * //   { type: 'tool_removal', tool: { type: 'tool_reference', name: 'web_search' } } ] }
 * ```
 *
 * @param added Tools to offer: runnable tools (sent without `input`, `run`, `needsApproval`) or plain definitions.
 * @param removed Names of tools to withdraw.
 * @return The message, or `undefined`.
 */
export function toolChangeMessage(added: readonly LoopTool[], removed: readonly string[]): SystemMessageParam | undefined {
  if (added.length === 0 && removed.length === 0) return undefined;
  const content: (ToolAdditionBlockParam | ToolRemovalBlockParam)[] = [
    ...added.map((tool): ToolAdditionBlockParam => ({ type: 'tool_addition', tool: { type: 'tool_definition', definition: toApiTool(tool) } })),
    ...removed.map((name): ToolRemovalBlockParam => ({ type: 'tool_removal', tool: { type: 'tool_reference', name } })),
  ];
  return { role: 'system', content };
}
