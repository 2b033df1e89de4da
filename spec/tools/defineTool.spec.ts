import * as t from 'io-ts';
import { isLeft } from 'fp-ts/Either';
import { lastValueFrom, of, type Observable } from 'rxjs';
import { AnthropicError } from '../../lib/errors';
import type { Message, Tool, ToolUnion } from '../../lib/schema';
import { defineTool } from '../../lib/tools/defineTool';
import { described } from '../../lib/schemas/described';
import { describeInputErrors } from '../../lib/schemas/describeInputErrors';
import { decodeToolInput } from '../../lib/tools/decodeToolInput';
import { isRunnableTool, type RunnableTool, type ToolContext, type ToolOutput } from '../../lib/tools/RunnableTool';
import { toApiTool } from '../../lib/tools/toApiTool';

/** True when A and B are the same type; a compile-time check through `tsc`. */
type Equals<A, B> = (<X>() => X extends A ? 1 : 2) extends <X>() => X extends B ? 1 : 2 ? true : false;

const context: ToolContext = { signal: new AbortController().signal, toolUseId: 'toolu_1', message: {} as Message };

const WeatherInput = t.type({
  city: described(t.string, 'The city, e.g. "Paris"'),
  units: t.union([t.literal('celsius'), t.literal('fahrenheit'), t.undefined]),
});

const getWeather = defineTool({
  name: 'get_weather',
  description: 'The current weather of a city',
  input: WeatherInput,
  run: ({ city, units = 'celsius' }) => `Sunny in ${city}, 21 degrees ${units}`,
});

/** The error defineTool throws for `definition`, which must throw. */
function definitionError(define: () => unknown): AnthropicError {
  try {
    define();
  } catch (error) {
    expect(error).toBeInstanceOf(AnthropicError);
    return error as AnthropicError;
  }
  throw new Error('expected defineTool to throw');
}

