import * as t from 'io-ts';
import { transformJSONSchema } from '@anthropic-ai/sdk/lib/transform-json-schema';

import { InvalidArgumentError, jsonSchemaOf, toStructuredOutputSchema } from 'rx-anthropic';

type Schema = Record<string, unknown>;

function refusal(schema: unknown): string {
  try {
    toStructuredOutputSchema(schema as Schema);
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidArgumentError);
    expect((error as InvalidArgumentError).argument).toBe('schema');
    return (error as Error).message;
  }
  throw new Error('expected the schema to be refused');
}

describe('toStructuredOutputSchema', () => {
  it('closes every object, nested ones and those in arrays, unions and definitions', () => {
    const schema = {
      type: 'object',
      properties: {
        a: { type: 'object', properties: { b: { type: 'string' } } },
        list: { type: 'array', items: { type: 'object', properties: { c: { type: 'number' } } } },
        either: { anyOf: [{ type: 'object', properties: { d: { type: 'boolean' } } }, { type: 'null' }] },
        ref: { $ref: '#/$defs/Point' },
      },
      $defs: { Point: { type: 'object', properties: { x: { type: 'number' } }, required: ['x'] } },
    };
    expect(toStructuredOutputSchema(schema)).toEqual({
      $defs: { Point: { type: 'object', properties: { x: { type: 'number' } }, required: ['x'], additionalProperties: false } },
      type: 'object',
      properties: {
        a: { type: 'object', properties: { b: { type: 'string' } }, additionalProperties: false },
        list: { type: 'array', items: { type: 'object', properties: { c: { type: 'number' } }, additionalProperties: false } },
        either: { anyOf: [{ type: 'object', properties: { d: { type: 'boolean' } }, additionalProperties: false }, { type: 'null' }] },
        ref: { $ref: '#/$defs/Point' },
      },
      additionalProperties: false,
    });
  });

  it('moves the constraints the API does not enforce into the description, after the one there is', () => {
    expect(
      toStructuredOutputSchema({
        type: 'object',
        properties: {
          n: { type: 'number', minimum: 0, exclusiveMaximum: 10, multipleOf: 0.5, description: 'A number' },
          s: { type: 'string', minLength: 2, maxLength: 8, format: 'color' },
          when: { type: 'string', format: 'date-time', pattern: '^2' },
          list: { type: 'array', items: { type: 'string' }, minItems: 3, maxItems: 5 },
          one: { type: 'array', items: { type: 'string' }, minItems: 1 },
        },
      }).properties,
    ).toEqual({
      n: { type: 'number', description: 'A number\n\n{minimum: 0, exclusiveMaximum: 10, multipleOf: 0.5}' },
      s: { type: 'string', description: '{minLength: 2, maxLength: 8, format: "color"}' },
      when: { type: 'string', format: 'date-time', pattern: '^2' },
      list: { type: 'array', items: { type: 'string' }, description: '{minItems: 3, maxItems: 5}' },
      one: { type: 'array', items: { type: 'string' }, minItems: 1 },
    });
  });

  it('turns oneOf into anyOf, leaves type out beside enum and const, drops $schema, keeps title and default', () => {
    expect(
      toStructuredOutputSchema({
        $schema: 'https://json-schema.org/draft/2020-12/schema',
        title: 'Shape',
        type: 'object',
        properties: {
          kind: { type: 'string', enum: ['circle', 'square'], default: 'circle' },
          v: { type: 'number', const: 1 },
          either: { oneOf: [{ type: 'string' }, { type: 'integer' }] },
        },
      }),
    ).toEqual({
      title: 'Shape',
      type: 'object',
      properties: {
        kind: { enum: ['circle', 'square'], default: 'circle' },
        v: { const: 1 },
        either: { anyOf: [{ type: 'string' }, { type: 'integer' }] },
      },
      additionalProperties: false,
    });
  });

  it('makes the same moves as the official SDK on a schema both accept', () => {
    const schema = jsonSchemaOf(
      t.type({
        name: t.string,
        size: t.union([t.literal('s'), t.literal('m')]),
        items: t.array(t.type({ sku: t.string, qty: t.Int })),
        note: t.union([t.string, t.null]),
        extra: t.partial({ gift: t.boolean }),
      }),
    ) as Schema;
    expect(toStructuredOutputSchema(schema)).toEqual(transformJSONSchema(schema as never));
  });

  it('does not change its input', () => {
    const schema = { type: 'object', properties: { a: { type: 'string', maxLength: 3 } } };
    const copy = JSON.parse(JSON.stringify(schema)) as unknown;
    toStructuredOutputSchema(schema);
    expect(schema).toEqual(copy);
  });

  it('treats a keyword named like an Object.prototype member as any unknown keyword: a hint', () => {
    expect(toStructuredOutputSchema({ type: 'string', constructor: 'x', toString: 1 })).toEqual({ type: 'string', description: '{constructor: "x", toString: 1}' });
  });

  it('keeps a property named __proto__ as a property', () => {
    const schema = JSON.parse('{"type":"object","properties":{"__proto__":{"type":"string"}}}') as Schema;
    const out = toStructuredOutputSchema(schema) as { properties: Schema };
    expect(Object.keys(out.properties)).toEqual(['__proto__']);
  });

  describe('refuses, naming the path,', () => {
    it('a record: an object whose keys are not listed', () => {
      expect(refusal(jsonSchemaOf(t.type({ scores: t.record(t.string, t.number) })))).toMatch(
        /^Cannot use this schema as a structured output format at output\.scores: an object whose keys are not listed \(a t\.record, or additionalProperties other than false\) cannot be expressed/,
      );
      expect(refusal({ type: 'object', properties: {}, additionalProperties: true })).toMatch(/at output: an object whose keys are not listed/);
    });

    it('an object with no properties', () => {
      expect(refusal(jsonSchemaOf(t.type({ meta: t.UnknownRecord })))).toMatch(/at output\.meta: an object with no properties \(t\.UnknownRecord/);
    });

    it('a value with no type (t.unknown)', () => {
      expect(refusal(jsonSchemaOf(t.type({ items: t.array(t.unknown) })))).toMatch(/at output\.items\[\*\]: it has no type \(a t\.unknown or t\.any\)/);
    });

    it('an intersection of objects that could not be merged', () => {
      const codec = t.intersection([t.type({ id: t.string }), t.union([t.type({ kind: t.literal('a') }), t.type({ kind: t.literal('b') })])]);
      expect(refusal(jsonSchemaOf(t.type({ shape: codec })))).toMatch(/at output\.shape: an intersection of objects that cannot be merged into one object/);
    });

    it('a recursive schema, at the reference that closes the cycle', () => {
      interface Node {
        name: string;
        children: Node[];
      }
      const Node: t.Type<Node> = t.recursion('Node', () => t.type({ name: t.string, children: t.array(Node) }));
      expect(refusal(jsonSchemaOf(Node))).toMatch(/at output\.children\[\*\]: the schema is recursive \(it refers back to the whole output/);
      expect(refusal(jsonSchemaOf(t.type({ tree: Node })))).toMatch(/at \$defs\.Node\.children\[\*\]: the schema is recursive \(it refers back to #\/\$defs\/Node/);
    });

    it('a reference outside the schema, or to no definition', () => {
      expect(refusal({ type: 'object', properties: { a: { $ref: 'https://example.com/a.json' } } })).toMatch(/at output\.a: only references inside the schema/);
      expect(refusal({ type: 'object', properties: { a: { $ref: '#/$defs/Missing' } } })).toMatch(/at output\.a: the reference "#\/\$defs\/Missing" names no definition/);
    });

    it('keywords whose meaning cannot be kept: not, if/then/else, tuples, enums of objects', () => {
      expect(refusal({ type: 'string', not: { const: 'x' } })).toMatch(/at output: "not" cannot be expressed/);
      expect(refusal({ type: 'object', properties: { p: { type: 'array', prefixItems: [{ type: 'string' }] } } })).toMatch(/at output\.p: tuples/);
      expect(refusal({ type: 'object', properties: {}, if: {}, then: {} })).toMatch(/conditional schemas/);
      expect(refusal({ enum: [{ a: 1 }] })).toMatch(/"enum" must list strings, numbers, booleans or null/);
    });

    it('a boolean schema', () => {
      expect(refusal({ type: 'object', properties: { any: true } })).toMatch(/at output\.any: a schema must be an object, not `true` \(any value\)/);
    });
  });
});
