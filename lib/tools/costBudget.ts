import type { TokenPrices } from '../concurrency/aggregateUsage';
import type { ToolLoopState } from './ToolLoopState';

/**
 * A stop condition for `stopWhen`: the loop has cost at least `limit` at `prices` (per million
 * tokens, cache prices defaulting to 1.25× and 0.1× the input price), added up over its turns.
 *
 * Prices change and differ by model, so they are the caller's to give, in the currency of
 * `limit`. Checked between turns, so the last turn can take the cost past the limit.
 *
 * ## Example
 * ```ts
 * client.messages.toolLoop(params, { tools, stopWhen: costBudget(0.5, { input: 3, output: 15 }) }); // 50 cents on Sonnet
 * ```
 *
 * @param limit The most to spend before stopping.
 * @param prices The model's prices per million tokens (the `TokenPrices` of `aggregateUsage`).
 * @return The condition.
 * @see tokenBudget
 */
export function costBudget(limit: number, prices: TokenPrices): (state: ToolLoopState) => boolean {
  const cacheWrite = prices.cacheWrite ?? prices.input * 1.25;
  const cacheRead = prices.cacheRead ?? prices.input * 0.1;
  return ({ usage }) =>
    (usage.input_tokens * prices.input +
      usage.output_tokens * prices.output +
      usage.cache_creation_input_tokens * cacheWrite +
      usage.cache_read_input_tokens * cacheRead) /
      1_000_000 >=
    limit;
}
