import * as t from 'io-ts';
import { filter, groupBy, lastValueFrom, map, materialize, mergeMap, of, toArray } from 'rxjs';

import {
  accumulateMessage,
  createClient,
  defineTool,
  finalMessage,
  finalOutput,
  messageStreamEvents,
  OutputValidationError,
  outputFormat,
  partialOutput,
  streamAll,
  textDeltas,
  toolLoop,
  turnMessages,
  type MessageCreateParams,
  type ParsedMessage,
  type ParsedTextBlock,
  type ToolLoopEndEvent,
} from 'rx-anthropic';
import { createMockServer, textReply, toolUseReply, type MockServer } from 'rx-anthropic/testing';

const Weather = t.type({ city: t.string, celsius: t.number, summary: t.string });
type Weather = t.TypeOf<typeof Weather>;
const format = outputFormat(Weather);
const base: MessageCreateParams = { model: 'claude-sonnet-4-6', max_tokens: 256, messages: [{ role: 'user', content: 'Weather in Paris?' }] };
const request = { ...base, output_config: { format } };
const ANSWER = '{"city": "Paris", "celsius": 18, "summary": "Sunny"}';

let server: MockServer;
afterEach(async () => server?.close());
const clientFor = (s: MockServer) => createClient({ baseURL: s.baseURL, apiKey: 'k', maxRetries: 0 });