describe('defineTool', () => {
  it('returns the API definition with the derived schema, the codec and run', () => {
    expect(getWeather).toEqual({
      name: 'get_weather',
      description: 'The current weather of a city',
      input_schema: {
        type: 'object',
        properties: {
          city: { type: 'string', description: 'The city, e.g. "Paris"' },
          units: { type: 'string', enum: ['celsius', 'fahrenheit'] },
        },
        required: ['city'],
      },
      input: WeatherInput,
      run: expect.any(Function),
    });
    expect(Object.keys(getWeather)).toEqual(['name', 'description', 'input_schema', 'input', 'run']);
    expect(isRunnableTool(getWeather)).toBe(true);
  });

  it('runs with decoded input', async () => {
    expect(getWeather.run({ city: 'Paris', units: undefined }, context)).toBe('Sunny in Paris, 21 degrees celsius');
    const streaming = defineTool({ name: 'count', input: t.type({ to: t.Int }), run: ({ to }) => of(String(to)) });
    const result = streaming.run({ to: 3 as t.Int }, context);
    expect(await lastValueFrom(result as Observable<ToolOutput>)).toBe('3');
  });

  it('omits description when none is given', () => {
    const tool = defineTool({ name: 'ping', input: t.type({}), run: () => 'pong' });
    expect('description' in tool).toBe(false);
    expect(tool.input_schema).toEqual({ type: 'object', properties: {} });
  });

  it('passes every other API field through unchanged', () => {
    const examples = [{ city: 'Paris' }, { city: 'Oslo', units: 'celsius' }];
    const tool = defineTool({
      name: 'get_weather',
      description: 'd',
      input: WeatherInput,
      cache_control: { type: 'ephemeral', ttl: '1h' },
      strict: true,
      input_examples: examples,
      defer_loading: false,
      allowed_callers: ['direct'],
      eager_input_streaming: true,
      type: 'custom',
      run: () => 'x',
    });
    expect(tool).toMatchObject({
      cache_control: { type: 'ephemeral', ttl: '1h' },
      strict: true,
      input_examples: examples,
      defer_loading: false,
      allowed_callers: ['direct'],
      eager_input_streaming: true,
      type: 'custom',
    });
    expect(tool.input_examples).toBe(examples);
  });

  it('uses inputSchema as given, and the codec only to decode', () => {
    const DateFromString = new t.Type<Date, string, unknown>(
      'DateFromString',
      (u): u is Date => u instanceof Date,
      (u, c) => (typeof u === 'string' && !Number.isNaN(Date.parse(u)) ? t.success(new Date(u)) : t.failure(u, c)),
      (d) => d.toISOString(),
    );
    const inputSchema = { type: 'object' as const, properties: { when: { type: 'string', format: 'date-time' } }, required: ['when'] };
    const tool = defineTool({ name: 'remind', input: t.type({ when: DateFromString }), inputSchema, run: ({ when }) => when.toISOString() });
    expect(tool.input_schema).toBe(inputSchema);
    expect(Object.keys(tool)).not.toContain('inputSchema');
    const decoded = decodeToolInput(tool, { when: '2025-01-02T03:04:05.000Z' });
    expect(decoded.ok && decoded.value.when).toEqual(new Date('2025-01-02T03:04:05.000Z'));
  });

  it('puts $defs of a recursive input into input_schema', () => {
    interface Category {
      name: string;
      children: Category[];
    }
    const Category: t.Type<Category> = t.recursion('Category', (self) => t.type({ name: t.string, children: t.array(self) }));
    const tool = defineTool({ name: 'save_tree', input: t.type({ root: Category }), run: () => 'ok' });
    expect(tool.input_schema).toMatchObject({ properties: { root: { $ref: '#/$defs/Category' } }, $defs: { Category: { type: 'object' } } });
  });

  describe('errors at definition time', () => {
    it.each<[string, t.Mixed, string]>([
      ['t.string', t.string, 'gives a schema of type "string"'],
      ['an array', t.array(t.type({ a: t.string })), 'gives a schema of type "array"'],
      ['t.unknown', t.unknown, 'gives a schema without a type'],
      ['a union of objects', t.union([t.type({ a: t.string }), t.type({ b: t.string })]), 'gives a schema without a type'],
    ])('a top level that is not an object: %s', (_, input, fragment) => {
      const error = definitionError(() => defineTool({ name: 'bad', input, run: () => 'x' }));
      expect(error.message).toContain('Tool "bad": The input codec');
      expect(error.message).toContain(fragment);
      expect(error.message).toContain('a tool\'s input must be an object (the API requires input_schema.type "object")');
    });

    it('an unsupported codec, naming the tool, the codec and the path', () => {
      const error = definitionError(() =>
        defineTool({ name: 'locate', input: t.type({ location: t.type({ coords: t.tuple([t.number, t.number]) }) }), run: () => 'x' }),
      );
      expect(error.message).toBe(
        'Tool "locate": Cannot derive a JSON Schema from the codec "[number, number]" at input.location.coords: ' +
          'io-ts TupleType codecs have no JSON Schema counterpart. Pass `inputSchema` to defineTool to give the JSON Schema yourself ' +
          '(the codec is then only used to decode).',
      );
      expect((error as { cause?: unknown }).cause).toBeInstanceOf(AnthropicError);
    });

    it('an inputSchema that is not an object schema', () => {
      const inputSchema = { type: 'string' } as unknown as { type: 'object' };
      const error = definitionError(() => defineTool({ name: 'bad', input: t.type({}), inputSchema, run: () => 'x' }));
      expect(error.message).toContain('Tool "bad": `inputSchema` must be an object schema');
    });

    it('a missing codec or run (from JavaScript)', () => {
      const noInput = { name: 'a', run: () => 'x' } as unknown as Parameters<typeof defineTool>[0];
      const noRun = { name: 'a', input: t.type({}) } as unknown as Parameters<typeof defineTool>[0];
      expect(definitionError(() => defineTool(noInput)).message).toBe('Tool "a": `input` must be an io-ts codec or a Standard Schema (zod, Valibot, ArkType…).');
      expect(definitionError(() => defineTool(noRun)).message).toBe('Tool "a": `run` must be a function.');
    });
  });

  it('infers run\'s input from the codec (checked by tsc)', () => {
    const tool = defineTool({
      name: 'order',
      input: t.intersection([t.type({ items: t.array(t.type({ sku: t.string, qty: t.Int })) }), t.partial({ note: t.string })]),
      run: (input) => {
        const sku: string = input.items[0]?.sku ?? '';
        const note: string | undefined = input.note;
        // @ts-expect-error qty is an Int, not a string
        const wrong: string = input.items[0]?.qty;
        return `${sku}${note ?? ''}${String(wrong)}`;
      },
    });
    const asRunnable: RunnableTool<{ items: Array<{ sku: string; qty: t.Int }> } & { note?: string }> = tool;
    const weatherInput: Equals<Parameters<typeof getWeather.run>[0], { city: string; units: 'celsius' | 'fahrenheit' | undefined }> = true;
    const asApiTool: Tool = tool;
    expect([asRunnable, weatherInput, asApiTool]).toHaveLength(3);
  });
});

