import { toStandardJsonSchema } from '@valibot/to-json-schema';
import { EMPTY, type Observable } from 'rxjs';
import * as v from 'valibot';

import {
  AnthropicError,
  createClient,
  defineTool,
  finalOutput,
  InvalidArgumentError,
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

const WeatherSchema = v.object({ city: v.pipe(v.string(), v.description('The city')), units: v.optional(v.picklist(['celsius', 'fahrenheit'])) });
const Weather = toStandardJsonSchema(WeatherSchema);
const OrderSchema = v.object({ items: v.array(v.object({ sku: v.string(), qty: v.pipe(v.number(), v.integer()) })), note: v.nullable(v.string()) });
const Order = toStandardJsonSchema(OrderSchema);
const AsyncCode = v.objectAsync({ code: v.pipeAsync(v.string(), v.checkAsync(async (code) => code !== 'bad', 'must not be bad')) });
/**
 * toStandardJsonSchema takes synchronous schemas only: the async schema validates, and its
 * synchronous twin (the same shape without the async check, which JSON Schema cannot say) writes the JSON Schema.
 */
const AsyncCodeWithJsonSchema = {
  '~standard': { ...AsyncCode['~standard'], jsonSchema: toStandardJsonSchema(v.object({ code: v.string() }))['~standard'].jsonSchema },
};

describe('Valibot schemas (through toStandardJsonSchema) wherever a codec goes', () => {
  standardSchemaSuite({
    vendor: 'valibot',
    weather: Weather,
    order: Order,
    scores: toStandardJsonSchema(v.object({ name: v.string(), scores: v.record(v.string(), v.number()) })),
    text: toStandardJsonSchema(v.string()),
    noJsonSchema: { schema: toStandardJsonSchema(v.object({ when: v.date() })), reason: 'The "date" schema cannot be converted to JSON Schema' },
    asyncCode: AsyncCodeWithJsonSchema,
  });

  it('refuses a Valibot schema not wrapped with toStandardJsonSchema, saying how to wrap it', () => {
    const asUntyped = WeatherSchema as unknown as typeof Weather;
    let error: unknown;
    try {
      defineTool({ name: 'get_weather', input: asUntyped, run: () => 'ok' });
    } catch (thrown) {
      error = thrown;
    }
    expect(error).toBeInstanceOf(AnthropicError);
    expect((error as Error).message).toBe(
      'Tool "get_weather": The input valibot schema does not write its JSON Schema (it has no ~standard.jsonSchema: Standard JSON Schema). ' +
        'Wrap a Valibot schema with toStandardJsonSchema() from @valibot/to-json-schema, or pass `inputSchema` to give the JSON Schema yourself.',
    );
    expect(() => outputFormat(asUntyped)).toThrow(InvalidArgumentError);
    expect(() => outputFormat(asUntyped)).toThrow(/toStandardJsonSchema\(\) from @valibot\/to-json-schema/);
    // With its JSON Schema given, a plain Standard Schema only validates.
    const inputSchema = { type: 'object' as const, properties: { city: { type: 'string' } }, required: ['city'] };
    expect(defineTool({ name: 'get_weather', input: asUntyped, inputSchema, run: () => 'ok' }).input_schema).toBe(inputSchema);
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
    // @ts-expect-error: a Valibot schema must be wrapped with toStandardJsonSchema to give its JSON Schema
    const unwrapped = () => defineTool({ name: 'get_weather', input: WeatherSchema, run: () => 'ok' });

    type Order = v.InferOutput<typeof OrderSchema>;
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
    expect([weatherInput, unwrapped, value, parsed$, notString$, final$, partial$, wrongOrder]).toHaveLength(8);
  });
});
