import { EMPTY, type Observable } from 'rxjs';
import { z } from 'zod';

import {
  createClient,
  decodeToolInput,
  defineTool,
  finalOutput,
  outputFormat,
  partialOutput,
  type Client,
  type DeepPartial,
  type OutputOf,
  type ParsedMessage,
  type RawMessageStreamEvent,
} from 'rx-anthropic';

import { standardSchemaSuite } from './standardSchemaSuite';

/** True when A and B are the same type; a compile-time check through `tsc`. */
type Equals<A, B> = (<X>() => X extends A ? 1 : 2) extends <X>() => X extends B ? 1 : 2 ? true : false;

const Weather = z.object({ city: z.string().describe('The city'), units: z.enum(['celsius', 'fahrenheit']).optional() });
const Order = z.object({ items: z.array(z.object({ sku: z.string(), qty: z.number().int() })), note: z.string().nullable() });

describe('zod schemas wherever a codec goes', () => {
  standardSchemaSuite({
    vendor: 'zod',
    weather: Weather,
    order: Order,
    scores: z.object({ name: z.string(), scores: z.record(z.string(), z.number()) }),
    text: z.string(),
    noJsonSchema: { schema: z.object({ when: z.date() }), reason: 'Date cannot be represented in JSON Schema' },
    asyncCode: z.object({ code: z.string().refine(async (code) => code !== 'bad', 'must not be bad') }),
  });

  it('leaves out the safe-integer bounds zod writes for every integer, and keeps real ones', () => {
    const Stock = z.object({ qty: z.number().int(), shelf: z.number().int().min(1), levels: z.array(z.number().int().max(9)) });
    expect(defineTool({ name: 'stock', input: Stock, run: () => 'ok' }).input_schema.properties).toEqual({
      qty: { type: 'integer' },
      shelf: { type: 'integer', minimum: 1 },
      levels: { type: 'array', items: { type: 'integer', maximum: 9 } },
    });
    expect(outputFormat(Stock).schema['properties']).toEqual({
      qty: { type: 'integer' },
      shelf: { type: 'integer', description: '{minimum: 1}' },
      levels: { type: 'array', items: { type: 'integer', description: '{maximum: 9}' } },
    });
  });

  it('gives run the output of the schema: defaults and transforms applied', () => {
    const tool = defineTool({
      name: 'book',
      input: z.object({ nights: z.number().default(1), city: z.string().transform((city) => city.toUpperCase()) }),
      run: ({ nights, city }) => `${nights} nights in ${city}`,
    });
    // The model writes the input: the schema sent is the input side (nights optional, city a string).
    expect(tool.input_schema).toMatchObject({ properties: { nights: { type: 'number', default: 1 }, city: { type: 'string' } }, required: ['city'] });
    expect(decodeToolInput(tool, { city: 'paris' })).toEqual({ ok: true, value: { nights: 1, city: 'PARIS' } });
  });

  it('types the tool input, parsed_output, partialOutput() and finalOutput() by the schema (checked by tsc)', () => {
    const tool = defineTool({
      name: 'get_weather',
      input: Weather,
      run: (input) => {
        // @ts-expect-error: city is a string
        const wrong: number = input.city;
        return `${input.city} ${input.units ?? 'celsius'} ${wrong}`;
      },
    });
    const weatherInput: Equals<Parameters<typeof tool.run>[0], { city: string; units?: 'celsius' | 'fahrenheit' | undefined }> = true;

    type Order = z.infer<typeof Order>;
    const format = outputFormat(Order);
    const client: Client = createClient({ apiKey: 'k', baseURL: 'http://127.0.0.1:9' });
    const events$: Observable<RawMessageStreamEvent> = EMPTY;
    const request = { model: 'claude-sonnet-4-6', max_tokens: 256, messages: [{ role: 'user' as const, content: 'Order' }], output_config: { format } };
    const value: Equals<OutputOf<typeof format>, Order> = true;
    const parsed$: Observable<ParsedMessage<Order>> = client.messages.parse(request);
    // @ts-expect-error: the output is an Order, not a string
    const notString$: Observable<ParsedMessage<string>> = client.messages.parse(request);
    const final$: Observable<Order> = events$.pipe(finalOutput(format));
    const partial$: Observable<DeepPartial<Order>> = events$.pipe(partialOutput(format));
    // @ts-expect-error: qty is a number
    const wrongOrder: OutputOf<typeof format> = { items: [{ sku: 'a', qty: '1' }], note: null };
    expect([weatherInput, value, parsed$, notString$, final$, partial$, wrongOrder]).toHaveLength(7);
  });
});
