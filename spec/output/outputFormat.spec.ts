import * as t from 'io-ts';

import {
  described,
  InvalidArgumentError,
  OutputParseError,
  OutputValidationError,
  outputFormat,
  type StructuredOutputFormat,
} from 'rx-anthropic';

import { MessageCreateParams } from '../../lib/schema/params';

const Review = t.type({
  title: described(t.string, 'A short title'),
  stars: described(t.Int, 'From 1 to 5'),
  tags: t.array(t.string),
  units: t.union([t.literal('metric'), t.literal('imperial'), t.undefined]),
});

describe('outputFormat', () => {
  it('derives the schema from the codec like a tool input, descriptions included, and closes every object', () => {
    const format = outputFormat(Review);
    expect(format.type).toBe('json_schema');
    expect(format.schema).toEqual({
      type: 'object',
      properties: {
        title: { type: 'string', description: 'A short title' },
        stars: { type: 'integer', description: 'From 1 to 5' },
        tags: { type: 'array', items: { type: 'string' } },
        units: { enum: ['metric', 'imperial'] },
      },
      required: ['title', 'stars', 'tags'],
      additionalProperties: false,
    });
  });

  it('serialises to exactly { type, schema }: the codec and parse are not sent, and the object compares as the plain format', () => {
    const format = outputFormat(t.type({ city: t.string }));
    const schema = { type: 'object', properties: { city: { type: 'string' } }, required: ['city'], additionalProperties: false };
    expect(JSON.parse(JSON.stringify(format))).toEqual({ type: 'json_schema', schema });
    expect(JSON.stringify(format)).toBe(JSON.stringify({ type: 'json_schema', schema }));
    expect(Object.keys(format)).toEqual(['type', 'schema']);
    expect(format).toEqual({ type: 'json_schema', schema });
    expect({ ...params(format) }.output_config.format).toBe(format);
  });

  it('passes the request codec the mock server validates requests with', () => {
    const body = JSON.parse(JSON.stringify(params(outputFormat(Review)))) as unknown;
    expect(MessageCreateParams.decode(body)._tag).toBe('Right');
  });

  it('parse(text) decodes with the codec, and refuses what is not JSON or not what the codec accepts, with the raw text', () => {
    const format = outputFormat(Review);
    expect(format.parse('{"title":"Great","stars":4,"tags":["a"]}')).toEqual({ title: 'Great', stars: 4, tags: ['a'] });

    const notJson = catchError(() => format.parse('{"title": "Great", stars: 4}'));
    expect(notJson).toBeInstanceOf(OutputParseError);
    expect((notJson as OutputParseError).raw).toBe('{"title": "Great", stars: 4}');
    expect((notJson as OutputParseError).position).toBe(19);
    expect((notJson as Error).message).toMatch(/^The structured output is not valid JSON: Unexpected "s", expected a string key at position 19/);

    const refused = catchError(() => format.parse('{"title":"Great","stars":4.5,"tags":["a", 2]}'));
    expect(refused).toBeInstanceOf(OutputValidationError);
    expect((refused as OutputValidationError).paths).toEqual(['stars', 'tags.1']);
    expect((refused as OutputValidationError).value).toEqual({ title: 'Great', stars: 4.5, tags: ['a', 2] });
    expect((refused as Error).message).toBe(
      'The structured output does not match its codec: at "stars": expected Int, got 4.5; at "tags.1": expected string, got 2',
    );
  });

  it('accepts a plain JSON Schema: transformed the same way, and the value is only JSON-parsed', () => {
    const format = outputFormat<number[]>({ type: 'array', items: { type: 'integer', minimum: 0 } });
    expect(format.schema).toEqual({ type: 'array', items: { type: 'integer', description: '{minimum: 0}' } });
    const value: number[] = format.parse('[12345,67890]');
    expect(value).toEqual([12345, 67890]);
    expect(format.parse('["not", "checked"]')).toEqual(['not', 'checked']);
  });

  it('sends the schema as it is with transform: false, and another schema for a codec with schema', () => {
    const codec = t.type({ tags: t.record(t.string, t.number) });
    expect(outputFormat(codec, { transform: false }).schema).toEqual({
      type: 'object',
      properties: { tags: { type: 'object', additionalProperties: { type: 'number' } } },
      required: ['tags'],
    });
    const given = { type: 'object', properties: { tags: { type: 'array', items: { type: 'string' } } }, required: ['tags'] };
    const format = outputFormat(t.type({ tags: t.array(t.string) }), { schema: given });
    expect(format.schema).toEqual({ ...given, additionalProperties: false });
    expect(given).not.toHaveProperty('additionalProperties');
  });

  it('refuses a codec with no JSON Schema, naming its path in the output and the option that fixes it', () => {
    const error = catchError(() => outputFormat(t.type({ point: t.tuple([t.number, t.number]) })));
    expect(error).toBeInstanceOf(InvalidArgumentError);
    expect((error as InvalidArgumentError).argument).toBe('codec');
    expect((error as Error).message).toBe(
      'outputFormat() cannot derive a JSON Schema from the codec "[number, number]" at output.point: io-ts TupleType codecs have no JSON Schema counterpart. ' +
        'Pass { schema } in its options to give the JSON Schema yourself (the codec then only decodes).',
    );
  });

  it('refuses what structured outputs cannot express, naming the path', () => {
    const error = catchError(() => outputFormat(t.type({ order: t.type({ lines: t.record(t.string, t.number) }) })));
    expect(error).toBeInstanceOf(InvalidArgumentError);
    expect((error as Error).message).toMatch(/^Cannot use this schema as a structured output format at output\.order\.lines: an object whose keys are not listed/);
  });

  it('refuses what is neither a codec nor a schema object', () => {
    expect(() => outputFormat(null as never)).toThrow(/outputFormat\(\) takes an io-ts codec or a JSON Schema object, not null/);
    expect(() => outputFormat([] as never)).toThrow(/not an array/);
  });

  it('is typed by its codec', () => {
    const format: StructuredOutputFormat<{ title: string; stars: t.Int; tags: string[]; units?: 'metric' | 'imperial' }> = outputFormat(Review);
    expect(format).toBeDefined();
  });
});

function params(format: StructuredOutputFormat<unknown>) {
  return { model: 'claude-sonnet-4-6', max_tokens: 64, messages: [{ role: 'user' as const, content: 'Hi' }], output_config: { format } };
}

function catchError(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
}
