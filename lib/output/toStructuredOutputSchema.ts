import { InvalidArgumentError } from '../errors';

type Schema = Record<string, unknown>;

/** String formats the API's structured outputs accept; other formats go into the description. */
const SUPPORTED_FORMATS = new Set(['date-time', 'time', 'date', 'duration', 'email', 'hostname', 'uri', 'ipv4', 'ipv6', 'uuid']);

/**
 * Keywords that change which values are valid in a way structured outputs cannot express:
 * moving them into a description would silently accept values the schema refuses.
 */
const CONDITIONAL = 'conditional schemas (if/then/else) cannot be expressed';
const KEYED_BY_PATTERN = 'objects keyed by a pattern cannot be expressed; list the properties, or use an array of { key, value }';
// A Map, so that a keyword named like an Object.prototype member ("constructor") finds nothing.
const REFUSED_KEYWORDS: ReadonlyMap<string, string> = new Map([
  ['if', CONDITIONAL],
  ['then', CONDITIONAL],
  ['else', CONDITIONAL],
  ['prefixItems', 'tuples (prefixItems) cannot be expressed; use an object with named fields'],
  ['patternProperties', KEYED_BY_PATTERN],
  ['propertyNames', KEYED_BY_PATTERN],
]);
/** Keywords refused with the plain reason that they cannot be expressed. */
const INEXPRESSIBLE = ['not', 'contains', 'dependentSchemas', 'dependentRequired', 'unevaluatedProperties', 'unevaluatedItems', '$dynamicRef'];

/** Keywords that only name or document the schema: dropped. */
const DROPPED_KEYWORDS = new Set(['$schema', '$id', '$comment', '$anchor']);

/** Where a keyword is while walking: `output.items[*].qty`, `$defs.Node`. */
type Path = string;

interface Walk {
  /** `$ref` targets met, with where they were met. */
  readonly refs: Array<{ readonly target: string; readonly at: Path; readonly from: string }>;
  /** The definition (`#`, `#/$defs/Node`) being walked. */
  scope: string;
}

/**
 * The JSON Schema an output format sends, transformed to the subset that the API's structured
 * outputs accept.
 *
 * Every object gets `additionalProperties: false` (the API requires it), `oneOf` becomes
 * `anyOf`, `type` is left out beside `enum`/`const`, `$schema`/`$id` are dropped, and the
 * constraints the API does not enforce (`minimum`, `maxLength`, `maxItems`, `minItems` above 1,
 * a string `format` it does not know, …) are moved into the `description` as
 * `{minimum: 1, maximum: 5}`, so the model still reads them. What cannot be expressed is refused
 * with an `InvalidArgumentError` naming its path (`output.tags.*`): a record (an object whose
 * keys are not listed: `t.record(t.string, …)`, `additionalProperties` other than `false`), an
 * object with no `properties` at all (`t.UnknownRecord`), a node with no type (`t.unknown`), an
 * intersection of objects that could not be merged into one (`allOf` of objects, which with
 * `additionalProperties: false` on each would accept nothing), a recursive schema (`t.recursion`),
 * a reference outside the schema, `not`, `if`/`then`/`else`, tuples and the like. The input is
 * not changed.
 *
 * The official TypeScript SDK's `transformJSONSchema` does the same moves; where it keeps what the
 * API cannot use (a record becomes an object that accepts no key; a recursive `$ref` is sent),
 * this refuses it at once, where the schema is written, rather than with a 400 from the API or
 * an answer that cannot hold the data.
 *
 * ## Example
 * ```ts
 * toStructuredOutputSchema({
 *   type: 'object',
 *   properties: { stars: { type: 'integer', minimum: 1, maximum: 5 }, tags: { type: 'array', items: { type: 'string' }, maxItems: 3 } },
 *   required: ['stars'],
 * });
 * // {
 * //   type: 'object',
 * //   properties: {
 * //     stars: { type: 'integer', description: '{minimum: 1, maximum: 5}' },
 * //     tags: { type: 'array', items: { type: 'string' }, description: '{maxItems: 3}' },
 * //   },
 * //   required: ['stars'],
 * //   additionalProperties: false,
 * // }
 * ```
 *
 * @param schema A JSON Schema (draft 2020-12), such as `jsonSchemaOf(codec)` gives.
 * @return A new schema in the subset structured outputs accept.
 * @throws InvalidArgumentError (argument `schema`) naming the path of what cannot be expressed.
 * @see outputFormat
 */
