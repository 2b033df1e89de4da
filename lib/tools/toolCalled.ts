import type { ToolLoopState } from './ToolLoopState';

/** Blocks by which the model calls a tool: the loop's tools, server tools, MCP tools. */
const CALLS = new Set(['tool_use', 'server_tool_use', 'mcp_tool_use']);

/**
 * A stop condition for `stopWhen`: the last turn called one of the named tools (any tool when no
 * name is given), counting the loop's tools, server tools and MCP tools.
 *
 * Made for a tool whose call is the answer (`final_answer`, `submit`): the loop runs it, then
 * stops before sending its result, with `stop_reason: 'stop_when'`; the result is in the end
 * event's `messages`.
 *
 * ## Example
 * ```ts
 * client.messages.toolLoop(params, { tools: [search, finalAnswer], stopWhen: toolCalled('final_answer') });
 * ```
 *
 * @param names The tools whose call stops the loop; none for any tool.
 * @return The condition.
 * @see tokenBudget
 * @see costBudget
 */
export function toolCalled(...names: string[]): (state: ToolLoopState) => boolean {
  return ({ message }) =>
    message?.content.some((block) => CALLS.has(block.type) && (names.length === 0 || names.includes((block as { name: string }).name))) ?? false;
}
