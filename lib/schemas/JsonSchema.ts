/**
 * The JSON types a schema's `type` can name.
 *
 * ## Example
 * ```ts
 * const type: JsonSchemaType = 'integer';
 * const schema: JsonSchema = { type, description: 'A count' };
 * ```
 */
export type JsonSchemaType = 'object' | 'array' | 'string' | 'number' | 'integer' | 'boolean' | 'null';

/**
 * A value a JSON Schema `enum` or `const` can hold: what an io-ts literal or `t.null` accepts.
 *
 * ## Example
 * ```ts
 * const units: JsonPrimitive[] = ['celsius', 'fahrenheit'];
 * const schema: JsonSchema = { type: 'string', enum: units };
 * ```
 */
export type JsonPrimitive = string | number | boolean | null;

/**
 * The part of JSON Schema (draft 2020-12) that {@link jsonSchemaOf} writes: enough for the
 * combinators io-ts offers, nothing it never produces.
 *
 * ## Example
 * ```ts
 * const schema: JsonSchema = {
 *   type: 'object',
 *   properties: { city: { type: 'string', description: 'The city, e.g. "Paris"' } },
 *   required: ['city'],
 * };
 * ```
 *
 * @see jsonSchemaOf
 */
export interface JsonSchema {
  type?: JsonSchemaType | JsonSchemaType[];
  description?: string;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
  enum?: JsonPrimitive[];
  const?: JsonPrimitive;
  anyOf?: JsonSchema[];
  allOf?: JsonSchema[];
  $ref?: string;
  $defs?: Record<string, JsonSchema>;
}
