import type * as t from 'io-ts';

/** The description of each codec made by {@link described}; a WeakMap so codecs carry no extra field. */
const descriptions = new WeakMap<object, string>();

/**
 * A codec that decodes, encodes and is typed exactly like `codec`, and carries a description
 * that {@link jsonSchemaOf} writes as the `description` of its JSON Schema.
 *
 * The result is a copy of `codec` (same class, same fields), not a wrapper: combinators that
 * look at a codec's shape (optional fields, literal unions, error paths) see through it, and
 * the original stays undescribed, so one codec can be described differently in two places.
 * Describing a described codec replaces its description.
 *
 * ## Example
 * ```ts
 * const GetWeatherInput = described(
 *   t.type({
 *     city: described(t.string, 'The city, e.g. "Paris"'),
 *     units: described(t.union([t.literal('celsius'), t.literal('fahrenheit'), t.undefined]), 'Defaults to celsius'),
 *   }),
 *   'Where to get the weather for',
 * );
 * jsonSchemaOf(GetWeatherInput).properties?.city; // { type: 'string', description: 'The city, e.g. "Paris"' }
 * ```
 *
 * @param codec The codec to describe.
 * @param description What the value means, for the model: units, formats, examples.
 * @return A codec of the same type as `codec`.
 * @see descriptionOf
 * @see jsonSchemaOf
 */
export function described<C extends t.Mixed>(codec: C, description: string): C {
  // io-ts keeps everything (validate, is, encode, props, _tag…) as own fields and the methods
  // on the prototype, so a copy with the same prototype behaves exactly like the original.
  const copy = Object.assign(Object.create(Object.getPrototypeOf(codec) as object | null) as object, codec) as C;
  descriptions.set(copy, description);
  return copy;
}

/**
 * The description given to a codec by {@link described}, if any.
 *
 * ## Example
 * ```ts
 * descriptionOf(described(t.string, 'A city')); // 'A city'
 * descriptionOf(t.string); // undefined
 * ```
 *
 * @param codec Any codec.
 * @return Its description, or `undefined`.
 * @see described
 */
export function descriptionOf(codec: t.Decoder<unknown, unknown>): string | undefined {
  return descriptions.get(codec);
}
