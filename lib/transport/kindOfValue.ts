/**
 * What kind of value something is, in words for an error message (`a number`, `an array`,
 * `null`), without quoting it: the value may be a credential.
 *
 * ## Example
 * ```ts
 * kindOfValue(123); // 'a number'
 * kindOfValue([]); // 'an array'
 * kindOfValue(undefined); // 'undefined'
 * ```
 *
 * @param value Anything.
 * @return Its kind, with an article where English wants one.
 */
export function kindOfValue(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'number' && Number.isNaN(value)) return 'NaN';
  const type = typeof value;
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}
