import { type } from 'arktype';
import { EMPTY, lastValueFrom, of, toArray, type Observable } from 'rxjs';

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
  toolLoop,
} from 'rx-anthropic';
import { createMockServer, textReply, toolUseReply } from 'rx-anthropic/testing';

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

  it('runs a tool whose schema transforms in place (a morph) on the frozen tool input, which stays as the model wrote it', async () => {
    const Lookup = type({ city: 'string', code: type('string').pipe((code) => code.toUpperCase()) });
    const seen: Array<typeof Lookup.infer> = [];
    const tool = defineTool({ name: 'lookup', input: Lookup, run: (input) => (seen.push(input), `${input.city} ${input.code}`) });
    const server = await createMockServer([toolUseReply([{ id: 'toolu_1', name: 'lookup', input: { city: 'Paris', code: 'cdg' } }]), textReply('Done.')]);
    try {
      const client = createClient({ apiKey: 'k', baseURL: server.baseURL, maxRetries: 0 });
      const request = { model: 'claude-sonnet-4-6', max_tokens: 64, messages: [{ role: 'user' as const, content: 'Look up' }] };
      const events = await lastValueFrom(of(request).pipe(toolLoop(client, { tools: [tool] }), toArray()));
      expect(seen).toEqual([{ city: 'Paris', code: 'CDG' }]);
      expect(events.filter((event) => event.type === 'tool_result')).toEqual([expect.objectContaining({ content: 'Paris CDG', is_error: false })]);
      // The model's tool_use block, sent back in the second request, is the input as it came.
      const second = server.requests[1]?.body as { messages: Array<{ content: Array<{ type: string; input?: unknown }> }> };
      expect(second.messages[1]?.content.find((block) => block.type === 'tool_use')?.input).toEqual({ city: 'Paris', code: 'cdg' });
    } finally {
      await server.close();
    }
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