export function toStructuredOutputSchema(schema: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const walk: Walk = { refs: [], scope: '#' };
  const out = transform(schema, 'output', walk);
  checkReferences(out, walk);
  return out;
}

function refuse(path: Path, reason: string): InvalidArgumentError {
  return new InvalidArgumentError(
    'schema',
    `Cannot use this schema as a structured output format at ${path}: ${reason}. ` +
      'Change the codec or schema there, or pass { transform: false } to outputFormat to send the schema as it is.',
  );
}

function isPlainObject(value: unknown): value is Schema {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isPrimitive(value: unknown): boolean {
  return value === null || ['string', 'number', 'boolean'].includes(typeof value);
}

function transform(node: unknown, path: Path, walk: Walk): Schema {
  if (!isPlainObject(node)) {
    const what = node === true ? '`true` (any value)' : node === false ? '`false` (no value)' : JSON.stringify(node);
    throw refuse(path, `a schema must be an object, not ${what}`);
  }
  const rest: Schema = { ...node };
  const out: Schema = {};
  const take = (key: string): unknown => {
    const value = rest[key];
    delete rest[key];
    return value;
  };

  const defs = take('$defs') ?? take('definitions');
  if (defs !== undefined) {
    if (!isPlainObject(defs)) throw refuse(`${path}.$defs`, 'definitions must be an object of schemas');
    const outer = walk.scope;
    out['$defs'] = Object.fromEntries(
      Object.entries(defs).map(([name, def]) => {
        walk.scope = `#/$defs/${name}`;
        const transformed = transform(def, `$defs.${name}`, walk);
        walk.scope = outer;
        return [name, transformed];
      }),
    );
  }

  const ref = take('$ref');
  if (ref !== undefined) {
    if (typeof ref !== 'string' || !(ref === '#' || ref.startsWith('#/$defs/') || ref.startsWith('#/definitions/'))) {
      throw refuse(path, `only references inside the schema ("#/$defs/…") are supported, not ${JSON.stringify(ref)}`);
    }
    const target = ref.replace('#/definitions/', '#/$defs/');
    walk.refs.push({ target, at: path, from: walk.scope });
    out['$ref'] = target;
    // Beside a $ref only its definitions are kept, as the official SDK does.
    return out;
  }

  for (const key of Object.keys(rest)) {
    const reason = REFUSED_KEYWORDS.get(key) ?? (INEXPRESSIBLE.includes(key) ? `"${key}" cannot be expressed` : undefined);
    if (reason !== undefined) throw refuse(path, reason);
  }
  for (const key of DROPPED_KEYWORDS) delete rest[key];

  const enumValues = take('enum');
  if (enumValues !== undefined) {
    if (!Array.isArray(enumValues) || enumValues.length === 0 || !enumValues.every(isPrimitive)) {
      throw refuse(path, '"enum" must list strings, numbers, booleans or null');
    }
    out['enum'] = enumValues;
  }
  if ('const' in rest) {
    const value = take('const');
    if (!isPrimitive(value)) throw refuse(path, '"const" must be a string, a number, a boolean or null');
    out['const'] = value;
  }
  const hasLiterals = 'enum' in out || 'const' in out;
  const declaredType = take('type');
  // Beside enum/const the type says nothing more; the official SDK leaves it out too.
  const type = hasLiterals ? undefined : declaredType;
  const types = Array.isArray(type) ? (type as unknown[]) : type === undefined ? [] : [type];

  const anyOf = take('anyOf') ?? take('oneOf');
  const allOf = take('allOf');
  if (anyOf !== undefined) {
    if (!Array.isArray(anyOf) || anyOf.length === 0) throw refuse(path, '"anyOf"/"oneOf" must be a non-empty list of schemas');
    out['anyOf'] = anyOf.map((member) => transform(member, path, walk));
  }
  if (allOf !== undefined) {
    if (!Array.isArray(allOf) || allOf.length === 0) throw refuse(path, '"allOf" must be a non-empty list of schemas');
    const members = allOf.map((member) => transform(member, path, walk));
    if (members.some(isObjectSchema)) {
      throw refuse(
        path,
        'an intersection of objects that cannot be merged into one object (a t.intersection with a record or a union) cannot be expressed, ' +
          'because every object must have additionalProperties: false; write the fields in one t.type',
      );
    }
    out['allOf'] = members;
  }
  if (type !== undefined) out['type'] = type;
  if (!hasLiterals && type === undefined && anyOf === undefined && allOf === undefined) {
    throw refuse(path, 'it has no type (a t.unknown or t.any); structured outputs need a type, an enum, a const or anyOf at every value');
  }

  const description = take('description');
  if (description !== undefined) out['description'] = description;
  const title = take('title');
  if (title !== undefined) out['title'] = title;
  if ('default' in rest) out['default'] = take('default');

  if (types.includes('object')) objectKeywords(rest, out, path, walk);
  if (types.includes('array')) arrayKeywords(rest, out, path, walk);
  if (types.includes('string')) {
    const format = rest['format'];
    if (typeof format === 'string' && SUPPORTED_FORMATS.has(format)) out['format'] = take('format');
    const pattern = take('pattern');
    if (pattern !== undefined) out['pattern'] = pattern;
  }

  // What is left narrows the value without the API enforcing it (a range, a length, a count, an
  // unknown format or keyword): the model still reads it in the description, as the official SDK does.
  if (Object.keys(rest).length > 0) {
    const hints = `{${Object.entries(rest)
      .map(([key, value]) => `${key}: ${JSON.stringify(value)}`)
      .join(', ')}}`;
    out['description'] = typeof out['description'] === 'string' ? `${out['description']}\n\n${hints}` : hints;
  }
  return out;
}

function isObjectSchema(schema: Schema): boolean {
  const type = schema['type'];
  return type === 'object' || (Array.isArray(type) && type.includes('object')) || 'properties' in schema;
}

function objectKeywords(rest: Schema, out: Schema, path: Path, walk: Walk): void {
  const properties = rest['properties'];
  delete rest['properties'];
  const additional = rest['additionalProperties'];
  delete rest['additionalProperties'];
  if (additional !== undefined && additional !== false) {
    throw refuse(
      path,
      'an object whose keys are not listed (a t.record, or additionalProperties other than false) cannot be expressed, ' +
        'because every object must have additionalProperties: false; list the keys (t.type, or t.record over t.keyof), or use an array of { key, value }',
    );
  }
  if (properties === undefined) {
    throw refuse(path, 'an object with no properties (t.UnknownRecord, or a schema without "properties") could only ever be {}; list its properties');
  }
  if (!isPlainObject(properties)) throw refuse(path, '"properties" must be an object of schemas');
  // fromEntries defines own properties, so a property named "__proto__" stays a property.
  out['properties'] = Object.fromEntries(Object.entries(properties).map(([key, schema]) => [key, transform(schema, `${path}.${key}`, walk)]));
  const required = rest['required'];
  delete rest['required'];
  if (required !== undefined) out['required'] = required;
  out['additionalProperties'] = false;
}

function arrayKeywords(rest: Schema, out: Schema, path: Path, walk: Walk): void {
  const items = rest['items'];
  delete rest['items'];
  if (items !== undefined) out['items'] = transform(items, `${path}[*]`, walk);
  const minItems = rest['minItems'];
  if (minItems === 0 || minItems === 1) {
    out['minItems'] = minItems;
    delete rest['minItems'];
  }
}

/** Refuses a reference to a definition that does not exist, and any reference cycle (a recursive schema). */
function checkReferences(root: Schema, walk: Walk): void {
  const defs = (root['$defs'] ?? {}) as Record<string, unknown>;
  const edges = new Map<string, Array<{ target: string; at: Path }>>();
  for (const { target, at, from } of walk.refs) {
    if (target !== '#' && !Object.prototype.hasOwnProperty.call(defs, target.slice('#/$defs/'.length))) {
      throw refuse(at, `the reference ${JSON.stringify(target)} names no definition in "$defs"`);
    }
    const list = edges.get(from) ?? [];
    list.push({ target, at });
    edges.set(from, list);
  }
  // Depth-first from the root: a reference back to a definition on the current path is a cycle.
  const onPath = new Set<string>();
  const done = new Set<string>();
  const visit = (scope: string): void => {
    onPath.add(scope);
    for (const { target, at } of edges.get(scope) ?? []) {
      if (onPath.has(target)) {
        throw refuse(at, `the schema is recursive (it refers back to ${target === '#' ? 'the whole output' : target}, as t.recursion does), which structured outputs do not support`);
      }
      if (!done.has(target)) visit(target);
    }
    onPath.delete(scope);
    done.add(scope);
  };
  visit('#');
  for (const name of Object.keys(defs)) if (!done.has(`#/$defs/${name}`)) visit(`#/$defs/${name}`);
}
