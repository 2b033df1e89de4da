/**
 * A usage object as it comes on `message_start` or `message_delta`: token counts, some null.
 *
 * ## Example
 * ```ts
 * const usage: UsageFields = { input_tokens: 12, output_tokens: 1, cache_read_input_tokens: null };
 * ```
 */
export type UsageFields = Readonly<Record<string, unknown>>;

/**
 * One request's share of a spliced answer in `usage.iterations`, the shape the API gives when it
 * falls back itself: `message` for a request that was refused, `fallback_message` for the one
 * that answered, each with the model it was sent to and its token counts.
 *
 * ## Example
 * ```ts
 * const refused: FallbackIteration = iterationUsage('message', 'claude-sonnet-4-6', { input_tokens: 12, output_tokens: 3 });
 * ```
 */
export interface FallbackIteration {
  readonly type: 'message' | 'fallback_message';
  readonly model: string;
  readonly input_tokens: number;
  readonly output_tokens: number;
  readonly cache_read_input_tokens: number;
  readonly cache_creation_input_tokens: number;
  readonly cache_creation: unknown;
}

/**
 * The iteration entry of one request of a fallback chain, from its usage (missing counts are 0).
 *
 * ## Example
 * ```ts
 * iterationUsage('fallback_message', 'claude-opus-4-5', { input_tokens: 12, output_tokens: 40 });
 * // { type: 'fallback_message', model: 'claude-opus-4-5', input_tokens: 12, output_tokens: 40, cache_read_input_tokens: 0, … }
 * ```
 * @param type `message` for a refused request, `fallback_message` for the one that answered.
 * @param model The model the request went to.
 * @param usage Its usage.
 * @return The entry.
 */
export function iterationUsage(type: FallbackIteration['type'], model: string, usage: UsageFields | undefined): FallbackIteration {
  const count = (name: string): number => (typeof usage?.[name] === 'number' ? (usage[name] as number) : 0);
  return {
    type,
    model,
    input_tokens: count('input_tokens'),
    output_tokens: count('output_tokens'),
    cache_read_input_tokens: count('cache_read_input_tokens'),
    cache_creation_input_tokens: count('cache_creation_input_tokens'),
    cache_creation: usage?.['cache_creation'] ?? null,
  };
}

/**
 * A `message_delta`'s usage with the counts it leaves out (or sends as null) taken from its
 * request's `message_start`: once a request's `message_start` is not passed on (a spliced
 * fallback's), its input and cache counts would otherwise be lost.
 *
 * ## Example
 * ```ts
 * backfillUsage({ output_tokens: 40, input_tokens: null }, { input_tokens: 12, output_tokens: 1 });
 * // { input_tokens: 12, output_tokens: 40 }
 * ```
 * @param delta The usage of the `message_delta`.
 * @param start The usage of the same request's `message_start`.
 * @return A new object.
 */
export function backfillUsage(delta: UsageFields | null | undefined, start: UsageFields | null | undefined): Record<string, unknown> {
  const usage: Record<string, unknown> = { ...start, ...delta };
  for (const key of Object.keys(usage)) if (usage[key] == null && start?.[key] != null) usage[key] = start[key];
  return usage;
}
