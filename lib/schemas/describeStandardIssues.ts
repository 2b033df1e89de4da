import type { StandardSchemaV1 } from '@standard-schema/spec';
import { inputFailure, type InputFailure } from './InputFailure';

/** Characters of a library's message kept in `expected` and the text before it is cut with `…`. */
const MAX_MESSAGE = 160;

/**
 * Every issue of a failed Standard Schema validation as an {@link InputFailure}, in the library's
 * order: its dotted path (`items.1.qty`, from the issue's `path`, whose steps may be keys or
 * `{ key }`), the library's message as what was expected, and the value found at that path.
 *
 * The text reads as io-ts failures do (`at "items.1.qty": <message>, got "two"`), so the model
 * reads the same kind of correction whichever library the schema comes from. Issues with the
 * same text are listed once.
 *
 * ## Example
 * ```ts
 * import { z } from 'zod';
 *
 * const Order = z.object({ items: z.array(z.object({ sku: z.string(), qty: z.number() })) });
 * const value = { items: [{ sku: 'a', qty: 1 }, { sku: 'b', qty: 'two' }] };
 * const result = Order['~standard'].validate(value);
 * if (!(result instanceof Promise) && result.issues) describeStandardIssues(result.issues, value);
 * // [{ path: 'items.1.qty', expected: 'Invalid input: expected number, received string', actual: 'two',
 * //    text: 'at "items.1.qty": Invalid input: expected number, received string, got "two"' }]
 * ```
 *
 * @param issues The `issues` of a failed `validate`.
 * @param value The value that was validated, to show what was found at each path.
 * @return The failures.
 * @see describeInputErrors
 * @see decodeToolInput
 */
export function describeStandardIssues(issues: ReadonlyArray<StandardSchemaV1.Issue>, value: unknown): InputFailure[] {
  const seen = new Set<string>();
  const failures: InputFailure[] = [];
  for (const issue of issues) {
    const path = (issue.path ?? []).map(stepName);
    const message = cut(String(issue.message));
    const failure = inputFailure(path, message, message, valueAt(value, path));
    if (seen.has(failure.text)) continue;
    seen.add(failure.text);
    failures.push(failure);
  }
  return failures;
}

function stepName(step: PropertyKey | StandardSchemaV1.PathSegment): string {
  const key = typeof step === 'object' && step !== null ? step.key : step;
  return typeof key === 'symbol' ? (key.description ?? 'Symbol()') : String(key);
}

/** What the value holds at a path, or `undefined` where the path leaves it (a missing field). */
function valueAt(value: unknown, path: readonly string[]): unknown {
  let at = value;
  for (const step of path) {
    if (typeof at !== 'object' || at === null || !Object.prototype.hasOwnProperty.call(at, step)) return undefined;
    at = (at as Record<string, unknown>)[step];
  }
  return at;
}

function cut(text: string): string {
  return text.length > MAX_MESSAGE ? `${text.slice(0, MAX_MESSAGE)}…` : text;
}
