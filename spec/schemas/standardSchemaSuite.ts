import { firstValueFrom, from, lastValueFrom, materialize, of, toArray } from 'rxjs';

import {
  AnthropicError,
  AsyncValidationError,
  createClient,
  defineTool,
  finalMessage,
  finalOutput,
  InvalidArgumentError,
  OutputValidationError,
  outputFormat,
  partialOutput,
  toolLoop,
  type MessageCreateParams,
  type ParsedMessage,
  type StandardSchemaWithJsonSchema,
  type ToolLoopEvent,
  type ToolResultEvent,
} from 'rx-anthropic';
import { createMockServer, textReply, toolUseReply, type MockServer } from 'rx-anthropic/testing';

import { jsonMessage } from '../output/outputEvents';

/**
 * The same schemas written with one Standard Schema library: what the suite needs to check that
 * the library's schemas go wherever an io-ts codec goes, with the same behaviour.
 */
export interface StandardSchemaKit {
  /** The library, as its schemas' `~standard.vendor` says. */
  readonly vendor: string;
  /** `{ city: string; units?: 'celsius' | 'fahrenheit' }`, `city` described as "The city". */
  readonly weather: StandardSchemaWithJsonSchema;
  /** `{ items: { sku: string; qty: integer }[]; note: string | null }` */
  readonly order: StandardSchemaWithJsonSchema;
  /** `{ name: string; scores: record of string → number }`: a record, which structured outputs cannot express. */
  readonly scores: StandardSchemaWithJsonSchema;
  /** A plain string: not an object, so not a tool's input. */
  readonly text: StandardSchemaWithJsonSchema;
  /** A schema whose JSON Schema the library refuses to write, with the words it uses; absent when it writes one for everything. */
  readonly noJsonSchema?: { readonly schema: StandardSchemaWithJsonSchema; readonly reason: string };
  /** `{ code: string }` whose check of `code` is asynchronous (refuses "bad"); absent when the library has no async checks. */
  readonly asyncCode?: StandardSchemaWithJsonSchema;
}

const base: MessageCreateParams = { model: 'claude-sonnet-4-6', max_tokens: 256, messages: [{ role: 'user', content: 'Weather in Paris?' }] };

/** The error `run` throws, which must throw. */
function thrownBy(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}

/**
 * Runs the Standard Schema suite for one library: tools (schema, validation in a tool loop over
 * the mock server, failure messages naming paths), structured outputs (`outputFormat`,
 * `client.messages.parse`, `partialOutput`, `finalOutput`), the schemas the API cannot express,
 * and asynchronous validation.
 */
