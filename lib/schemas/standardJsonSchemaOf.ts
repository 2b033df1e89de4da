import { AnthropicError } from '../errors';
import type { JsonSchema } from './JsonSchema';
import type { StandardSchemaWithJsonSchema } from './ValueSchema';

/**
 * The JSON Schema (draft 2020-12) of the values a Standard Schema accepts, as its library writes
 * it (`~standard.jsonSchema.input`), for a tool's `input_schema` or a structured output.
 *
 * The *input* schema is asked for, since it describes what the model must write: the JSON that
 * goes into `validate` (a zod `.transform()` or an ArkType morph changes the value only after).
 * `$schema` is left out, as {@link jsonSchemaOf} never writes it. The schema is not otherwise
 * changed here: `defineTool` checks that it is an object schema, and `outputFormat` fits it to
 * what structured outputs accept ({@link toStructuredOutputSchema}), each naming the path of what
 * cannot be used.
 *
 * ## Example
 * ```ts
 * import { z } from 'zod';
 *
 * standardJsonSchemaOf(z.object({ city: z.string().describe('The city') }));
 * // { type: 'object', properties: { city: { type: 'string', description: 'The city' } }, required: ['city'] }
 * ```
 *
 * @param schema A Standard Schema that implements Standard JSON Schema.
 * @return Its JSON Schema.
 * @throws AnthropicError when the library cannot write one (a zod `z.date()`, a Valibot
 *   `v.date()`…): the message gives the library's reason, and `cause` its error.
 * @see jsonSchemaOf
 * @see defineTool
 * @see outputFormat
 */
export function standardJsonSchemaOf(schema: StandardSchemaWithJsonSchema): JsonSchema {
  const vendor = schema['~standard'].vendor;
  let written: Record<string, unknown>;
  try {
    written = schema['~standard'].jsonSchema.input({ target: 'draft-2020-12' });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new AnthropicError(`Cannot get a JSON Schema from the ${vendor} schema: ${vendor} says "${reason.replace(/\.$/, '')}"`, { cause: error });
  }
  if (typeof written !== 'object' || written === null || Array.isArray(written)) {
    throw new AnthropicError(`Cannot get a JSON Schema from the ${vendor} schema: its jsonSchema.input() gave ${written === null ? 'null' : Array.isArray(written) ? 'an array' : typeof written}, not an object`);
  }
  const { $schema: _dialect, ...jsonSchema } = written;
  return jsonSchema as JsonSchema;
}
