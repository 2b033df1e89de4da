import type { StandardSchemaV1 } from '@standard-schema/spec';
import type * as t from 'io-ts';
import { AnthropicError, InvalidArgumentError } from '../errors';
import { AsyncValidationError } from '../schemas/AsyncValidationError';
import { isCodec } from '../schemas/isCodec';
import { hasStandardJsonSchema, isStandardSchema } from '../schemas/isStandardSchema';
import type { JsonSchema } from '../schemas/JsonSchema';
import { jsonSchemaOf } from '../schemas/jsonSchemaOf';
import { standardJsonSchemaOf } from '../schemas/standardJsonSchemaOf';
import { isPromiseLike, validateValue } from '../schemas/validateValue';
import type { StandardSchemaWithJsonSchema } from '../schemas/ValueSchema';
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
   * For a codec or a Standard Schema: the JSON Schema to send instead of the derived one (a
   * schema with no JSON Schema counterpart, or one written by hand). The codec or Standard
   * Schema still checks the answer.
   */
  readonly schema?: Readonly<Record<string, unknown>>;
}

/**
 * A `json_schema` output format for `output_config.format`, from an io-ts codec or a Standard
 * Schema with Standard JSON Schema (zod 4, ArkType 2, Valibot wrapped with `toStandardJsonSchema()`
 * from `@valibot/to-json-schema`), whose value is then typed and checked by it, or from a JSON
 * Schema (the value is then only JSON-parsed).
 *
 * The JSON Schema of a codec is derived as a tool's is (`jsonSchemaOf`, with `described()`
 * descriptions); a Standard Schema's library writes it (its input JSON Schema, draft 2020-12:
 * {@link standardJsonSchemaOf}). Either is then transformed to the subset the API accepts for
 * structured outputs ({@link toStructuredOutputSchema}: `additionalProperties: false` on every
 * object, constraints into descriptions, what cannot be expressed refused with an error naming
 * its path). The result
 * serialises to exactly `{ type: 'json_schema', schema }`; the codec is carried under a symbol
 * that is not enumerable, with a `parse(text)` method that is not enumerable either, so that
 * {@link partialOutput} and {@link finalOutput} know how to read the answer; and, under another
 * such symbol, what `client.messages.parse()` and `client.messages.stream()` do with it, so the
 * client reaches that code only through the format. A request without such a format pays
 * nothing for any of it, and an app that never calls `outputFormat` does not bundle it.
 *
 * The output is read synchronously, in the step that reads its text: a Standard Schema whose
 * `validate` returns a Promise (async refinements) fails the read with `AsyncValidationError`.
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
 *
 * // The same with zod: parsed_output is typed { title: string; stars: number; pros: string[] } | null.
 * const zodFormat = outputFormat(z.object({ title: z.string(), stars: z.number().int().min(1).max(5), pros: z.array(z.string()) }));
 * ```
 *
 * @param codec An io-ts codec of the output, a Standard Schema with Standard JSON Schema, or a JSON Schema of it.
 * @param options `transform: false` to send the schema as it is; `schema` to send another schema for a codec.
 * @return The format, typed by the codec.
 * @throws InvalidArgumentError when no JSON Schema can be derived from the codec or written by
 *   the Standard Schema's library, or the schema has what structured outputs cannot express,
 *   naming the path (`output.tags.*`).
 * @see partialOutput
 * @see finalOutput
 * @see toStructuredOutputSchema
 */
export function outputFormat<C extends t.Mixed>(codec: C, options?: OutputFormatOptions): StructuredOutputFormat<t.TypeOf<C>>;
export function outputFormat<S extends StandardSchemaWithJsonSchema>(schema: S, options?: OutputFormatOptions): StructuredOutputFormat<StandardSchemaV1.InferOutput<S>>;
export function outputFormat<T = unknown>(schema: Readonly<Record<string, unknown>> | JsonSchema, options?: OutputFormatOptions): StructuredOutputFormat<T>;
export function outputFormat(source: t.Mixed | StandardSchemaWithJsonSchema | Readonly<Record<string, unknown>> | JsonSchema, options: OutputFormatOptions = {}): StructuredOutputFormat {
  // A Standard Schema is looked for first: a library may give its schemas methods named like a codec's.
  const checker = isStandardSchema(source) || isCodec(source) ? source : undefined;
  if (checker === undefined && (typeof source !== 'object' || source === null || Array.isArray(source))) {
    throw new InvalidArgumentError(
      'schema',
      `outputFormat() takes an io-ts codec or a JSON Schema object, not ${source === null ? 'null' : Array.isArray(source) ? 'an array' : typeof source}. ` +
        'It also takes a Standard Schema with Standard JSON Schema (zod, ArkType, Valibot through toStandardJsonSchema).',
    );
  }
  const derived = options.schema ?? ((checker === undefined ? source : isStandardSchema(checker) ? schemaOfStandard(checker) : schemaOfCodec(checker)) as Readonly<Record<string, unknown>>);
  const schema = options.transform === false ? { ...derived } : toStructuredOutputSchema(derived);
  const decoder: OutputDecoder<unknown> = checker === undefined ? { decode: (value) => ({ ok: true, value }) } : schemaDecoder(checker);
  const format = { type: 'json_schema' as const, schema };
  Object.defineProperty(format, OUTPUT_DECODER, { value: decoder });
  Object.defineProperty(format, OUTPUT_HOOKS, { value: outputHooksFor(decoder) });
  Object.defineProperty(format, 'parse', { value: (text: string) => parseOutputText(text, decoder) });
  return format as unknown as StructuredOutputFormat;
}

/**
 * Checks the output with the codec or Standard Schema, at once: a Standard Schema that answers
 * with a Promise fails the read with `AsyncValidationError` (its Promise is left to settle unheard).
 */
function schemaDecoder(schema: t.Mixed | StandardSchemaV1): OutputDecoder<unknown> {
  return {
    decode: (value) => {
      const outcome = validateValue<unknown>(schema, value);
      if (!isPromiseLike(outcome)) return outcome;
      // Nobody will read the answer: a rejection must not surface as an unhandled one.
      outcome.then(undefined, () => undefined);
      throw new AsyncValidationError((schema as StandardSchemaV1)['~standard'].vendor);
    },
  };
}

/** The JSON Schema a Standard Schema's library writes, or the error that says why there is none and what to do. */
function schemaOfStandard(schema: StandardSchemaV1): JsonSchema {
  const vendor = schema['~standard'].vendor;
  const fix = 'Pass { schema } in its options to give the JSON Schema yourself (the schema then only checks the output).';
  if (!hasStandardJsonSchema(schema)) {
    throw new InvalidArgumentError(
      'schema',
      `outputFormat() cannot get a JSON Schema from the ${vendor} schema: it does not implement Standard JSON Schema (~standard.jsonSchema). ` +
        `Wrap a Valibot schema with toStandardJsonSchema() from @valibot/to-json-schema. ${fix}`,
    );
  }
  try {
    return standardJsonSchemaOf(schema);
  } catch (error) {
    if (!(error instanceof AnthropicError)) throw error;
    const wrapped = new InvalidArgumentError('schema', `outputFormat(): ${error.message}. ${fix}`);
    Object.defineProperty(wrapped, 'cause', { value: error, enumerable: false, writable: true, configurable: true });
    throw wrapped;
  }
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
