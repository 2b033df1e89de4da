import { AnthropicError } from '../errors';
import type { JsonSchema } from './JsonSchema';
import type { StandardSchemaWithJsonSchema } from './ValueSchema';

/**
 * The JSON Schema (draft 2020-12) of the values a Standard Schema accepts, as its library writes
 * it (`~standard.jsonSchema.input`), for a tool's `input_schema` or a structured output.
 *
 * The *input* schema is asked for, since it describes what the model must write: the JSON that
 * goes into `validate` (a zod `.transform()` or an ArkType morph changes the value only after).
 * `$schema` is left out, as {@link jsonSchemaOf} never writes it, and so are the bounds that only
 * restate the safe-integer range on an integer (zod's `z.number().int()` writes
 * `minimum: -9007199254740991, maximum: 9007199254740991`). The schema is not otherwise changed here: `defineTool` checks that it is an object schema, and `outputFormat` fits it to
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
  return withoutSafeIntegerBounds(jsonSchema) as JsonSchema;
}

/** Keywords whose values are data, not schemas: never walked. */
const DATA_KEYWORDS = new Set(['enum', 'const', 'default', 'examples']);

/**
 * The schema without the bounds that only restate JavaScript's safe-integer range on an
 * integer (zod writes them for every `z.number().int()`): they say nothing to the model, and
 * structured outputs would move them into every such field's description. Nodes are copied
 * only where something is dropped below them.
 */
function withoutSafeIntegerBounds(node: unknown): unknown {
  if (Array.isArray(node)) {
    const items = node.map(withoutSafeIntegerBounds);
    return items.every((item, index) => item === node[index]) ? node : items;
  }
  if (typeof node !== 'object' || node === null) return node;
  const record = node as Record<string, unknown>;
  let copy: Record<string, unknown> | undefined;
  for (const [key, value] of Object.entries(record)) {
    if (DATA_KEYWORDS.has(key)) continue;
    const walked = withoutSafeIntegerBounds(value);
    if (walked !== value) (copy ??= { ...record })[key] = walked;
  }
  if (record['type'] === 'integer') {
    if (record['minimum'] === Number.MIN_SAFE_INTEGER) delete (copy ??= { ...record })['minimum'];
    if (record['maximum'] === Number.MAX_SAFE_INTEGER) delete (copy ??= { ...record })['maximum'];
  }
  return copy ?? record;
}
