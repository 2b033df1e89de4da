import type * as t from 'io-ts';
import { AnthropicError } from '../errors';
import { descriptionOf } from './described';
import type { JsonPrimitive, JsonSchema, JsonSchemaType } from './JsonSchema';

/**
 * What the walker reads of a codec: its name, io-ts `_tag` and the fields of the combinators it
 * knows. Read by `_tag` rather than `instanceof` so that a second copy of io-ts still works.
 */
interface AnyCodec extends t.Decoder<unknown, unknown> {
  readonly _tag?: string;
  readonly props?: Readonly<Record<string, AnyCodec>>;
  readonly type?: AnyCodec;
  readonly types?: readonly AnyCodec[];
  readonly value?: JsonPrimitive;
  readonly keys?: Record<string, unknown>;
  readonly domain?: AnyCodec;
  readonly codomain?: AnyCodec;
  readonly runDefinition?: () => AnyCodec;
}

/** A recursive codec met while walking: where its schema is, and whether anything pointed there. */
interface Recursion {
  readonly ref: string;
  referenced: boolean;
}

/** The state of one derivation: the recursive codecs seen (keyed by their definition) and their `$defs`. */
interface Walk {
  readonly recursions: Map<unknown, Recursion>;
  readonly defs: Map<string, JsonSchema>;
}

/** Where a codec sits in the input: property names, `[*]` for array items, `*` for record values. */
type Path = readonly string[];

/** Keys an object schema made from `t.type`/`t.partial` may have and still be merged in an intersection. */
const mergeableKeys = new Set(['type', 'properties', 'required', 'description']);

/**
 * The JSON Schema of the values an io-ts codec accepts, as a tool's `input_schema` needs it.
 *
 * Each combinator maps to its JSON Schema counterpart: `t.type` and `t.partial` to an object
 * with `properties` (a field of `t.type` is `required` unless its codec accepts `undefined`, as
 * `t.union([X, t.undefined])` does), `t.intersection` of objects to one merged object,
 * `t.string`/`t.number`/`t.boolean`/`t.null` to their types, `t.Int` to `integer`, other
 * refinements and brands to their base, `t.literal` to `const`, `t.keyof` and unions of
 * literals to `enum`, other unions to `anyOf`, arrays to `items`, `t.record` with string keys
 * to `additionalProperties` and with literal keys to `properties`, `t.exact`/`t.strict`/
 * `t.readonly` to their inner codec, `t.unknown` to `{}`, `t.UnknownRecord` to
 * `{ type: 'object' }`, and `t.recursion` to a `$ref` into `$defs` (or `#` for the root).
 * Descriptions given with {@link described} become `description`.
 *
 * ## Example
 * ```ts
 * jsonSchemaOf(t.type({ city: t.string, units: t.union([t.literal('celsius'), t.literal('fahrenheit'), t.undefined]) }));
 * // {
 * //   type: 'object',
 * //   properties: { city: { type: 'string' }, units: { type: 'string', enum: ['celsius', 'fahrenheit'] } },
 * //   required: ['city'],
 * // }
 * ```
 *
 * @param codec The codec of the tool's input.
 * @return Its JSON Schema.
 * @throws AnthropicError when a codec has no JSON Schema counterpart (a tuple, a function, a
 * custom `new t.Type`…), naming the codec and its path (`input.location.coords`).
 * @see described
 * @see defineTool
 */
export function jsonSchemaOf(codec: t.Decoder<unknown, unknown>): JsonSchema {
  const walk: Walk = { recursions: new Map(), defs: new Map() };
  const schema = schemaOf(codec as AnyCodec, [], walk, true);
  return walk.defs.size === 0 ? schema : { ...schema, $defs: Object.fromEntries(walk.defs) };
}

/** The schema of a codec with its description, if it has one. `atRoot` is whether it is the whole schema. */
function schemaOf(codec: AnyCodec, path: Path, walk: Walk, atRoot: boolean): JsonSchema {
  const schema = bareSchemaOf(codec, path, walk, atRoot);
  const description = descriptionOf(codec);
  return description === undefined ? schema : { ...schema, description };
}

