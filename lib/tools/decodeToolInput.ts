import type * as t from 'io-ts';
import type { InputFailure } from '../schemas/InputFailure';
import { isPromiseLike, validateValue, type Validation } from '../schemas/validateValue';
import type { RunnableTool } from './RunnableTool';

/**
 * The outcome of {@link decodeToolInput}: the decoded input, or a message to send back as an `is_error` result.
 *
 * ## Example
 * ```ts
 * const result: DecodedToolInput<{ city: string }> = decodeToolInput(getWeather, { city: 'Paris' });
 * if (result.ok) console.log(result.value.city); else console.log(result.message);
 * ```
 */
export type DecodedToolInput<I> =
  | { readonly ok: true; readonly value: I }
  | { readonly ok: false; readonly message: string; readonly failures: readonly InputFailure[] };

/** Failures listed in one message; more would bury the first ones without helping the model. */
const MAX_LISTED = 10;

/**
 * Decodes the input the model sent for a tool with the tool's schema: its io-ts codec, or its
 * Standard Schema (zod, Valibot, ArkType).
 *
 * On failure the message names every failing path with what was expected and what came, so
 * that the model can call the tool again with corrected input; the tool loop sends it as an
 * `is_error` tool result. A codec answers at once; a Standard Schema whose `validate` returns a
 * Promise (async refinements) makes this return a Promise too, which the tool loop waits for.
 * Exceptions thrown by a schema itself are not caught.
 *
 * ## Example
 * ```ts
 * const getWeather = defineTool({
 *   name: 'get_weather',
 *   input: t.type({ city: t.string, units: t.keyof({ celsius: null, fahrenheit: null }) }),
 *   run: ({ city }) => `Sunny in ${city}`,
 * });
 * decodeToolInput(getWeather, { units: 'kelvin' });
 * // { ok: false, message: 'Invalid input for tool "get_weather": at "city": expected string, got undefined (missing); ' +
 * //   'at "units": expected "celsius" | "fahrenheit", got "kelvin"', failures: [...] }
 * decodeToolInput(getWeather, { city: 'Paris', units: 'celsius' }); // { ok: true, value: { city: 'Paris', units: 'celsius' } }
 * ```
 *
 * @param tool The tool, for its `name` and `input` schema.
 * @param raw The `input` of the `tool_use` block.
 * @return The decoded input, or the message and the failures (a Promise of them for a schema that validates asynchronously).
 * @see describeInputErrors
 * @see describeStandardIssues
 * @see defineTool
 */
export function decodeToolInput<I>(tool: { readonly name: string; readonly input: t.Decoder<unknown, I> }, raw: unknown): DecodedToolInput<I>;
export function decodeToolInput<I>(tool: Pick<RunnableTool<I>, 'name' | 'input'>, raw: unknown): DecodedToolInput<I> | Promise<DecodedToolInput<I>>;
export function decodeToolInput<I>(tool: Pick<RunnableTool<I>, 'name' | 'input'>, raw: unknown): DecodedToolInput<I> | Promise<DecodedToolInput<I>> {
  const outcome = validateValue(tool.input, raw);
  return isPromiseLike<Validation<I>>(outcome) ? Promise.resolve(outcome).then((settled) => toolOutcome(tool.name, settled)) : toolOutcome(tool.name, outcome);
}

function toolOutcome<I>(name: string, outcome: Validation<I>): DecodedToolInput<I> {
  if (outcome.ok) return outcome;
  const { failures } = outcome;
  const listed = failures.slice(0, MAX_LISTED).map((failure) => failure.text);
  if (failures.length > MAX_LISTED) listed.push(`and ${failures.length - MAX_LISTED} more`);
  const message = `Invalid input for tool "${name}"${listed.length === 0 ? '.' : `: ${listed.join('; ')}`}`;
  return { ok: false, message, failures };
}
