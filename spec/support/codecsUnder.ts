import type * as t from 'io-ts';

/**
 * io-ts codec kinds whose `validate` returns its input itself whenever its parts do: a codec
 * made only of these transforms nothing, so where it accepts a value with `is`, `validate` would
 * give back that very value (the property the `is`-first decoders rely on).
 */
export const PASS_THROUGH = new Set([
  'InterfaceType',
  'PartialType',
  'IntersectionType',
  'UnionType',
  'LiteralType',
  'KeyofType',
  'StringType',
  'NumberType',
  'BooleanType',
  'NullType',
  'UndefinedType',
  'UnknownType',
  'UnknownRecordType',
  'AnyDictionaryType',
  'AnyArrayType',
  'ArrayType',
  'ReadonlyArrayType',
  'ReadonlyType',
  'DictionaryType',
  'RefinementType',
  'OpenUnionType',
  'OpenEnumType',
]);

/** A codec read loosely: the fields through which io-ts codecs hold their parts. */
export type AnyCodec = t.Mixed & {
  _tag?: string;
  props?: Record<string, t.Mixed>;
  types?: t.Mixed[];
  type?: t.Mixed;
  members?: Record<string, t.Mixed>;
  domain?: t.Mixed;
  codomain?: t.Mixed;
};

/**
 * Every codec reachable from `root`, each once, with the path that reaches it (`.prop`, `|i` of a
 * union, `<member>` of an open union, `[]` of an array, `{key}`/`{value}` of a record).
 *
 * ## Example
 * ```ts
 * const others = codecsUnder(RawMessageStreamEvent, 'RawMessageStreamEvent').filter(({ codec }) => !PASS_THROUGH.has(codec._tag ?? ''));
 * ```
 */
export function codecsUnder(root: t.Mixed, name: string): Array<{ path: string; codec: AnyCodec }> {
  const found: Array<{ path: string; codec: AnyCodec }> = [];
  const seen = new Set<unknown>();
  const visit = (codec: AnyCodec, path: string): void => {
    if (seen.has(codec)) return;
    seen.add(codec);
    found.push({ path, codec });
    for (const [key, child] of Object.entries(codec.props ?? {})) visit(child as AnyCodec, `${path}.${key}`);
    for (const [key, child] of Object.entries(codec.members ?? {})) visit(child as AnyCodec, `${path}<${key}>`);
    (codec.types ?? []).forEach((child, i) => visit(child as AnyCodec, `${path}|${i}`));
    if (codec.type && typeof codec.type === 'object') visit(codec.type as AnyCodec, `${path}[]`);
    if (codec.domain) visit(codec.domain as AnyCodec, `${path}{key}`);
    if (codec.codomain) visit(codec.codomain as AnyCodec, `${path}{value}`);
  };
  visit(root as AnyCodec, name);
  return found;
}