function bareSchemaOf(codec: AnyCodec, path: Path, walk: Walk, atRoot: boolean): JsonSchema {
  switch (codec._tag) {
    case 'StringType':
      return { type: 'string' };
    case 'NumberType':
      return { type: 'number' };
    case 'BooleanType':
      return { type: 'boolean' };
    case 'NullType':
      return { type: 'null' };
    case 'LiteralType':
      return { type: jsonTypeOf(codec.value as JsonPrimitive), const: codec.value as JsonPrimitive };
    case 'KeyofType':
      return enumSchema(Object.keys(codec.keys ?? {}));
    case 'UnknownType':
    case 'AnyType':
      return {};
    case 'AnyDictionaryType':
    case 'ObjectType':
      return { type: 'object' };
    case 'AnyArrayType':
      return { type: 'array' };
    case 'ArrayType':
    case 'ReadonlyArrayType':
      return { type: 'array', items: schemaOf(codec.type as AnyCodec, [...path, '[*]'], walk, false) };
    case 'InterfaceType':
    case 'StrictType':
      return objectSchema(codec.props ?? {}, true, path, walk);
    case 'PartialType':
      return objectSchema(codec.props ?? {}, false, path, walk);
    case 'DictionaryType':
      return recordSchema(codec, path, walk);
    case 'UnionType':
      return unionSchema(codec, path, walk, atRoot);
    case 'IntersectionType':
      return intersectionSchema(codec.types ?? [], path, walk);
    case 'ExactType':
    case 'ReadonlyType':
      return schemaOf(codec.type as AnyCodec, path, walk, atRoot);
    case 'RefinementType':
      return refinementSchema(codec, path, walk, atRoot);
    case 'RecursiveType':
      return recursiveSchema(codec, path, walk, atRoot);
    case 'UndefinedType':
    case 'VoidType':
      throw unsupported(codec, path, 'undefined has no JSON value; to make a field optional, use t.union([X, t.undefined]) or t.partial');
    case undefined:
      throw unsupported(codec, path, 'it is a custom codec, whose JSON shape cannot be known');
    default:
      throw unsupported(codec, path, `io-ts ${codec._tag} codecs have no JSON Schema counterpart`);
  }
}

/** The error for a codec with no JSON Schema, saying where it is and what to do instead. */
function unsupported(codec: AnyCodec, path: Path, reason: string): AnthropicError {
  return new AnthropicError(
    `Cannot derive a JSON Schema from the codec "${codec.name}" at ${renderPath(path)}: ${reason}. ` +
      'Pass `inputSchema` to defineTool to give the JSON Schema yourself (the codec is then only used to decode).',
  );
}

/** `input.location.coords`, `input.items[*].qty`, `input.tags.*`. */
function renderPath(path: Path): string {
  return path.reduce((rendered, step) => (step === '[*]' ? `${rendered}${step}` : `${rendered}.${step}`), 'input');
}

function jsonTypeOf(value: JsonPrimitive): JsonSchemaType {
  if (value === null) return 'null';
  return typeof value as 'string' | 'number' | 'boolean';
}

/** An `enum`, typed when its values share one JSON type and with the list of types otherwise. */
function enumSchema(values: readonly JsonPrimitive[]): JsonSchema {
  const unique = [...new Set(values)];
  const types = [...new Set(unique.map(jsonTypeOf))];
  return { type: types.length === 1 ? (types[0] as JsonSchemaType) : types, enum: unique };
}

/** Whether a field's codec lets the field be left out: io-ts validates a missing field as `undefined`. */
function acceptsUndefined(codec: AnyCodec): boolean {
  try {
    const result = codec.validate(undefined, [{ key: '', type: codec, actual: undefined }]);
    return result._tag === 'Right';
  } catch {
    // A refinement whose predicate cannot take `undefined` certainly does not accept it.
    return false;
  }
}

