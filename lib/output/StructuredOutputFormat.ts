import type { JSONOutputFormat } from '../schema/params';
import type { OUTPUT_HOOKS, OutputHooks } from './outputHooks';

/**
 * How a format turns the output's parsed JSON into its value: the codec's decode or the Standard
 * Schema's validate, or nothing for a plain JSON Schema. Carried by the format under a symbol that is not enumerable, so it is
 * never sent.
 */
export interface OutputDecoder<T> {
  /** The value, or the failures of the codec (`describeInputErrors`' descriptions). */
  decode(value: unknown): { readonly ok: true; readonly value: T } | { readonly ok: false; readonly failures: readonly OutputFailure[] };
}

/** One path the codec refused, as `OutputValidationError.failures` lists it. */
export interface OutputFailure {
  readonly path: string;
  readonly expected: string;
  readonly actual: unknown;
  readonly text: string;
}

/** Where a format keeps its decoder: a symbol, not enumerable, so `JSON.stringify`, spread and `toEqual` leave it out. */
export const OUTPUT_DECODER: unique symbol = Symbol('rx-anthropic output decoder');

/**
 * A `json_schema` output format for `output_config.format` that also knows how to read the
 * answer: made by {@link outputFormat} from an io-ts codec or a Standard Schema (then typed by
 * it) or a JSON Schema.
 *
 * On the wire it is exactly `{ type: 'json_schema', schema }`: the decoder, the client's hooks
 * and `parse` are not enumerable, so `JSON.stringify` leaves them out. `parse(text)` is the official SDKs'
 * "auto-parseable format" method, so the same object also works with `@anthropic-ai/sdk`'s
 * `messages.parse()`.
 *
 * ## Example
 * ```ts
 * import * as t from 'io-ts';
 * import { outputFormat, type StructuredOutputFormat } from 'rx-anthropic';
 *
 * const format: StructuredOutputFormat<{ city: string }> = outputFormat(t.type({ city: t.string }));
 * JSON.stringify(format); // '{"type":"json_schema","schema":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"],"additionalProperties":false}}'
 * format.parse('{"city":"Paris"}'); // { city: 'Paris' }
 * ```
 *
 * @see outputFormat
 * @see partialOutput
 * @see finalOutput
 */
export interface StructuredOutputFormat<T = unknown> extends JSONOutputFormat {
  /**
   * Parses the text of an answer and decodes it with the codec or Standard Schema.
   *
   * @throws OutputParseError when the text is not JSON.
   * @throws OutputValidationError when the codec or schema refuses it.
   * @throws AsyncValidationError when a Standard Schema validates asynchronously.
   */
  parse(text: string): T;
  /** How the parsed JSON becomes the value; not sent. */
  readonly [OUTPUT_DECODER]: OutputDecoder<T>;
  /** What the client does with a request of this format (`parsed_output` on its final message); not sent. */
  readonly [OUTPUT_HOOKS]: OutputHooks<T>;
}

/**
 * What the operators and `messages.parse` take as a format: one made by {@link outputFormat},
 * or a plain `{ type: 'json_schema', schema }`, whose value is only JSON-parsed.
 *
 * ## Example
 * ```ts
 * const plain: OutputFormatLike = { type: 'json_schema', schema: { type: 'array', items: { type: 'integer' } } };
 * client.messages.stream({ ...params, output_config: { format: plain } }).pipe(finalOutput(plain));
 * ```
 */
export type OutputFormatLike<T = unknown> = StructuredOutputFormat<T> | JSONOutputFormat;

/**
 * The value type of a format: `T` for a `StructuredOutputFormat<T>`, `unknown` for a plain one.
 *
 * ## Example
 * ```ts
 * const format = outputFormat(t.type({ city: t.string }));
 * const value: OutputOf<typeof format> = { city: 'Paris' };
 * ```
 */
export type OutputOf<F> = F extends StructuredOutputFormat<infer T> ? T : unknown;

/** Whether a value carries a decoder: made by `outputFormat` (a plain `{ type, schema }` does not). */
export function isStructuredOutputFormat(format: unknown): format is StructuredOutputFormat {
  return typeof format === 'object' && format !== null && OUTPUT_DECODER in format;
}

/** Reads a value as plain JSON: the decoder of a format with no codec. */
const JSON_DECODER: OutputDecoder<unknown> = { decode: (value) => ({ ok: true, value }) };

/** The decoder of any format: its codec's, or the identity for a plain JSON Schema format. */
export function decoderOf<T>(format: OutputFormatLike<T>): OutputDecoder<T> {
  return isStructuredOutputFormat(format) ? (format[OUTPUT_DECODER] as OutputDecoder<T>) : (JSON_DECODER as OutputDecoder<T>);
}
