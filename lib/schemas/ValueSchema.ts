import type { StandardJSONSchemaV1, StandardSchemaV1 } from '@standard-schema/spec';
import type * as t from 'io-ts';

/**
 * A schema that both validates values (Standard Schema: `~standard.validate`) and writes its own
 * JSON Schema (Standard JSON Schema: `~standard.jsonSchema`), as zod 4 and ArkType 2 schemas do,
 * and Valibot schemas wrapped with `toStandardJsonSchema()` from `@valibot/to-json-schema`.
 *
 * ## Example
 * ```ts
 * import { z } from 'zod';
 *
 * const Weather: StandardSchemaWithJsonSchema<{ city: string }> = z.object({ city: z.string() });
 * ```
 *
 * @see ValueSchema
 */
export interface StandardSchemaWithJsonSchema<Input = unknown, Output = Input> {
  /** The Standard Schema and Standard JSON Schema properties. */
  readonly '~standard': StandardSchemaV1.Props<Input, Output> & StandardJSONSchemaV1.Props<Input, Output>;
}

/**
 * What `defineTool({ input })`, `outputFormat()` and so `partialOutput()`, `finalOutput()` and
 * `client.messages.parse()` take as the schema of a value: an io-ts codec, or any
 * {@link StandardSchemaWithJsonSchema} (zod, Valibot through `toStandardJsonSchema`, ArkType).
 *
 * ## Example
 * ```ts
 * import * as t from 'io-ts';
 * import { z } from 'zod';
 *
 * const withIoTs: ValueSchema<{ city: string }> = t.type({ city: t.string });
 * const withZod: ValueSchema<{ city: string }> = z.object({ city: z.string() });
 * ```
 *
 * @see ValueOfSchema
 */
export type ValueSchema<T = any> = t.Type<T, any, unknown> | StandardSchemaWithJsonSchema<any, T>; // eslint-disable-line @typescript-eslint/no-explicit-any

/**
 * The type of the values a {@link ValueSchema} lets through: `t.TypeOf` of an io-ts codec, the
 * output type of a Standard Schema (after its transforms).
 *
 * ## Example
 * ```ts
 * const Weather = z.object({ city: z.string(), days: z.number().default(1) });
 * const input: ValueOfSchema<typeof Weather> = { city: 'Paris', days: 3 };
 * ```
 */
export type ValueOfSchema<S> = S extends t.Mixed ? t.TypeOf<S> : S extends StandardSchemaV1 ? StandardSchemaV1.InferOutput<S> : never;
