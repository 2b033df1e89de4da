import type * as t from 'io-ts';
import { AnthropicError, InvalidArgumentError } from '../errors';
import { describeInputErrors } from '../schemas/describeInputErrors';
import { jsonSchemaOf } from '../schemas/jsonSchemaOf';
import type { JsonSchema } from '../schemas/JsonSchema';
import { OUTPUT_HOOKS } from './outputHooks';
import { outputHooksFor } from './outputHooksFor';
import { parseOutputText } from './parseOutputText';
import { OUTPUT_DECODER, type OutputDecoder, type StructuredOutputFormat } from './StructuredOutputFormat';
import { toStructuredOutputSchema } from './toStructuredOutputSchema';

/**
 * Options of {@link outputFormat}.
 *
 * ## Example
 * ```ts
 * const options: OutputFormatOptions = { transform: false }; // send the schema exactly as derived
 * outputFormat(t.type({ city: t.string }), options);
 * ```
 */
export interface OutputFormatOptions {
  /**
   * Transform the schema to the subset structured outputs accept (`additionalProperties: false`,
   * constraints into descriptions, what cannot be expressed refused): see
   * {@link toStructuredOutputSchema}. Default `true`; `false` sends the schema as it is.
   */
  readonly transform?: boolean;
  /**
   * For a codec: the JSON Schema to send instead of the derived one (a codec with no JSON
   * Schema counterpart, or a schema written by hand). The codec still decodes the answer.
   */
  readonly schema?: Readonly<Record<string, unknown>>;
}

/**
 * A `json_schema` output format for `output_config.format`, from an io-ts codec (the value is
 * then typed and checked by it) or a JSON Schema (the value is then only JSON-parsed).
 *
 * The JSON Schema of a codec is derived as a tool's is (`jsonSchemaOf`, with `described()`
 * descriptions), then transformed to the subset the API accepts for structured outputs
 * ({@link toStructuredOutputSchema}: `additionalProperties: false` on every object, constraints
 * into descriptions, what cannot be expressed refused with an error naming its path). The result
 * serialises to exactly `{ type: 'json_schema', schema }`; the codec is carried under a symbol
 * that is not enumerable, with a `parse(text)` method that is not enumerable either, so that
 * {@link partialOutput} and {@link finalOutput} know how to read the answer; and, under another
 * such symbol, what `client.messages.parse()` and `client.messages.stream()` do with it, so the
 * client reaches that code only through the format. A request without such a format pays
 * nothing for any of it, and an app that never calls `outputFormat` does not bundle it.
 *
 * ## Example
 * ```ts
 * import * as t from 'io-ts';
 * import { described, outputFormat } from 'rx-anthropic';
 *
 * const Review = t.type({
 *   title: t.string,
 *   stars: described(t.number, 'From 1 to 5'),
 *   pros: t.array(t.string),
 * });
 * const format = outputFormat(Review);
 * client.messages.parse({ ...params, output_config: { format } }).subscribe(({ parsed_output }) => console.log(parsed_output?.stars));
 * ```
 *
 * @param codec An io-ts codec of the output, or a JSON Schema of it.
 * @param options `transform: false` to send the schema as it is; `schema` to send another schema for a codec.
 * @return The format, typed by the codec.
 * @throws InvalidArgumentError when no JSON Schema can be derived from the codec, or the schema
 *   has what structured outputs cannot express, naming the path (`output.tags.*`).
 * @see partialOutput
 * @see finalOutput
 * @see toStructuredOutputSchema
 */
export function outputFormat<C extends t.Mixed>(codec: C, options?: OutputFormatOptions): StructuredOutputFormat<t.TypeOf<C>>;
export function outputFormat<T = unknown>(schema: Readonly<Record<string, unknown>> | JsonSchema, options?: OutputFormatOptions): StructuredOutputFormat<T>;
export function outputFormat(source: t.Mixed | Readonly<Record<string, unknown>> | JsonSchema, options: OutputFormatOptions = {}): StructuredOutputFormat {
  const codec = isCodec(source) ? source : undefined;
  if (codec === undefined && (typeof source !== 'object' || source === null || Array.isArray(source))) {
    throw new InvalidArgumentError('schema', `outputFormat() takes an io-ts codec or a JSON Schema object, not ${source === null ? 'null' : Array.isArray(source) ? 'an array' : typeof source}.`);
  }
  const derived = options.schema ?? ((codec === undefined ? source : schemaOfCodec(codec)) as Readonly<Record<string, unknown>>);
  const schema = options.transform === false ? { ...derived } : toStructuredOutputSchema(derived);
  const decoder: OutputDecoder<unknown> = codec === undefined ? { decode: (value) => ({ ok: true, value }) } : codecDecoder(codec);
  const format = { type: 'json_schema' as const, schema };
  Object.defineProperty(format, OUTPUT_DECODER, { value: decoder });
  Object.defineProperty(format, OUTPUT_HOOKS, { value: outputHooksFor(decoder) });
  Object.defineProperty(format, 'parse', { value: (text: string) => parseOutputText(text, decoder) });
  return format as unknown as StructuredOutputFormat;
}

/** Whether a value is an io-ts codec rather than a JSON Schema: it has the methods a codec has. */
function isCodec(value: unknown): value is t.Mixed {
  const candidate = value as { validate?: unknown; decode?: unknown; is?: unknown } | null;
  return typeof candidate === 'object' && candidate !== null && typeof candidate.validate === 'function' && typeof candidate.decode === 'function' && typeof candidate.is === 'function';
}

function codecDecoder(codec: t.Mixed): OutputDecoder<unknown> {
  return {
    decode: (value) => {
      const result = codec.decode(value);
      return result._tag === 'Right' ? { ok: true, value: result.right } : { ok: false, failures: describeInputErrors(result.left) };
    },
  };
}

/**
 * The codec's JSON Schema. `jsonSchemaOf` words its refusal for a tool's input; the same reason
 * is given here for an output, with the option that fixes it.
 */
function schemaOfCodec(codec: t.Mixed): JsonSchema {
  try {
    return jsonSchemaOf(codec);
  } catch (error) {
    if (!(error instanceof AnthropicError)) throw error;
    const match = /^Cannot derive a JSON Schema from the codec (".*?") at input(\S*): ([\s\S]*?)\. Pass `inputSchema`/.exec(error.message);
    const what = match === null ? error.message : `from the codec ${match[1]} at output${match[2]}: ${match[3]}`;
    const wrapped = new InvalidArgumentError(
      'codec',
      `outputFormat() cannot derive a JSON Schema ${match === null ? `(${what})` : what}. Pass { schema } in its options to give the JSON Schema yourself (the codec then only decodes).`,
    );
    Object.defineProperty(wrapped, 'cause', { value: error, enumerable: false, writable: true, configurable: true });
    throw wrapped;
  }
}