function objectSchema(props: Readonly<Record<string, AnyCodec>>, fieldsRequired: boolean, path: Path, walk: Walk): JsonSchema {
  const entries = Object.entries(props);
  // fromEntries defines own properties, so a field named "__proto__" stays a field.
  const properties = Object.fromEntries(entries.map(([key, codec]) => [key, schemaOf(codec, [...path, key], walk, false)]));
  const required = fieldsRequired ? entries.filter(([, codec]) => !acceptsUndefined(codec)).map(([key]) => key) : [];
  return required.length === 0 ? { type: 'object', properties } : { type: 'object', properties, required };
}

/** The keys of a record's domain when they can be listed (`t.keyof`, string literals and unions of them). */
function domainKeys(domain: AnyCodec): string[] | undefined {
  switch (domain._tag) {
    case 'KeyofType':
      return Object.keys(domain.keys ?? {});
    case 'LiteralType':
      return typeof domain.value === 'string' ? [domain.value] : undefined;
    case 'UnionType': {
      const keys = (domain.types ?? []).map(domainKeys);
      return keys.every((k): k is string[] => k !== undefined) ? keys.flat() : undefined;
    }
    default:
      return undefined;
  }
}

/** Whether a record's keys are strings of any value: `t.string` or a refinement or brand of it. */
function isStringDomain(domain: AnyCodec): boolean {
  if (domain._tag === 'StringType') return true;
  return domain._tag === 'RefinementType' && domain.type !== undefined && isStringDomain(domain.type);
}

function recordSchema(codec: AnyCodec, path: Path, walk: Walk): JsonSchema {
  const domain = codec.domain as AnyCodec;
  const codomain = codec.codomain as AnyCodec;
  const keys = domainKeys(domain);
  if (keys !== undefined) {
    // io-ts checks every listed key, so each is a property, required unless its codec accepts undefined.
    return objectSchema(Object.fromEntries(keys.map((key) => [key, codomain])), true, path, walk);
  }
  if (!isStringDomain(domain)) {
    throw unsupported(codec, path, `the keys "${domain.name}" are neither strings nor a list of string literals`);
  }
  return { type: 'object', additionalProperties: schemaOf(codomain, [...path, '*'], walk, false) };
}

/** The values of a union that is only literals (transitively), or `undefined` when it is not one. */
function literalValues(codec: AnyCodec): JsonPrimitive[] | undefined {
  // A described literal keeps its own schema, so that its description is not lost in an enum.
  if (descriptionOf(codec) !== undefined) return undefined;
  switch (codec._tag) {
    case 'LiteralType':
      return [codec.value as JsonPrimitive];
    case 'NullType':
      return [null];
    case 'KeyofType':
      return Object.keys(codec.keys ?? {});
    case 'UnionType':
      return literalValuesOf((codec.types ?? []).filter((member) => !isUndefinedCodec(member)));
    default:
      return undefined;
  }
}

/** The values of union members that are all literals, or `undefined` when one is not. */
function literalValuesOf(members: readonly AnyCodec[]): JsonPrimitive[] | undefined {
  const values = members.map(literalValues);
  return values.every((v): v is JsonPrimitive[] => v !== undefined) ? values.flat() : undefined;
}

function isUndefinedCodec(codec: AnyCodec): boolean {
  return codec._tag === 'UndefinedType' || codec._tag === 'VoidType';
}

function unionSchema(codec: AnyCodec, path: Path, walk: Walk, atRoot: boolean): JsonSchema {
  // `undefined` members only make a field optional (see objectSchema); JSON has no such value.
  const members = (codec.types ?? []).filter((member) => !isUndefinedCodec(member));
  if (members.length === 0) throw unsupported(codec, path, 'undefined has no JSON value');
  if (members.length === 1) return schemaOf(members[0] as AnyCodec, path, walk, atRoot);

  const values = literalValuesOf(members);
  if (values !== undefined) return enumSchema(values);

  const anyOf = members.flatMap((member) => {
    const schema = schemaOf(member, path, walk, false);
    // A nested union adds nothing but depth: its members join this one's.
    return Object.keys(schema).length === 1 && schema.anyOf !== undefined ? schema.anyOf : [schema];
  });
  return { anyOf };
}

