/**
 * The escapes of a JSON string, for every reader of JSON text here (`PartialJsonParser`,
 * `JsonPrefixValidator`, `readFrequentDelta`): one table, so that they accept the same escapes.
 *
 * ## Example
 *
 * ```ts
 * SIMPLE_ESCAPES[0x6e]; // '\n': the character `\n` stands for
 * hexValue(0x41); // 10: "A" as a hex digit of `\u00A0`
 * ```
 */

/** The character a backslash escapes alone (`\"`, `\\`, `\/`, `\b`, `\f`, `\n`, `\r`, `\t`), by the code of the character after the backslash. */
export const SIMPLE_ESCAPES: Readonly<Record<number, string>> = {
  0x22: '"',
  0x5c: '\\',
  0x2f: '/',
  0x62: '\b',
  0x66: '\f',
  0x6e: '\n',
  0x72: '\r',
  0x74: '\t',
};

/**
 * The value of a hex digit of a `\u` escape.
 *
 * @param code A character code.
 * @return 0 to 15, or -1 when `code` is not a hex digit.
 */
export function hexValue(code: number): number {
  if (code >= 0x30 && code <= 0x39) return code - 0x30;
  const lower = code | 0x20;
  return lower >= 0x61 && lower <= 0x66 ? lower - 0x61 + 10 : -1;
}
