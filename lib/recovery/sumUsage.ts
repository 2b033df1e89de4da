/**
 * The usage of two requests together, field by field: numbers are added (a number beside a
 * missing or `null` one is kept), objects of counts (`server_tool_use`, `cache_creation`) are
 * summed the same way, lists (`iterations`) are joined, and anything else (`service_tier`) is the
 * second's when it has one. `continueOnDrop` reports the sum of the cut request and of its
 * continuation this way, so that the finished message counts everything both used.
 *
 * ## Example
 * ```ts
 * sumUsage({ input_tokens: 10, output_tokens: 4, service_tier: 'standard' }, { input_tokens: 14, output_tokens: 30, service_tier: 'standard' });
 * // { input_tokens: 24, output_tokens: 34, service_tier: 'standard' }
 * ```
 *
 * @param first The usage of the earlier request(s).
 * @param second The usage of the later one.
 * @return A new object; neither argument is changed.
 */
export function sumUsage(first: Readonly<Record<string, unknown>>, second: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const sum: Record<string, unknown> = { ...first };
  for (const [key, value] of Object.entries(second)) sum[key] = sumValues(first[key], value);
  return sum;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function sumValues(a: unknown, b: unknown): unknown {
  if (b === null || b === undefined) return a ?? b;
  if (a === null || a === undefined) return b;
  if (typeof a === 'number' && typeof b === 'number') return a + b;
  if (Array.isArray(a) && Array.isArray(b)) return [...(a as unknown[]), ...(b as unknown[])];
  if (isRecord(a) && isRecord(b)) return sumUsage(a, b);
  return b;
}