function isMergeableObject(schema: JsonSchema): boolean {
  return schema.type === 'object' && Object.keys(schema).every((key) => mergeableKeys.has(key));
}

function intersectionSchema(types: readonly AnyCodec[], path: Path, walk: Walk): JsonSchema {
  const parts = types.map((member) => schemaOf(member, path, walk, false));
  if (!parts.every(isMergeableObject)) {
    // Records, unions and the like cannot be merged field by field; allOf says the same thing.
    return parts.every((part) => part.type === 'object') ? { type: 'object', allOf: parts } : { allOf: parts };
  }

  const properties = new Map<string, JsonSchema>();
  const required: string[] = [];
  const descriptions: string[] = [];
  let hasProperties = false;
  for (const part of parts) {
    if (part.properties !== undefined) hasProperties = true;
    for (const [key, schema] of Object.entries(part.properties ?? {})) {
      // A field in two members must satisfy both; the same schema twice is said once.
      const earlier = properties.get(key);
      if (earlier === undefined) properties.set(key, schema);
      else if (JSON.stringify(earlier) !== JSON.stringify(schema)) properties.set(key, { allOf: [earlier, schema] });
    }
    for (const key of part.required ?? []) if (!required.includes(key)) required.push(key);
    if (part.description !== undefined) descriptions.push(part.description);
  }

  const merged: JsonSchema = { type: 'object' };
  if (hasProperties) merged.properties = Object.fromEntries(properties);
  if (required.length > 0) merged.required = required;
  if (descriptions.length > 0) merged.description = descriptions.join('\n\n');
  return merged;
}

/** Whether a refinement is an integer: `t.Int`, the older `t.Integer`, or a refinement of either. */
function isIntegerRefinement(codec: AnyCodec): boolean {
  if (codec._tag !== 'RefinementType' || codec.type === undefined) return false;
  if ((codec.name === 'Int' || codec.name === 'Integer') && codec.type._tag === 'NumberType') return true;
  return isIntegerRefinement(codec.type);
}

function refinementSchema(codec: AnyCodec, path: Path, walk: Walk, atRoot: boolean): JsonSchema {
  const base = schemaOf(codec.type as AnyCodec, path, walk, atRoot);
  // Other refinements (a positive number, a non-empty string) cannot be told from their
  // predicate; their base type is the most the schema can promise.
  return isIntegerRefinement(codec) && base.type === 'number' ? { ...base, type: 'integer' } : base;
}

function recursiveSchema(codec: AnyCodec, path: Path, walk: Walk, atRoot: boolean): JsonSchema {
  // Keyed by the definition, which a described copy shares with the codec it copies.
  const key = codec.runDefinition;
  const seen = walk.recursions.get(key);
  if (seen !== undefined) {
    seen.referenced = true;
    return { $ref: seen.ref };
  }

  const name = atRoot ? undefined : definitionName(codec.name, walk);
  const recursion: Recursion = { ref: name === undefined ? '#' : `#/$defs/${name}`, referenced: false };
  walk.recursions.set(key, recursion);
  if (name !== undefined) walk.defs.set(name, {}); // reserves the name against a nested codec of the same name
  const schema = schemaOf((codec.runDefinition as () => AnyCodec)(), path, walk, atRoot);

  if (name === undefined) return schema;
  if (!recursion.referenced) {
    // Declared with t.recursion but never refers to itself: inline it like any codec.
    walk.recursions.delete(key);
    walk.defs.delete(name);
    return schema;
  }
  walk.defs.set(name, schema);
  return { $ref: recursion.ref };
}

/** A `$defs` key for a recursive codec: its name made safe for a JSON pointer, unique in this schema. */
function definitionName(codecName: string, walk: Walk): string {
  const base = codecName.replace(/[^A-Za-z0-9_.-]/g, '_') || 'Recursive';
  let name = base;
  for (let n = 2; walk.defs.has(name); n++) name = `${base}_${n}`;
  return name;
}
