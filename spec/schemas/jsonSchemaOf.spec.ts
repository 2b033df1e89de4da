import * as t from 'io-ts';
import { AnthropicError } from '../../lib/errors';
import { described, descriptionOf } from '../../lib/schemas/described';
import { jsonSchemaOf } from '../../lib/schemas/jsonSchemaOf';

/** The error jsonSchemaOf throws for `codec`, which must throw. */
function errorOf(codec: t.Mixed): AnthropicError {
  try {
    jsonSchemaOf(codec);
  } catch (error) {
    expect(error).toBeInstanceOf(AnthropicError);
    return error as AnthropicError;
  }
  throw new Error('expected jsonSchemaOf to throw');
}

describe('jsonSchemaOf', () => {
  describe('primitives', () => {
    it.each<[string, t.Mixed, object]>([
      ['t.string', t.string, { type: 'string' }],
      ['t.number', t.number, { type: 'number' }],
      ['t.boolean', t.boolean, { type: 'boolean' }],
      ['t.null', t.null, { type: 'null' }],
      ['t.Int', t.Int, { type: 'integer' }],
      ['t.Integer', t.Integer, { type: 'integer' }],
      ['t.unknown', t.unknown, {}],
      ['t.any', t.any, {}],
      ['t.UnknownRecord', t.UnknownRecord, { type: 'object' }],
      ['t.object', t.object, { type: 'object' }],
      ['t.UnknownArray', t.UnknownArray, { type: 'array' }],
      ['a string literal', t.literal('celsius'), { type: 'string', const: 'celsius' }],
      ['a number literal', t.literal(3), { type: 'number', const: 3 }],
      ['a boolean literal', t.literal(true), { type: 'boolean', const: true }],
      ['t.keyof', t.keyof({ celsius: null, fahrenheit: null }), { type: 'string', enum: ['celsius', 'fahrenheit'] }],
    ])('%s', (_, codec, schema) => {
      expect(jsonSchemaOf(codec)).toEqual(schema);
    });
  });

  describe('refinements and brands', () => {
    it('gives a refinement or brand its base type', () => {
      interface NonEmptyBrand {
        readonly NonEmpty: unique symbol;
      }
      const NonEmpty = t.brand(t.string, (s): s is t.Branded<string, NonEmptyBrand> => s.length > 0, 'NonEmpty');
      expect(jsonSchemaOf(NonEmpty)).toEqual({ type: 'string' });
      expect(jsonSchemaOf(t.refinement(t.number, (n) => n > 0, 'Positive'))).toEqual({ type: 'number' });
    });

    it('keeps integer for a refinement of t.Int', () => {
      const Positive = t.refinement(t.Int, (n) => n > 0, 'PositiveInt');
      expect(jsonSchemaOf(Positive)).toEqual({ type: 'integer' });
    });
  });

  describe('objects', () => {
    it('t.type: every field required', () => {
      expect(jsonSchemaOf(t.type({ city: t.string, days: t.number }))).toEqual({
        type: 'object',
        properties: { city: { type: 'string' }, days: { type: 'number' } },
        required: ['city', 'days'],
      });
    });

    it('t.type: a field whose codec accepts undefined is optional', () => {
      const codec = t.type({
        city: t.string,
        units: t.union([t.literal('celsius'), t.literal('fahrenheit'), t.undefined]),
        days: t.union([t.number, t.undefined]),
        note: t.union([t.string, t.null, t.void]),
        extra: t.unknown,
      });
      expect(jsonSchemaOf(codec)).toEqual({
        type: 'object',
        properties: {
          city: { type: 'string' },
          units: { type: 'string', enum: ['celsius', 'fahrenheit'] },
          days: { type: 'number' },
          note: { anyOf: [{ type: 'string' }, { type: 'null' }] },
          extra: {},
        },
        required: ['city'],
      });
    });

    it('t.type with no required field and t.type({}) have no required list', () => {
      expect(jsonSchemaOf(t.type({ a: t.union([t.string, t.undefined]) }))).toEqual({ type: 'object', properties: { a: { type: 'string' } } });
      expect(jsonSchemaOf(t.type({}))).toEqual({ type: 'object', properties: {} });
    });

    it('t.partial: no field required', () => {
      expect(jsonSchemaOf(t.partial({ city: t.string, days: t.number }))).toEqual({
        type: 'object',
        properties: { city: { type: 'string' }, days: { type: 'number' } },
      });
    });

    it('nested objects', () => {
      const codec = t.type({ location: t.type({ city: t.string, coords: t.partial({ lat: t.number, lon: t.number }) }) });
      expect(jsonSchemaOf(codec)).toEqual({
        type: 'object',
        properties: {
          location: {
            type: 'object',
            properties: {
              city: { type: 'string' },
              coords: { type: 'object', properties: { lat: { type: 'number' }, lon: { type: 'number' } } },
            },
            required: ['city', 'coords'],
          },
        },
        required: ['location'],
      });
    });

    it('a field named __proto__ stays a field', () => {
      const props: t.Props = {};
      Object.defineProperty(props, '__proto__', { value: t.string, enumerable: true });
      const schema = jsonSchemaOf(t.type(props));
      expect(Object.keys(schema.properties ?? {})).toEqual(['__proto__']);
      expect(schema.required).toEqual(['__proto__']);
    });
  });

  describe('t.exact, t.strict and t.readonly pass through', () => {
    const inner = { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] };
    it.each<[string, t.Mixed]>([
      ['t.exact', t.exact(t.type({ city: t.string }))],
      ['t.strict', t.strict({ city: t.string })],
      ['t.readonly', t.readonly(t.type({ city: t.string }))],
    ])('%s', (_, codec) => {
      expect(jsonSchemaOf(codec)).toEqual(inner);
    });

    it('t.readonlyArray is an array', () => {
      expect(jsonSchemaOf(t.readonlyArray(t.string))).toEqual({ type: 'array', items: { type: 'string' } });
    });
  });

  describe('intersections', () => {
    it('merges t.type and t.partial into one object', () => {
      const codec = t.intersection([t.type({ city: t.string }), t.partial({ units: t.keyof({ celsius: null, fahrenheit: null }) })]);
      expect(jsonSchemaOf(codec)).toEqual({
        type: 'object',
        properties: { city: { type: 'string' }, units: { type: 'string', enum: ['celsius', 'fahrenheit'] } },
        required: ['city'],
      });
    });

    it('merges nested intersections and requires a field any member requires', () => {
      const codec = t.intersection([t.intersection([t.type({ a: t.string }), t.partial({ b: t.number })]), t.type({ c: t.boolean, b: t.number })]);
      expect(jsonSchemaOf(codec)).toEqual({
        type: 'object',
        properties: { a: { type: 'string' }, b: { type: 'number' }, c: { type: 'boolean' } },
        required: ['a', 'c', 'b'],
      });
    });

    it('requires a field in two members to satisfy both', () => {
      const codec = t.intersection([t.type({ a: t.string }), t.partial({ a: described(t.string, 'An a') })]);
      expect(jsonSchemaOf(codec)).toEqual({
        type: 'object',
        properties: { a: { allOf: [{ type: 'string' }, { type: 'string', description: 'An a' }] } },
        required: ['a'],
      });
    });

    it('uses allOf for members that cannot be merged', () => {
      const codec = t.intersection([t.type({ id: t.string }), t.record(t.string, t.number)]);
      expect(jsonSchemaOf(codec)).toEqual({
        type: 'object',
        allOf: [
          { type: 'object', properties: { id: { type: 'string' } }, required: ['id'] },
          { type: 'object', additionalProperties: { type: 'number' } },
        ],
      });
      expect(jsonSchemaOf(t.intersection([t.string, t.refinement(t.string, (s) => s.length > 0)]))).toEqual({ allOf: [{ type: 'string' }, { type: 'string' }] });
    });
  });

  describe('unions', () => {
    it('a union of literals is an enum', () => {
      expect(jsonSchemaOf(t.union([t.literal('celsius'), t.literal('fahrenheit')]))).toEqual({ type: 'string', enum: ['celsius', 'fahrenheit'] });
    });

    it('flattens nested literal unions and keyofs, without duplicates', () => {
      const codec = t.union([t.union([t.literal('a'), t.literal('b')]), t.keyof({ b: null, c: null })]);
      expect(jsonSchemaOf(codec)).toEqual({ type: 'string', enum: ['a', 'b', 'c'] });
    });

    it('lists every type of an enum of mixed literals, null included', () => {
      expect(jsonSchemaOf(t.union([t.literal('auto'), t.literal(0), t.null]))).toEqual({ type: ['string', 'number', 'null'], enum: ['auto', 0, null] });
    });

    it('other unions are anyOf, nested unions flattened', () => {
      const codec = t.union([t.string, t.union([t.number, t.type({ id: t.string })]), t.null]);
      expect(jsonSchemaOf(codec)).toEqual({
        anyOf: [{ type: 'string' }, { type: 'number' }, { type: 'object', properties: { id: { type: 'string' } }, required: ['id'] }, { type: 'null' }],
      });
    });

    it('a union of one type and undefined is that type', () => {
      expect(jsonSchemaOf(t.union([t.array(t.string), t.undefined]))).toEqual({ type: 'array', items: { type: 'string' } });
    });

    it('keeps described literals apart so their descriptions stay', () => {
      const codec = t.union([described(t.literal('c'), 'Celsius'), described(t.literal('f'), 'Fahrenheit')]);
      expect(jsonSchemaOf(codec)).toEqual({
        anyOf: [
          { type: 'string', const: 'c', description: 'Celsius' },
          { type: 'string', const: 'f', description: 'Fahrenheit' },
        ],
      });
    });

    it('a tagged union of objects is anyOf', () => {
      const Shape = t.union([t.type({ kind: t.literal('circle'), radius: t.number }), t.type({ kind: t.literal('square'), side: t.number })]);
      expect(jsonSchemaOf(Shape)).toEqual({
        anyOf: [
          { type: 'object', properties: { kind: { type: 'string', const: 'circle' }, radius: { type: 'number' } }, required: ['kind', 'radius'] },
          { type: 'object', properties: { kind: { type: 'string', const: 'square' }, side: { type: 'number' } }, required: ['kind', 'side'] },
        ],
      });
    });
  });

  describe('arrays', () => {
    it('an array of objects', () => {
      const codec = t.array(t.type({ sku: t.string, qty: t.Int }));
      expect(jsonSchemaOf(codec)).toEqual({
        type: 'array',
        items: { type: 'object', properties: { sku: { type: 'string' }, qty: { type: 'integer' } }, required: ['sku', 'qty'] },
      });
    });
  });

  describe('records', () => {
    it('string keys give additionalProperties', () => {
      expect(jsonSchemaOf(t.record(t.string, t.number))).toEqual({ type: 'object', additionalProperties: { type: 'number' } });
    });

    it('branded string keys give additionalProperties too', () => {
      const Key = t.refinement(t.string, (s) => s.length > 0, 'Key');
      expect(jsonSchemaOf(t.record(Key, t.boolean))).toEqual({ type: 'object', additionalProperties: { type: 'boolean' } });
    });

    it('keyof keys give required properties', () => {
      expect(jsonSchemaOf(t.record(t.keyof({ min: null, max: null }), t.number))).toEqual({
        type: 'object',
        properties: { min: { type: 'number' }, max: { type: 'number' } },
        required: ['min', 'max'],
      });
    });

    it('literal-union keys give properties, optional when the value accepts undefined', () => {
      expect(jsonSchemaOf(t.record(t.union([t.literal('a'), t.literal('b')]), t.union([t.string, t.undefined])))).toEqual({
        type: 'object',
        properties: { a: { type: 'string' }, b: { type: 'string' } },
      });
    });

    it('rejects keys that are not strings', () => {
      expect(errorOf(t.type({ byId: t.record(t.number, t.string) })).message).toContain('at input.byId: the keys "number"');
    });
  });

  describe('t.recursion', () => {
    interface Category {
      name: string;
      children: Category[];
    }
    const Category: t.Type<Category> = t.recursion('Category', (self) => t.type({ name: t.string, children: t.array(self) }));

    it('refers to the root with #', () => {
      expect(jsonSchemaOf(Category)).toEqual({
        type: 'object',
        properties: { name: { type: 'string' }, children: { type: 'array', items: { $ref: '#' } } },
        required: ['name', 'children'],
      });
    });

    it('puts a nested recursive codec in $defs, once', () => {
      const codec = t.type({ tree: described(Category, 'The tree'), spare: t.union([Category, t.undefined]) });
      expect(jsonSchemaOf(codec)).toEqual({
        type: 'object',
        properties: { tree: { $ref: '#/$defs/Category', description: 'The tree' }, spare: { $ref: '#/$defs/Category' } },
        required: ['tree'],
        $defs: {
          Category: {
            type: 'object',
            properties: { name: { type: 'string' }, children: { type: 'array', items: { $ref: '#/$defs/Category' } } },
            required: ['name', 'children'],
          },
        },
      });
    });

    it('inlines a t.recursion that never refers to itself', () => {
      const Flat = t.recursion<{ a: string }>('Flat', () => t.type({ a: t.string }));
      expect(jsonSchemaOf(t.type({ flat: Flat }))).toEqual({
        type: 'object',
        properties: { flat: { type: 'object', properties: { a: { type: 'string' } }, required: ['a'] } },
        required: ['flat'],
      });
    });

    it('gives two recursive codecs of the same name distinct $defs', () => {
      const Other: t.Type<Category> = t.recursion('Category', (self) => t.type({ name: t.string, children: t.array(self) }));
      const schema = jsonSchemaOf(t.type({ a: Category, b: Other }));
      expect(schema.properties).toEqual({ a: { $ref: '#/$defs/Category' }, b: { $ref: '#/$defs/Category_2' } });
      expect(Object.keys(schema.$defs ?? {})).toEqual(['Category', 'Category_2']);
    });
  });

  describe('descriptions', () => {
    it('puts a description at every level', () => {
      const codec = described(
        t.type({
          city: described(t.string, 'The city, e.g. "Paris"'),
          units: described(t.union([t.literal('celsius'), t.literal('fahrenheit'), t.undefined]), 'Defaults to celsius'),
          items: described(t.array(described(t.type({ qty: described(t.Int, 'How many') }), 'One line')), 'The lines'),
          tags: described(t.record(t.string, described(t.string, 'A tag value')), 'Free-form tags'),
          extra: described(t.exact(described(t.partial({ a: t.string }), 'inner')), 'outer'),
        }),
        'Where to get the weather for',
      );
      expect(jsonSchemaOf(codec)).toEqual({
        type: 'object',
        description: 'Where to get the weather for',
        properties: {
          city: { type: 'string', description: 'The city, e.g. "Paris"' },
          units: { type: 'string', enum: ['celsius', 'fahrenheit'], description: 'Defaults to celsius' },
          items: {
            type: 'array',
            description: 'The lines',
            items: { type: 'object', description: 'One line', properties: { qty: { type: 'integer', description: 'How many' } }, required: ['qty'] },
          },
          tags: { type: 'object', description: 'Free-form tags', additionalProperties: { type: 'string', description: 'A tag value' } },
          extra: { type: 'object', description: 'outer', properties: { a: { type: 'string' } } },
        },
        required: ['city', 'items', 'tags', 'extra'],
      });
    });

    it('keeps member descriptions when an intersection is merged', () => {
      const codec = t.intersection([described(t.type({ a: t.string }), 'Required part.'), described(t.partial({ b: t.string }), 'Optional part.')]);
      expect(jsonSchemaOf(codec).description).toBe('Required part.\n\nOptional part.');
      expect(jsonSchemaOf(described(codec, 'Both')).description).toBe('Both');
    });
  });

  describe('unsupported codecs', () => {
    it('names the codec and its path, and says to pass inputSchema', () => {
      const DateFromString = new t.Type<Date, string, unknown>('DateFromString', (u): u is Date => u instanceof Date, (u, c) => t.failure(u, c), (d) => d.toISOString());
      const error = errorOf(t.type({ location: t.type({ coords: DateFromString }) }));
      expect(error.message).toBe(
        'Cannot derive a JSON Schema from the codec "DateFromString" at input.location.coords: it is a custom codec, whose JSON shape cannot be known. ' +
          'Pass `inputSchema` to defineTool to give the JSON Schema yourself (the codec is then only used to decode).',
      );
    });

    it.each<[string, t.Mixed, string]>([
      ['t.tuple', t.type({ point: t.tuple([t.number, t.number]) }), 'the codec "[number, number]" at input.point: io-ts TupleType codecs have no JSON Schema counterpart'],
      ['t.bigint', t.type({ n: t.bigint }), 'the codec "bigint" at input.n'],
      ['t.Function', t.type({ f: t.Function }), 'the codec "Function" at input.f'],
      ['t.never', t.type({ items: t.array(t.never as unknown as t.Mixed) }), 'the codec "never" at input.items[*]'],
      ['t.undefined alone', t.type({ tags: t.record(t.string, t.undefined) }), 'the codec "undefined" at input.tags.*: undefined has no JSON value'],
      ['in a union', t.type({ when: t.union([t.string, t.bigint]) }), 'the codec "bigint" at input.when'],
      ['in an intersection', t.intersection([t.type({ a: t.string }), t.type({ b: t.tuple([t.string]) })]), 'at input.b'],
    ])('%s', (_, codec, fragment) => {
      const error = errorOf(codec);
      expect(error.message).toContain(fragment);
      expect(error.message).toContain('Pass `inputSchema`');
    });
  });
});