describe('structured output everywhere a request goes', () => {
  describe('client.messages.stream() with an outputFormat', () => {
    it('gives finalMessage() and messageStreamEvents() a final message with parsed_output', async () => {
      server = await createMockServer([textReply(ANSWER, { chunkSize: 5 }), textReply(ANSWER, { chunkSize: 5 })]);
      const client = clientFor(server);
      const final = (await lastValueFrom(client.messages.stream(request).pipe(finalMessage()))) as ParsedMessage<Weather>;
      expect(final.parsed_output).toEqual({ city: 'Paris', celsius: 18, summary: 'Sunny' });
      expect((final.content[0] as ParsedTextBlock<Weather>).parsed_output).toEqual(final.parsed_output);
      expect(Object.keys(final.content[0] as object)).toEqual(['type', 'text']);

      const stop = await lastValueFrom(client.messages.stream(request).pipe(messageStreamEvents(), filter((event) => event.type === 'message_stop')));
      expect((stop.message as ParsedMessage<Weather>).parsed_output).toEqual(final.parsed_output);
    });

    it('reads the output once per pipeline, and gives accumulateMessage() a last snapshot with parsed_output', async () => {
      let checks = 0;
      const Counted = new t.Type<Weather, Weather, unknown>('Counted', Weather.is, (input, context) => ((checks += 1), Weather.validate(input, context)), Weather.encode);
      const counted = outputFormat(Counted, { schema: format.schema });
      const countedRequest = { ...base, output_config: { format: counted } };
      server = await createMockServer([textReply(ANSWER, { chunkSize: 5 }), textReply(ANSWER, { chunkSize: 5 }), textReply(ANSWER, { chunkSize: 5 })]);
      const client = clientFor(server);

      const final = (await lastValueFrom(client.messages.stream(countedRequest).pipe(messageStreamEvents(), finalMessage()))) as ParsedMessage<Weather>;
      expect(final.parsed_output).toEqual({ city: 'Paris', celsius: 18, summary: 'Sunny' });
      expect(checks).toBe(1);

      const snapshots = (await lastValueFrom(client.messages.stream(countedRequest).pipe(accumulateMessage(), toArray()))) as unknown as ParsedMessage<Weather>[];
      expect(snapshots[snapshots.length - 1]?.parsed_output).toEqual(final.parsed_output);
      expect('parsed_output' in (snapshots[snapshots.length - 2] as object)).toBe(false);
      expect(checks).toBe(2);

      // A pipeline that finishes no message reads no output.
      await lastValueFrom(client.messages.stream(countedRequest).pipe(textDeltas(), toArray()));
      expect(checks).toBe(2);
    });

    it('leaves the raw events as the API sent them: message_stop serialises and compares as { type }', async () => {
      server = await createMockServer([textReply(ANSWER), textReply(ANSWER)]);
      const client = clientFor(server);
      const withFormat = await lastValueFrom(client.messages.stream(request).pipe(toArray()));
      const without = await lastValueFrom(client.messages.stream(base).pipe(toArray()));
      const stop = withFormat[withFormat.length - 1] as object;
      expect(stop).toEqual({ type: 'message_stop' });
      expect(Object.keys(stop)).toEqual(['type']);
      expect(JSON.stringify(withFormat).replace(/msg_mock_\d+/g, 'id')).toBe(JSON.stringify(without).replace(/msg_mock_\d+/g, 'id'));
      // A plain { type, schema } format carries no codec: its stream is not touched at all.
      server = await createMockServer([textReply(ANSWER)]);
      const plainEvents = await lastValueFrom(clientFor(server).messages.stream({ ...base, output_config: { format: { type: 'json_schema', schema: format.schema } } }).pipe(toArray()));
      expect('message' in (plainEvents[plainEvents.length - 1] as object)).toBe(false);
    });

    it('parses only when the final message is read: an invalid output fails finalMessage() with the typed error, not textDeltas()', async () => {
      const invalid = '{"city": "Paris", "celsius": "warm", "summary": "Sunny"}';
      server = await createMockServer([textReply(invalid), textReply(invalid)]);
      const client = clientFor(server);
      expect((await lastValueFrom(client.messages.stream(request).pipe(textDeltas(), toArray()))).join('')).toBe(invalid);
      const notifications = await lastValueFrom(client.messages.stream(request).pipe(finalMessage(), materialize(), toArray()));
      expect(notifications[0]?.error).toBeInstanceOf(OutputValidationError);
      expect((notifications[0]?.error as OutputValidationError).paths).toEqual(['celsius']);
    });

    it('works for create({ stream: true }) too', async () => {
      server = await createMockServer([textReply(ANSWER)]);
      const final = (await lastValueFrom(clientFor(server).messages.create({ ...request, stream: true }).pipe(finalMessage()))) as ParsedMessage<Weather>;
      expect(final.parsed_output?.celsius).toBe(18);
    });
  });

  describe('a tool loop', () => {
    const getWeather = defineTool({ name: 'get_weather', description: 'The weather', input: t.type({ city: t.string }), run: ({ city }) => `${city}: 18°C, sunny` });
    const script = () => [toolUseReply([{ id: 'toolu_1', name: 'get_weather', input: { city: 'Paris' } }]), textReply(ANSWER, { chunkSize: 6 })];

    it('sends the format with every turn; the last turn is the output, for finalOutput(), partialOutput() and the end event', async () => {
      server = await createMockServer(script());
      const events = await lastValueFrom(of(request).pipe(toolLoop(clientFor(server), { tools: [getWeather] }), toArray()));
      expect(server.requests.map((r) => (r.body as { output_config: unknown }).output_config)).toEqual([
        { format: { type: 'json_schema', schema: format.schema } },
        { format: { type: 'json_schema', schema: format.schema } },
      ]);
      expect(await lastValueFrom(of(...events).pipe(finalOutput(format)))).toEqual({ city: 'Paris', celsius: 18, summary: 'Sunny' });
      const partials = await lastValueFrom(of(...events).pipe(partialOutput(format), toArray()));
      expect(partials[0]).toEqual({});
      expect(partials[partials.length - 1]).toEqual({ city: 'Paris', celsius: 18, summary: 'Sunny' });

      const end = events[events.length - 1] as ToolLoopEndEvent;
      expect((end.message as ParsedMessage<Weather>).parsed_output).toEqual({ city: 'Paris', celsius: 18, summary: 'Sunny' });
      const messages: unknown[] = await lastValueFrom(of(...events).pipe(turnMessages(), toArray()));
      const turns = messages as ParsedMessage<Weather>[];
      expect(turns.map((turn) => [turn.stop_reason, turn.parsed_output])).toEqual([
        ['tool_use', null],
        ['end_turn', { city: 'Paris', celsius: 18, summary: 'Sunny' }],
      ]);
    });

    it('streams partial values of the last turn live, straight from the loop', async () => {
      server = await createMockServer(script());
      const partials = await lastValueFrom(of(request).pipe(toolLoop(clientFor(server), { tools: [getWeather] }), partialOutput(format), toArray()));
      expect(partials.map((partial) => JSON.stringify(partial))).toEqual([
        '{}',
        '{"city":"Pa"}',
        '{"city":"Paris"}',
        '{"city":"Paris","celsius":1}',
        '{"city":"Paris","celsius":18}',
        '{"city":"Paris","celsius":18,"summary":"Sun"}',
        '{"city":"Paris","celsius":18,"summary":"Sunny"}',
      ]);
    });
  });

  it('streamAll: several structured requests at once, each output by its key', async () => {
    server = await createMockServer((recorded) => {
      const city = String((recorded.body as { messages: { content: string }[] }).messages[0]?.content);
      return textReply(JSON.stringify({ city, celsius: city.length, summary: `About ${city}` }), { chunkSize: 4, chunkDelayMs: 2 });
    });
    const ask = (city: string) => ({ ...base, messages: [{ role: 'user' as const, content: city }], output_config: { format } });
    const outputs = await lastValueFrom(
      streamAll(clientFor(server), { paris: ask('Paris'), oslo: ask('Oslo'), lima: ask('Lima') }, { concurrency: 3 }).pipe(
        groupBy(({ key }) => key),
        mergeMap((group) =>
          group.pipe(
            map(({ event }) => event),
            finalOutput(format),
            map((weather) => [group.key, weather] as const),
          ),
        ),
        toArray(),
      ),
    );
    expect(Object.fromEntries(outputs)).toEqual({
      paris: { city: 'Paris', celsius: 5, summary: 'About Paris' },
      oslo: { city: 'Oslo', celsius: 4, summary: 'About Oslo' },
      lima: { city: 'Lima', celsius: 4, summary: 'About Lima' },
    });
  });
});
