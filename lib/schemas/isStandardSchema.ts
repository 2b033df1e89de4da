import type { StandardSchemaV1 } from '@standard-schema/spec';
import type { StandardSchemaWithJsonSchema } from './ValueSchema';

type StandardProps = { readonly validate?: unknown; readonly jsonSchema?: { readonly input?: unknown } | null } | null;

/**
 * Whether a value is a Standard Schema (it has `~standard.validate`), whether or not it also
 * writes its JSON Schema. Looked for before an io-ts codec's methods, which no Standard Schema
 * library relies on.
 *
 * @param value Anything given where a schema goes.
 * @return Whether it is a Standard Schema.
 */
export function isStandardSchema(value: unknown): value is StandardSchemaV1 {
  if ((typeof value !== 'object' && typeof value !== 'function') || value === null) return false;
  const props = (value as { readonly '~standard'?: StandardProps })['~standard'];
  return typeof props === 'object' && props !== null && typeof props.validate === 'function';
}

/**
 * Whether a Standard Schema also writes its JSON Schema (Standard JSON Schema: `~standard.jsonSchema.input`).
 *
 * @param schema A Standard Schema.
 * @return Whether it is a {@link StandardSchemaWithJsonSchema}.
 */
export function hasStandardJsonSchema(schema: StandardSchemaV1): schema is StandardSchemaWithJsonSchema {
  return typeof (schema['~standard'] as StandardProps)?.jsonSchema?.input === 'function';
}