describe('described', () => {
  it('returns a codec that decodes, is typed and tagged like the original', () => {
    const City = described(t.type({ city: t.string }), 'A place');
    const value: { city: string } = { city: 'Paris' };
    expect(City.decode(value)).toEqual(t.type({ city: t.string }).decode(value));
    expect(City.is({ city: 1 })).toBe(false);
    expect(City._tag).toBe('InterfaceType');
    expect(City.name).toBe('{ city: string }');
    expect(City).toBeInstanceOf(t.InterfaceType);
  });

  it('leaves the original codec undescribed, and a second description replaces the first', () => {
    const once = described(t.string, 'first');
    const twice = described(once, 'second');
    expect(descriptionOf(t.string)).toBeUndefined();
    expect(descriptionOf(once)).toBe('first');
    expect(descriptionOf(twice)).toBe('second');
    expect(jsonSchemaOf(twice)).toEqual({ type: 'string', description: 'second' });
  });

  it('works on a recursive codec', () => {
    interface Node {
      children: Node[];
    }
    const Node: t.Type<Node> = t.recursion('Node', (self) => t.type({ children: t.array(self) }));
    const DescribedNode = described(Node, 'A node');
    expect(DescribedNode.decode({ children: [{ children: [] }] })._tag).toBe('Right');
    expect(DescribedNode.decode({ children: [{}] })._tag).toBe('Left');
  });
});