describe('toApiTool', () => {
  it('strips input and run from a runnable tool and keeps every other field', () => {
    const tool = defineTool({ name: 'get_weather', description: 'd', input: WeatherInput, strict: true, cache_control: { type: 'ephemeral' }, run: () => 'x' });
    const api: Tool = toApiTool(tool);
    expect(api).toEqual({ name: 'get_weather', description: 'd', input_schema: tool.input_schema, strict: true, cache_control: { type: 'ephemeral' } });
    expect(Object.keys(api)).toEqual(['name', 'description', 'input_schema', 'strict', 'cache_control']);
    expect(JSON.parse(JSON.stringify(api))).toEqual(api);
    expect(tool.run).toEqual(expect.any(Function));
  });

  it('returns a plain API tool as it is', () => {
    const webSearch: ToolUnion = { type: 'web_search_20250305', name: 'web_search', max_uses: 3 };
    const custom: ToolUnion = { name: 'elsewhere', input_schema: { type: 'object' } };
    expect(toApiTool(webSearch)).toBe(webSearch);
    expect(toApiTool(custom)).toBe(custom);
  });
});

describe('decodeToolInput', () => {
  const Order = t.intersection([
    t.type({ customer: t.type({ name: t.string, email: t.string }), items: t.array(t.type({ sku: t.string, qty: t.Int })) }),
    t.partial({ note: t.string, priority: t.keyof({ low: null, high: null }) }),
  ]);
  const order = defineTool({ name: 'place_order', input: Order, run: () => 'ok' });

  it('gives the decoded value', () => {
    const value = { customer: { name: 'Ada', email: 'a@b' }, items: [{ sku: 'x', qty: 2 }] };
    expect(decodeToolInput(order, value)).toEqual({ ok: true, value });
  });

  it('gives the value an exact codec decodes to', () => {
    const tool = defineTool({ name: 'exact', input: t.strict({ a: t.string }), run: () => 'ok' });
    expect(decodeToolInput(tool, { a: 'x', extra: 1 })).toEqual({ ok: true, value: { a: 'x' } });
  });

  it('names every failing path, what it expected and what it got', () => {
    const result = decodeToolInput(getWeather, { units: 'kelvin' });
    expect(result).toEqual({
      ok: false,
      message: 'Invalid input for tool "get_weather": at "city": expected string, got undefined (missing); at "units": expected "celsius" | "fahrenheit" | undefined, got "kelvin"',
      failures: [
        { path: 'city', expected: 'string', actual: undefined, text: 'at "city": expected string, got undefined (missing)' },
        { path: 'units', expected: '"celsius" | "fahrenheit" | undefined', actual: 'kelvin', text: 'at "units": expected "celsius" | "fahrenheit" | undefined, got "kelvin"' },
      ],
    });
  });

  it('gives nested paths through objects, arrays and intersections', () => {
    const result = decodeToolInput(order, {
      customer: { name: 'Ada' },
      items: [{ sku: 'a', qty: 1 }, { sku: 'b', qty: 'two' }, { qty: 1.5 }],
      priority: 'urgent',
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.message).toBe(
      'Invalid input for tool "place_order": ' +
        'at "customer.email": expected string, got undefined (missing); ' +
        'at "items.1.qty": expected Int, got "two"; ' +
        'at "items.2.sku": expected string, got undefined (missing); ' +
        'at "items.2.qty": expected Int, got 1.5; ' +
        'at "priority": expected "low" | "high", got "urgent"',
    );
    expect(result.failures.map((failure) => failure.path)).toEqual(['customer.email', 'items.1.qty', 'items.2.sku', 'items.2.qty', 'priority']);
  });

  it('says once when the input is not an object at all', () => {
    const result = decodeToolInput(order, 'two pizzas');
    expect(result.ok || result.message).toBe(
      'Invalid input for tool "place_order": at the top level: expected ' +
        '{ customer: { name: string, email: string }, items: Array<{ sku: string, qty: Int }> } & Partial<{ note: string, priority: "low" | "high" }>' +
        ', got "two pizzas"',
    );
  });

  it('follows the union member that got furthest into the value', () => {
    const Shape = t.union([t.type({ kind: t.literal('circle'), radius: t.number }), t.type({ kind: t.literal('square'), side: t.number }), t.null]);
    const tool = defineTool({ name: 'draw', input: t.type({ shape: Shape }), run: () => 'ok' });
    expect(decodeToolInput(tool, { shape: { kind: 'square', side: '2' } })).toMatchObject({ ok: false, message: 'Invalid input for tool "draw": at "shape.side": expected number, got "2"' });
    expect(decodeToolInput(tool, { shape: 5 })).toMatchObject({
      ok: false,
      message: 'Invalid input for tool "draw": at "shape": expected { kind: "circle", radius: number } | { kind: "square", side: number } | null, got 5',
    });
  });

  it('names a union of primitives once', () => {
    const tool = defineTool({ name: 'set', input: t.type({ value: t.union([t.string, t.number, t.null]) }), run: () => 'ok' });
    expect(decodeToolInput(tool, { value: [1, 2] })).toMatchObject({ message: 'Invalid input for tool "set": at "value": expected string | number | null, got [1,2]' });
  });

  it('reports record values by key', () => {
    const tool = defineTool({ name: 'tag', input: t.type({ tags: t.record(t.string, t.number) }), run: () => 'ok' });
    expect(decodeToolInput(tool, { tags: { a: 1, b: 'x', c: true } })).toMatchObject({
      message: 'Invalid input for tool "tag": at "tags.b": expected number, got "x"; at "tags.c": expected number, got true',
    });
  });

  it('cuts long values and lists at most ten failures', () => {
    const tool = defineTool({ name: 'sum', input: t.type({ values: t.array(t.number), text: t.number }), run: () => 'ok' });
    const result = decodeToolInput(tool, { values: Array.from({ length: 12 }, (_, i) => String(i)), text: 'x'.repeat(200) });
    if (result.ok) throw new Error('expected a failure');
    expect(result.failures).toHaveLength(13);
    expect(result.message.endsWith('at "values.9": expected number, got "9"; and 3 more')).toBe(true);
    expect(result.failures[12]?.text).toBe(`at "text": expected number, got "${'x'.repeat(79)}…`);
  });

  it('keeps a custom error message of a codec', () => {
    const Even = new t.Type<number, number, unknown>('Even', (u): u is number => typeof u === 'number' && u % 2 === 0, (u, c) => (typeof u === 'number' && u % 2 === 0 ? t.success(u) : t.failure(u, c, 'expected an even number')), (n) => n);
    const tool = defineTool({ name: 'even', input: t.type({ n: Even }), inputSchema: { type: 'object' }, run: () => 'ok' });
    expect(decodeToolInput(tool, { n: 3 })).toMatchObject({ message: 'Invalid input for tool "even": at "n": expected an even number, got 3' });
  });

  it('works with any decoder, as runnable tools of other origins have', () => {
    const tool = { name: 'raw', input: t.type({ a: t.string }) };
    expect(decodeToolInput(tool, null)).toMatchObject({ ok: false, message: 'Invalid input for tool "raw": at the top level: expected { a: string }, got null' });
  });
});

describe('describeInputErrors', () => {
  it('gives one failure per path, with the value found there', () => {
    const result = t.type({ items: t.array(t.type({ qty: t.number })) }).decode({ items: [{ qty: 1 }, { qty: 'two' }] });
    if (!isLeft(result)) throw new Error('expected a failure');
    expect(describeInputErrors(result.left)).toEqual([{ path: 'items.1.qty', expected: 'number', actual: 'two', text: 'at "items.1.qty": expected number, got "two"' }]);
  });

  it('gives nothing for no errors', () => {
    expect(describeInputErrors([])).toEqual([]);
  });
});
