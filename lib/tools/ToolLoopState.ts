import type { InputMessage, Message, MessageCreateParams, Usage } from '../schema';

/**
 * The tokens of a tool loop so far: each kind added up over every turn.
 *
 * ## Example
 * ```ts
 * const usage: ToolLoopUsage = { input_tokens: 1200, output_tokens: 300, cache_creation_input_tokens: 0, cache_read_input_tokens: 800 };
 * console.log(`${usage.input_tokens + usage.cache_read_input_tokens} in, ${usage.output_tokens} out`);
 * ```
 */
export interface ToolLoopUsage {
  readonly input_tokens: number;
  readonly output_tokens: number;
  readonly cache_creation_input_tokens: number;
  readonly cache_read_input_tokens: number;
}

/**
 * Where a tool loop stands, as `prepareTurn` and `stopWhen` see it.
 *
 * `prepareTurn` gets it before every request (the first included), `stopWhen` after a turn's
 * tools have run. A new object each time; nothing in it changes afterwards.
 *
 * ## Example
 * ```ts
 * const prepareTurn = ({ iteration, usage }: ToolLoopState) =>
 *   iteration >= 3 || usage.output_tokens > 2000 ? { model: 'claude-haiku-4-5', max_tokens: 512 } : undefined;
 * client.messages.toolLoop(params, { tools, prepareTurn });
 * ```
 */
export interface ToolLoopState {
  /** How many requests the loop has sent so far: 0 before the first. */
  readonly iteration: number;
  /**
   * The params of the last request as it was sent (the loop's tools and `container` included);
   * before the first request, the params it would be sent with.
   */
  readonly params: MessageCreateParams;
  /** The conversation so far: the last request's messages, its reply, and the results of its tools once they ran. */
  readonly messages: readonly InputMessage[];
  /** The last assistant message; absent before the first request. */
  readonly message?: Message | undefined;
  /** The tokens of every turn so far, added up. */
  readonly usage: ToolLoopUsage;
}

/**
 * The totals after one more turn: each count of the turn's `usage` added to `total` (a count the
 * API left out or sent as `null` adds 0).
 *
 * ## Example
 * ```ts
 * let total: ToolLoopUsage = NO_USAGE;
 * total = addUsage(total, message.usage);
 * ```
 *
 * @param total The totals so far.
 * @param usage A message's usage.
 * @return The new totals.
 */
export function addUsage(total: ToolLoopUsage, usage: Usage): ToolLoopUsage {
  return {
    input_tokens: total.input_tokens + usage.input_tokens,
    output_tokens: total.output_tokens + usage.output_tokens,
    cache_creation_input_tokens: total.cache_creation_input_tokens + (usage.cache_creation_input_tokens ?? 0),
    cache_read_input_tokens: total.cache_read_input_tokens + (usage.cache_read_input_tokens ?? 0),
  };
}

/**
 * The totals of a loop that has sent nothing yet.
 *
 * ## Example
 * ```ts
 * const state: ToolLoopState = { iteration: 0, params, messages: params.messages, usage: NO_USAGE };
 * ```
 */
export const NO_USAGE: ToolLoopUsage = { input_tokens: 0, output_tokens: 0, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 };
