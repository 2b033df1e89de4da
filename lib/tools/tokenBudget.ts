import type { ToolLoopState } from './ToolLoopState';

/**
 * A stop condition for `stopWhen`: the loop has used at least `limit` tokens, every kind
 * counted (input, cache writes and reads, output), added up over its turns.
 *
 * Checked between turns, so the last turn can take the total past the limit; set `max_tokens`
 * to bound a single turn.
 *
 * ## Example
 * ```ts
 * client.messages.toolLoop(params, { tools, stopWhen: tokenBudget(200_000) });
 * ```
 *
 * @param limit The most tokens to spend before stopping.
 * @return The condition.
 * @see costBudget
 * @see toolCalled
 */
export function tokenBudget(limit: number): (state: ToolLoopState) => boolean {
  return ({ usage }) => usage.input_tokens + usage.cache_creation_input_tokens + usage.cache_read_input_tokens + usage.output_tokens >= limit;
}
