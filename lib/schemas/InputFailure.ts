/**
 * One reason a value was rejected by its schema (a tool's input, a structured output), worded for
 * the model that sent it.
 *
 * ## Example
 * ```ts
 * const result = decodeToolInput(getWeather, { units: 'kelvin' });
 * if (!result.ok) result.failures.forEach((failure: InputFailure) => console.log(failure.path, failure.expected));
 * ```
 */
export interface InputFailure {
  /** The dotted path in the input (`items.1.qty`); `''` for the input itself. */
  readonly path: string;
  /**
   * What the schema wanted there: for an io-ts codec its name (`string`,
   * `"celsius" | "fahrenheit"`); for a Standard Schema, the library's message for the issue.
   */
  readonly expected: string;
  /** The value found there; `undefined` when the field is missing. */
  readonly actual: unknown;
  /** `at "items.1.qty": expected number, got "two"`. */
  readonly text: string;
}

/** Characters of a received value shown before it is cut with `…`. */
const MAX_EXCERPT = 80;

/**
 * A failure at `path`: its text says where, why (`reason`) and what came.
 *
 * @param path The steps from the root of the value: field names and indexes.
 * @param expected What the schema wanted there.
 * @param reason Why the value was rejected (`expected number`, or the schema's own message).
 * @param actual The value found there.
 * @return The failure.
 */
export function inputFailure(path: readonly string[], expected: string, reason: string, actual: unknown): InputFailure {
  const where = path.length === 0 ? 'at the top level' : `at ${JSON.stringify(path.join('.'))}`;
  return { path: path.join('.'), expected, actual, text: `${where}: ${reason}, got ${renderValue(actual, path.length > 0)}` };
}

/** A received value as JSON, cut when long; a missing field (JSON has no `undefined`) says so. */
function renderValue(value: unknown, inField: boolean): string {
  if (value === undefined) return inField ? 'undefined (missing)' : 'undefined';
  let json: string | undefined;
  try {
    json = JSON.stringify(value);
  } catch {
    json = undefined;
  }
  if (json === undefined) return typeof value;
  return json.length > MAX_EXCERPT ? `${json.slice(0, MAX_EXCERPT)}…` : json;
}
