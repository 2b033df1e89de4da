import * as t from 'io-ts';

/**
 * A codec that also accepts `null`, as the API sends for fields it has no value for.
 *
 * A plain `t.union([codec, t.null])` named `<codec> | null`, so an error reads
 * "expected number | null".
 *
 * ## Example
 * ```ts
 * const StopSequence = nullable(t.string);
 * StopSequence.decode(null); // right(null)
 * ```
 *
 * @param codec The codec of a present value.
 * @return A codec of that value or `null`.
 * @see struct
 */
export function nullable<C extends t.Mixed>(codec: C): t.UnionC<[C, t.NullC]> {
  return t.union([codec, t.null], `${codec.name} | null`);
}

/**
 * The codec {@link openEnum} returns: any string, typed as the known values or another string.
 *
 * ## Example
 * ```ts
 * const Color = openEnum(['red', 'green']); // an OpenEnumType<'red' | 'green'>
 * Color.known; // ['red', 'green']
 * Color.decode('blue'); // right('blue'): unknown values pass
 * ```
 */
export class OpenEnumType<K extends string> extends t.Type<K | (string & {}), string, unknown> {
  readonly _tag = 'OpenEnumType' as const;
  constructor(
    /** The values known when this library was written. */
    readonly known: readonly K[],
  ) {
    super(
      'string',
      (u): u is K | (string & {}) => typeof u === 'string',
      (u, c) => (typeof u === 'string' ? t.success(u) : t.failure(u, c)),
      t.identity,
    );
  }
}

/**
 * A string field whose known values are listed but whose other values are accepted too.
 *
 * The static type is `'a' | 'b' | (string & {})`: editors suggest the known values and a switch
 * narrows on them, while a value the API adds later (a new `stop_reason`) still decodes. Errors
 * name the codec `string`, which is what it checks.
 *
 * ## Example
 * ```ts
 * const StopReason = openEnum(['end_turn', 'max_tokens']);
 * type StopReason = t.TypeOf<typeof StopReason>; // 'end_turn' | 'max_tokens' | (string & {})
 * StopReason.decode('model_context_window_exceeded'); // right
 * ```
 *
 * @param known The values known today.
 * @return A codec of any string, typed with the known values.
 * @see nullable
 */
export function openEnum<K extends string>(known: readonly K[]): OpenEnumType<K> {
  return new OpenEnumType(known);
}

/**
 * An object codec with required and optional fields that keeps every field, known or not.
 *
 * `t.type` for the required fields alone, or `t.intersection` of `t.type` and `t.partial` when
 * there are optional ones. Never `t.exact`/`t.strict`: unknown fields stay on the value, and a
 * value that passes is returned as the same object, not a copy.
 *
 * ## Example
 * ```ts
 * const Container = struct('Container', { id: t.string, expires_at: t.string }, { skills: nullable(t.array(t.unknown)) });
 * type Container = t.TypeOf<typeof Container>; // { id: string; expires_at: string } & { skills?: unknown[] | null }
 * ```
 *
 * @param name The codec's name, used in error messages.
 * @param required The fields the API always sends (a third argument gives those it may leave out).
 * @return The object codec.
 * @see nullable
 * @see openUnion
 */
export function struct<R extends t.Props>(name: string, required: R): t.TypeC<R>;
export function struct<R extends t.Props, O extends t.Props>(name: string, required: R, optional: O): t.IntersectionC<[t.TypeC<R>, t.PartialC<O>]>;
export function struct(name: string, required: t.Props, optional?: t.Props): t.Mixed {
  if (optional === undefined) return t.type(required, name);
  return t.intersection([t.type(required, name), t.partial(optional, name)], name);
}
