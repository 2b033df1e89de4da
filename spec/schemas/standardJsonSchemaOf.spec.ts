import type { StandardJSONSchemaV1 } from '@standard-schema/spec';
import { AnthropicError, standardJsonSchemaOf, type StandardSchemaWithJsonSchema } from 'rx-anthropic';

/** A Standard Schema whose JSON Schema is whatever `input` does: the part of a library this reads. */
function schemaWriting(input: (options: StandardJSONSchemaV1.Options) => Record<string, unknown>): StandardSchemaWithJsonSchema {
  return { '~standard': { version: 1, vendor: 'acme', validate: (value) => ({ value }), jsonSchema: { input, output: input } } };
}

describe('standardJsonSchemaOf', () => {
  it('asks for the input JSON Schema in draft 2020-12 and leaves out $schema', () => {
    const targets: string[] = [];
    const schema = schemaWriting(({ target }) => {
      targets.push(target);
      return { $schema: 'https://json-schema.org/draft/2020-12/schema', type: 'object', properties: { city: { type: 'string' } } };
    });
    expect(standardJsonSchemaOf(schema)).toEqual({ type: 'object', properties: { city: { type: 'string' } } });
    expect(targets).toEqual(['draft-2020-12']);
  });

  it('gives the library\'s reason when it cannot write one, with its error as the cause', () => {
    const refusal = new Error('Date cannot be represented in JSON Schema');
    const schema = schemaWriting(() => {
      throw refusal;
    });
    let error: unknown;
    try {
      standardJsonSchemaOf(schema);
    } catch (thrown) {
      error = thrown;
    }
    expect(error).toBeInstanceOf(AnthropicError);
    expect((error as Error).message).toBe('Cannot get a JSON Schema from the acme schema: acme says "Date cannot be represented in JSON Schema"');
    expect((error as Error).cause).toBe(refusal);
  });

  it('refuses what is not a JSON Schema object', () => {
    expect(() => standardJsonSchemaOf(schemaWriting(() => null as never))).toThrow('Cannot get a JSON Schema from the acme schema: its jsonSchema.input() gave null, not an object');
    expect(() => standardJsonSchemaOf(schemaWriting(() => [] as never))).toThrow('gave an array, not an object');
  });

  it('keeps integer bounds other than the safe-integer range, and enum or default values as they are', () => {
    const schema = schemaWriting(() => ({
      type: 'object',
      properties: {
        n: { type: 'integer', minimum: Number.MIN_SAFE_INTEGER, maximum: 10 },
        m: { type: 'number', maximum: Number.MAX_SAFE_INTEGER },
        k: { type: 'integer', enum: [Number.MAX_SAFE_INTEGER], default: { type: 'integer', maximum: Number.MAX_SAFE_INTEGER } },
      },
    }));
    expect(standardJsonSchemaOf(schema)).toEqual({
      type: 'object',
      properties: {
        n: { type: 'integer', maximum: 10 },
        m: { type: 'number', maximum: Number.MAX_SAFE_INTEGER },
        k: { type: 'integer', enum: [Number.MAX_SAFE_INTEGER], default: { type: 'integer', maximum: Number.MAX_SAFE_INTEGER } },
      },
    });
  });
});
