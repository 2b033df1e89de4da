/**
 * A message's usage after a `message_delta`'s: a new object with the delta's fields over the
 * previous ones, except those the delta gives as `null` or leaves out, which keep their value
 * (the API's deltas carry the counts that changed, and `null` for what they do not say).
 *
 * ## Example
 * ```ts
 * mergeUsage({ input_tokens: 10, output_tokens: 1 }, { output_tokens: 42, input_tokens: null });
 * // { input_tokens: 10, output_tokens: 42 }
 * ```
 *
 * @param previous The usage so far (`undefined` before the first).
 * @param delta The delta's `usage`.
 * @return A new object; neither argument is changed.
 */
export function mergeUsage(previous: object | undefined, delta: object): Record<string, unknown> {
  const usage: Record<string, unknown> = { ...previous };
  for (const [key, value] of Object.entries(delta)) {
    if (value !== null && value !== undefined) usage[key] = value;
  }
  return usage;
}