export function standardSchemaSuite(kit: StandardSchemaKit): void {
  let server: MockServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });
  const clientFor = (s: MockServer) => createClient({ baseURL: s.baseURL, apiKey: 'k', maxRetries: 0 });
  const runLoop = async (tools: Parameters<typeof toolLoop>[1]['tools'], replies: Parameters<typeof createMockServer>[0]) => {
    server = await createMockServer(replies);
    return lastValueFrom(of(base).pipe(toolLoop(clientFor(server), { tools }), toArray()));
  };
  const resultsOf = (events: ToolLoopEvent[]) => events.filter((e): e is ToolResultEvent => e.type === 'tool_result');

  it(`reads ${kit.vendor} schemas (their ~standard.vendor)`, () => {
    expect(kit.weather['~standard'].vendor).toBe(kit.vendor);
  });

  describe('defineTool({ input })', () => {
    it('sends the JSON Schema the library writes, without $schema, with its descriptions', () => {
      const tool = defineTool({ name: 'get_weather', input: kit.weather, run: () => 'ok' });
      expect(tool.input_schema).toMatchObject({ type: 'object', properties: { city: { type: 'string', description: 'The city' } }, required: ['city'] });
      expect(Object.keys(tool.input_schema.properties ?? {}).sort()).toEqual(['city', 'units']);
      expect(tool.input_schema).not.toHaveProperty('$schema');
      expect(tool.input).toBe(kit.weather);
    });

    it('runs the tool in a tool loop with the validated input, and sends the model each failing path', async () => {
      const seen: unknown[] = [];
      const getWeather = defineTool({ name: 'get_weather', description: 'The weather', input: kit.weather, run: (input) => (seen.push(input), 'Sunny') });
      const placeOrder = defineTool({ name: 'place_order', input: kit.order, run: (input) => (seen.push(input), 'Placed') });
      const events = await runLoop(
        [getWeather, placeOrder],
        [
          toolUseReply([
            { id: 'toolu_1', name: 'get_weather', input: { city: 'Paris', units: 'celsius' } },
            { id: 'toolu_2', name: 'get_weather', input: { city: 3 } },
            { id: 'toolu_3', name: 'place_order', input: { items: [{ sku: 'a', qty: 1 }, { sku: 'b', qty: 'two' }], note: null } },
          ]),
          textReply('Done.'),
        ],
      );
      expect(seen).toEqual([{ city: 'Paris', units: 'celsius' }]);
      const [ok, badCity, badOrder] = resultsOf(events);
      expect(ok).toMatchObject({ tool_use_id: 'toolu_1', content: 'Sunny', is_error: false });
      expect(badCity).toMatchObject({ tool_use_id: 'toolu_2', is_error: true });
      expect(badCity?.content).toMatch(/^Invalid input for tool "get_weather": at "city": .+, got 3$/);
      expect(badOrder?.content).toMatch(/^Invalid input for tool "place_order": at "items\.1\.qty": .+, got "two"$/);
      // The first request offered both tools with the library's schemas; the second sent the results back.
      const sent = server?.requests[0]?.body as { tools: Array<{ name: string; input_schema: unknown }> };
      expect(sent.tools.map((tool) => tool.name)).toEqual(['get_weather', 'place_order']);
      expect(sent.tools[0]?.input_schema).toEqual(getWeather.input_schema);
      const results = (server?.requests[1]?.body as { messages: Array<{ content: Array<{ is_error?: boolean }> }> }).messages[2]?.content;
      expect(results?.map((block) => block.is_error === true)).toEqual([false, true, true]);
    });

    it('says where a missing field is', async () => {
      const getWeather = defineTool({ name: 'get_weather', input: kit.weather, run: () => 'Sunny' });
      const events = await runLoop([getWeather], [toolUseReply([{ id: 'toolu_1', name: 'get_weather', input: { units: 'kelvin' } }]), textReply('Sorry.')]);
      const content = resultsOf(events)[0]?.content as string;
      expect(content).toMatch(/at "city": .+, got undefined \(missing\)/);
      expect(content).toMatch(/at "units": .+, got "kelvin"/);
    });

    it('refuses a schema that is not an object, naming the tool and the library', () => {
      const error = thrownBy(() => defineTool({ name: 'shout', input: kit.text, run: () => 'ok' }));
      expect(error).toBeInstanceOf(AnthropicError);
      expect((error as Error).message).toBe(
        `Tool "shout": The input ${kit.vendor} schema gives a schema of type "string", but a tool's input must be an object ` +
          '(the API requires input_schema.type "object"). Use an object schema (wrap a single value as an object with one field: { value: … }).',
      );
    });

    if (kit.noJsonSchema !== undefined) {
      const { schema, reason } = kit.noJsonSchema;
      it('refuses a schema the library cannot write as JSON Schema, with its reason, unless inputSchema is given', () => {
        const error = thrownBy(() => defineTool({ name: 'remind', input: schema, run: () => 'ok' }));
        expect(error).toBeInstanceOf(AnthropicError);
        expect((error as Error).message).toContain(`Tool "remind": Cannot get a JSON Schema from the ${kit.vendor} schema: ${kit.vendor} says "`);
        expect((error as Error).message).toContain(reason);
        expect((error as Error).message).toContain('Pass `inputSchema` to defineTool');
        const inputSchema = { type: 'object' as const, properties: { when: { type: 'string', format: 'date-time' } } };
        expect(defineTool({ name: 'remind', input: schema, inputSchema, run: () => 'ok' }).input_schema).toBe(inputSchema);
      });
    }

    if (kit.asyncCode !== undefined) {
      const asyncCode = kit.asyncCode;
      it('waits for a schema that validates asynchronously', async () => {
        const seen: unknown[] = [];
        const redeem = defineTool({ name: 'redeem', input: asyncCode, run: (input) => (seen.push(input), 'Redeemed') });
        const events = await runLoop(
          [redeem],
          [
            toolUseReply([
              { id: 'toolu_1', name: 'redeem', input: { code: 'good' } },
              { id: 'toolu_2', name: 'redeem', input: { code: 'bad' } },
            ]),
            textReply('Done.'),
          ],
        );
        expect(seen).toEqual([{ code: 'good' }]);
        const [ok, refused] = resultsOf(events);
        expect(ok).toMatchObject({ content: 'Redeemed', is_error: false });
        expect(refused).toMatchObject({ is_error: true, content: 'Invalid input for tool "redeem": at "code": must not be bad, got "bad"' });
      });
    }
  });

  describe('outputFormat()', () => {
    const order = { items: [{ sku: 'a', qty: 1 }], note: null };

    it('sends the library\'s JSON Schema fitted to structured outputs, and client.messages.parse() gives parsed_output', async () => {
      const format = outputFormat(kit.order);
      expect(format.schema).toMatchObject({
        type: 'object',
        properties: { items: { type: 'array', items: { type: 'object', properties: { sku: { type: 'string' }, qty: { type: 'integer' } }, additionalProperties: false } } },
        required: ['items', 'note'],
        additionalProperties: false,
      });
      expect(format.schema).not.toHaveProperty('$schema');
      server = await createMockServer([textReply(JSON.stringify(order))]);
      const message = await firstValueFrom(clientFor(server).messages.parse({ ...base, output_config: { format } }));
      expect(server.requests[0]?.refusal).toBeUndefined();
      expect(server.requests[0]?.body).toMatchObject({ output_config: { format: { type: 'json_schema', schema: format.schema } } });
      expect(message.parsed_output).toEqual(order);
    });

    it('gives parsed_output on the finished message of a stream, as for a codec', async () => {
      const format = outputFormat(kit.order);
      server = await createMockServer([textReply(JSON.stringify(order))]);
      const message = await lastValueFrom(clientFor(server).messages.stream({ ...base, output_config: { format } }).pipe(finalMessage()));
      expect((message as ParsedMessage<unknown>).parsed_output).toEqual(order);
    });

    it('fails parse() with OutputValidationError naming each path the schema refused', async () => {
      server = await createMockServer([textReply('{"items": [{"sku": "a", "qty": 1}, {"sku": "b", "qty": "two"}], "note": 5}')]);
      const [notification] = await lastValueFrom(clientFor(server).messages.parse({ ...base, output_config: { format: outputFormat(kit.order) } }).pipe(materialize(), toArray()));
      const error = notification?.error as OutputValidationError;
      expect(error).toBeInstanceOf(OutputValidationError);
      expect(error.paths).toEqual(expect.arrayContaining(['items.1.qty', 'note']));
      expect(error.failures.find((failure) => failure.path === 'items.1.qty')).toMatchObject({ actual: 'two', text: expect.stringMatching(/^at "items\.1\.qty": .+, got "two"$/) });
      expect(error.message).toMatch(/^The structured output does not match its codec: at "items\.1\.qty": /);
    });

    it('streams partial values with partialOutput() and checks the whole value with finalOutput()', async () => {
      const format = outputFormat(kit.order);
      const events = jsonMessage(['{"items": [{"sku": "ab', 'c", "qty": 2}], "no', 'te": "rush"}']);
      const partials = await lastValueFrom(from(events).pipe(partialOutput(format), toArray()));
      expect(partials).toEqual([{ items: [{ sku: 'ab' }] }, { items: [{ sku: 'abc', qty: 2 }] }, { items: [{ sku: 'abc', qty: 2 }], note: 'rush' }]);
      expect(await lastValueFrom(from(events).pipe(finalOutput(format)))).toEqual({ items: [{ sku: 'abc', qty: 2 }], note: 'rush' });
      expect(format.parse('{"items": [], "note": null}')).toEqual({ items: [], note: null });

      const invalid = jsonMessage(['{"items": [{"sku": "a", "qty": 1.5}], "note": null}']);
      for (const operator of [finalOutput(format), partialOutput(format)]) {
        const outcome = await lastValueFrom(from(invalid).pipe(operator, materialize(), toArray()));
        const error = outcome.find((n) => n.kind === 'E')?.error as OutputValidationError;
        expect(error).toBeInstanceOf(OutputValidationError);
        expect(error.paths).toEqual(['items.0.qty']);
      }
    });

    it('refuses, naming the path, what structured outputs cannot express', () => {
      const error = thrownBy(() => outputFormat(kit.scores));
      expect(error).toBeInstanceOf(InvalidArgumentError);
      expect((error as Error).message).toMatch(/^Cannot use this schema as a structured output format at output\.scores: /);
      // Sent as it is on request, as for a codec.
      expect(outputFormat(kit.scores, { transform: false }).schema).toMatchObject({ type: 'object', properties: { scores: { type: 'object' } } });
    });

    if (kit.noJsonSchema !== undefined) {
      const { schema, reason } = kit.noJsonSchema;
      it('refuses a schema the library cannot write as JSON Schema, unless { schema } is given', () => {
        const error = thrownBy(() => outputFormat(schema));
        expect(error).toBeInstanceOf(InvalidArgumentError);
        expect((error as Error).message).toContain(`outputFormat(): Cannot get a JSON Schema from the ${kit.vendor} schema: ${kit.vendor} says "`);
        expect((error as Error).message).toContain(reason);
        const own = { type: 'object', properties: { when: { type: 'string', format: 'date-time' } }, required: ['when'] };
        expect(outputFormat(schema, { schema: own }).schema).toEqual({ ...own, additionalProperties: false });
      });
    }

    if (kit.asyncCode !== undefined) {
      const asyncCode = kit.asyncCode;
      it('fails with AsyncValidationError where the output is read synchronously', async () => {
        const format = outputFormat(asyncCode);
        const error = thrownBy(() => format.parse('{"code": "good"}'));
        expect(error).toBeInstanceOf(AsyncValidationError);
        expect(error).toMatchObject({ vendor: kit.vendor });
        const outcome = await lastValueFrom(from(jsonMessage(['{"code": "good"}'])).pipe(finalOutput(format), materialize(), toArray()));
        expect(outcome.find((n) => n.kind === 'E')?.error).toBeInstanceOf(AsyncValidationError);
        // Partial values are not checked: they come, then the check at the end fails.
        const partial = await lastValueFrom(from(jsonMessage(['{"code": "go', 'od"}'])).pipe(partialOutput(format), materialize(), toArray()));
        expect(partial.map((n) => n.kind)).toEqual(['N', 'N', 'E']);
        expect(partial[2]?.error).toBeInstanceOf(AsyncValidationError);
        server = await createMockServer([textReply('{"code": "good"}')]);
        const [notification] = await lastValueFrom(clientFor(server).messages.parse({ ...base, output_config: { format } }).pipe(materialize(), toArray()));
        expect(notification?.error).toBeInstanceOf(AsyncValidationError);
      });
    }
  });
}
