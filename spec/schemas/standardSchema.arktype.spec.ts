import { type } from 'arktype';
import { EMPTY, type Observable } from 'rxjs';

import {
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

const Weather = type({ city: type('string').describe('The city'), 'units?': "'celsius' | 'fahrenheit'" });
const Order = type({ items: type({ sku: 'string', qty: 'number.integer' }).array(), note: 'string | null' });

describe('ArkType schemas wherever a codec goes', () => {
  // ArkType writes a JSON Schema for every type (an untyped `{}` where JSON has no counterpart) and has no async checks.
  standardSchemaSuite({
    vendor: 'arktype',
    weather: Weather,
    order: Order,
    scores: type({ name: 'string', scores: 'Record<string, number>' }),
    text: type('string'),
  });

  it('refuses for a structured output, naming its path, a value JSON cannot hold (an untyped {} in its JSON Schema)', () => {
    expect(() => outputFormat(type({ reminder: { when: 'Date' } }))).toThrow(InvalidArgumentError);
    expect(() => outputFormat(type({ reminder: { when: 'Date' } }))).toThrow(/^Cannot use this schema as a structured output format at output\.reminder\.when: it has no type/);
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
    const weatherInput: Equals<Parameters<typeof tool.run>[0], { city: string; units?: 'celsius' | 'fahrenheit' }> = true;

    type Order = typeof Order.infer;
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
