import * as t from 'io-ts';
import { lastValueFrom, of, toArray, type Observable } from 'rxjs';
import {
  accumulateMessage,
  APIConnectionError,
  APITimeoutError,
  BadRequestError,
  createClient,
  defineTool,
  finalMessage,
  InvalidArgumentError,
  messageStreamEvents,
  OverloadedError,
  textDeltas,
  toolLoop,
  type ClientOptions,
  type MessageCreateParams,
  type RawMessageStreamEvent,
  type RecoveryEvent,
} from 'rx-anthropic';
import { eventsReply, messageReply, textReply, toolUseReply, type MockTurn, type RecordedRequest } from 'rx-anthropic/testing';
import { estimateInputTokens } from '../../lib/testing/estimateTokens';
import { guardLeaks, within } from '../reliability/support/guard';

const guard = guardLeaks();

const TEXT = 'Streams that recover go on after a dropped connection: the text received so far is sent back as a prefill, and the rest follows in the same Observable.';
const params: MessageCreateParams = { model: 'claude-sonnet-4-6', max_tokens: 512, messages: [{ role: 'user', content: 'Tell me about recovery.' }] };

/** A script of one turn per request: `turns[i]` answers request i (the last one answers any after). */
const byRequest =
  (...turns: MockTurn[]) =>
  (_request: RecordedRequest, index: number): MockTurn =>
    turns[Math.min(index, turns.length - 1)] as MockTurn;

function clientOf(baseURL: string, options: ClientOptions = {}) {
  return createClient({ apiKey: 'test', baseURL, maxRetries: 0, timeout: 5_000, ...options });
}

/** Every value and the error (if any) of an Observable. */
async function outcome<T>(source: Observable<T>): Promise<{ values: T[]; error: unknown }> {
  const values: T[] = [];
  const error = await new Promise<unknown>((resolve) => source.subscribe({ next: (value) => values.push(value), error: resolve, complete: () => resolve(undefined) }));
  return { values, error };
}

const textOf = (events: readonly RawMessageStreamEvent[]): string =>
  events.map((event) => (event.type === 'content_block_delta' && event.delta.type === 'text_delta' ? event.delta.text : '')).join('');

/** The stream is one well-formed message: one start, one stop, blocks started in order 0, 1, … and each stopped once, deltas only on open blocks. */
function expectOneMessage(events: readonly RawMessageStreamEvent[]): void {
  expect(events.filter((event) => event.type === 'message_start')).toHaveLength(1);
  expect(events.filter((event) => event.type === 'message_stop')).toHaveLength(1);
  expect(events[0]?.type).toBe('message_start');
  expect(events.at(-1)?.type).toBe('message_stop');
  const open = new Set<number>();
  let next = 0;
  for (const event of events) {
    if (event.type === 'content_block_start') {
      expect(event.index).toBe(next);
      open.add(event.index);
      next += 1;
    } else if (event.type === 'content_block_delta') {
      expect(open.has(event.index)).toBe(true);
    } else if (event.type === 'content_block_stop') {
      expect(open.delete(event.index)).toBe(true);
    }
  }
  expect(open.size).toBe(0);
}

const lastMessageOf = (request: RecordedRequest | undefined) => (request?.body as { messages: Array<{ role: string; content: unknown }> }).messages.at(-1);

describe('continueOnDrop', () => {
  it('goes on after a cut in the middle of the text: the same text, one message, consecutive indices, usage summed', async () => {
    const server = await guard.serve(byRequest({ ...textReply(TEXT, { chunkSize: 5 }), cutAfterEvents: 9 }, textReply(TEXT, { chunkSize: 5 })));
    const recoveries: RecoveryEvent[] = [];
    const client = clientOf(server.baseURL, { continueOnDrop: 2, onRecovery: (event) => recoveries.push(event) });

    const { values: events, error } = await outcome(client.messages.stream(params));

    expect(error).toBeUndefined();
    expect(textOf(events)).toBe(TEXT);
    expectOneMessage(events);
    expect(events.filter((event) => event.type === 'content_block_start')).toHaveLength(1);
    // Six deltas of five characters arrived before the cut (message_start, block start, ping, then six).
    const received = TEXT.slice(0, 30);
    expect(server.requests).toHaveLength(2);
    expect(lastMessageOf(server.requests[1])).toEqual({ role: 'assistant', content: received.trimEnd() });
    expect(server.requests[0]?.body).toEqual({ ...params, stream: true });

    const message = await lastValueFrom(of(...events).pipe(finalMessage()));
    expect(message.content).toEqual([{ type: 'text', text: TEXT }]);
    const rest = TEXT.length - received.trimEnd().length;
    expect(message.usage).toMatchObject({
      input_tokens: estimateInputTokens(server.requests[0]?.body) + estimateInputTokens(server.requests[1]?.body),
      // The cut request reported 1 output token (its message_start) before the cut; the continuation its own.
      output_tokens: 1 + Math.ceil(rest / 4),
      cache_creation_input_tokens: 0,
      cache_read_input_tokens: 0,
    });

    expect(recoveries).toHaveLength(1);
    expect(recoveries[0]).toMatchObject({ kind: 'continuation', attempt: 1, retried: false, reason: expect.stringContaining('after 30 characters of text') });
    expect((recoveries[0] as { error: unknown }).error).toBeInstanceOf(APIConnectionError);
  });

  it('gives textDeltas(), finalMessage(), messageStreamEvents() and accumulateMessage() the uncut answer', async () => {
    const cut = { ...textReply(TEXT, { chunkSize: 7 }), cutAfterEvents: 6 };
    const server = await guard.serve(byRequest(cut, textReply(TEXT, { chunkSize: 7 }), cut, textReply(TEXT, { chunkSize: 7 }), cut, textReply(TEXT, { chunkSize: 7 }), cut, textReply(TEXT, { chunkSize: 7 })));
    const client = clientOf(server.baseURL, { continueOnDrop: 1 });

    const text = (await lastValueFrom(client.messages.stream(params).pipe(textDeltas(), toArray()))).join('');
    const final = await lastValueFrom(client.messages.stream(params).pipe(finalMessage()));
    const sdkEvents = await lastValueFrom(client.messages.stream(params).pipe(messageStreamEvents(), toArray()));
    const snapshots = await lastValueFrom(client.messages.stream(params).pipe(accumulateMessage(), toArray()));

    expect(text).toBe(TEXT);
    expect(final.content).toEqual([{ type: 'text', text: TEXT }]);
    const stop = sdkEvents.filter((event) => event.type === 'message_stop');
    expect(stop).toHaveLength(1);
    expect((stop[0] as { message: { content: unknown } }).message.content).toEqual([{ type: 'text', text: TEXT }]);
    const lastText = sdkEvents.filter((event) => event.type === 'text').at(-1) as { snapshot: string };
    expect(lastText.snapshot).toBe(TEXT);
    expect(snapshots.at(-1)?.content).toEqual([{ type: 'text', text: TEXT }]);
    expect(snapshots.at(-1)?.stop_reason).toBe('end_turn');
    expect(server.requests).toHaveLength(8);
  });

  describe('whitespace at the cut', () => {
    const SPACED = 'Hello world, and then some more words.';

    it('leaves it out of the prefill and gives it once when the continuation starts with it', async () => {
      // Deltas of six: 'Hello ' is the first, and the cut comes right after it.
      const server = await guard.serve(byRequest({ ...textReply(SPACED, { chunkSize: 6 }), cutAfterEvents: 4 }, textReply(SPACED, { chunkSize: 6 })));
      const { values: events, error } = await outcome(clientOf(server.baseURL, { continueOnDrop: 1 }).messages.stream(params));
      expect(error).toBeUndefined();
      expect(lastMessageOf(server.requests[1])).toEqual({ role: 'assistant', content: 'Hello' });
      expect(textOf(events)).toBe(SPACED);
      expectOneMessage(events);
    });

    it('takes off as much of it as the continuation starts with, across deltas', async () => {
      const LINES = 'First line.\n\nSecond line.';
      // Deltas of one character: the cut comes after 'First line.\n\n'.
      const server = await guard.serve(byRequest({ ...textReply(LINES, { chunkSize: 1 }), cutAfterEvents: 3 + 13 }, textReply(LINES, { chunkSize: 1 })));
      const { values: events } = await outcome(clientOf(server.baseURL, { continueOnDrop: 1 }).messages.stream(params));
      expect(lastMessageOf(server.requests[1])).toEqual({ role: 'assistant', content: 'First line.' });
      expect(textOf(events)).toBe(LINES);
    });

    it('keeps it, given once, when the continuation does not start with it', async () => {
      const server = await guard.serve(byRequest({ ...textReply(SPACED, { chunkSize: 6 }), cutAfterEvents: 4 }, textReply('world!')));
      const { values: events } = await outcome(clientOf(server.baseURL, { continueOnDrop: 1 }).messages.stream(params));
      expect(textOf(events)).toBe('Hello world!');
    });

    it('sends the request again without a prefill when the text so far is only whitespace', async () => {
      const LEADING = '  Indented answer.';
      const server = await guard.serve(byRequest({ ...textReply(LEADING, { chunkSize: 2 }), cutAfterEvents: 4 }, textReply(LEADING, { chunkSize: 2 })));
      const { values: events } = await outcome(clientOf(server.baseURL, { continueOnDrop: 1 }).messages.stream(params));
      expect(server.requests[1]?.body).toEqual({ ...params, stream: true });
      expect(textOf(events)).toBe(LEADING);
      expectOneMessage(events);
    });
  });

  it('retries the same params when the cut comes before any content block, as one message', async () => {
    const server = await guard.serve(byRequest({ ...textReply(TEXT), cutAfterEvents: 1 }, { ...textReply(TEXT), cutAfterEvents: 0 }, textReply(TEXT)));
    const recoveries: RecoveryEvent[] = [];
    const { values: events, error } = await outcome(clientOf(server.baseURL, { continueOnDrop: 2, onRecovery: (event) => recoveries.push(event) }).messages.stream(params));
    expect(error).toBeUndefined();
    expect(server.requests.map((request) => request.body)).toEqual([0, 1, 2].map(() => ({ ...params, stream: true })));
    expect(textOf(events)).toBe(TEXT);
    expectOneMessage(events);
    expect(recoveries.map((event) => [event.kind, (event as { retried: boolean }).retried, (event as { attempt: number }).attempt])).toEqual([
      ['continuation', true, 1],
      ['continuation', true, 2],
    ]);
    const message = await lastValueFrom(of(...events).pipe(finalMessage()));
    // Both the retried request and the one that answered count their input.
    expect(message.usage.input_tokens).toBe(2 * estimateInputTokens(server.requests[0]?.body));
  });

  it('goes on when a whole text block had finished before the cut: the next block follows at the next index', async () => {
    const content = [
      { type: 'text', text: 'The first block.' },
      { type: 'text', text: 'The second block.' },
    ];
    // message_start, start, ping, 4 deltas, stop: 8 events.
    const server = await guard.serve(byRequest({ ...messageReply({ content }), cutAfterEvents: 8 }, messageReply({ content })));
    const { values: events, error } = await outcome(clientOf(server.baseURL, { continueOnDrop: 1 }).messages.stream(params));
    expect(error).toBeUndefined();
    expect(lastMessageOf(server.requests[1])).toEqual({ role: 'assistant', content: 'The first block.' });
    expectOneMessage(events);
    expect((await lastValueFrom(of(...events).pipe(finalMessage()))).content).toEqual(content);
  });

  it('goes on inside the second text block when the first had finished', async () => {
    const content = [
      { type: 'text', text: 'The first block.' },
      { type: 'text', text: 'The second block.' },
    ];
    // The first block (8 events), then the second's start and two deltas.
    const server = await guard.serve(byRequest({ ...messageReply({ content }), cutAfterEvents: 11 }, messageReply({ content })));
    const { values: events } = await outcome(clientOf(server.baseURL, { continueOnDrop: 1 }).messages.stream(params));
    expect(lastMessageOf(server.requests[1])).toEqual({ role: 'assistant', content: 'The first block.The seco' });
    expectOneMessage(events);
    expect((await lastValueFrom(of(...events).pipe(finalMessage()))).content).toEqual(content);
  });

  it('goes on when the cut comes after the message_delta: the answer ends with one message_stop', async () => {
    const events0 = 3 + Math.ceil(TEXT.length / 4) + 1 + 1;
    const server = await guard.serve(byRequest({ ...textReply(TEXT), cutAfterEvents: events0 }, textReply(TEXT)));
    const { values: events, error } = await outcome(clientOf(server.baseURL, { continueOnDrop: 1 }).messages.stream(params));
    expect(error).toBeUndefined();
    expect(events.filter((event) => event.type === 'message_delta')).toHaveLength(2);
    expectOneMessage(events);
    const message = await lastValueFrom(of(...events).pipe(finalMessage()));
    expect(message.content).toEqual([{ type: 'text', text: TEXT }]);
    expect(message.stop_reason).toBe('end_turn');
  });

  it('completes, sending nothing again, when the body breaks off after the message_stop', async () => {
    const server = await guard.serve(byRequest({ ...textReply(TEXT), cutAfterEvents: 1_000 }, { ...textReply(TEXT), stallAfterEvents: 1_000 }));
    const recoveries: RecoveryEvent[] = [];
    const client = clientOf(server.baseURL, { continueOnDrop: 1, timeout: 100, onRecovery: (event) => recoveries.push(event) });
    for (const _ of [1, 2]) {
      const { values: events, error } = await outcome(client.messages.stream(params));
      expect(error).toBeUndefined();
      expectOneMessage(events);
      expect(textOf(events)).toBe(TEXT);
    }
    expect(server.requests).toHaveLength(2);
    expect(recoveries).toEqual([]);
  });

  it("adds the text to the request's own assistant prefill", async () => {
    const ANSWER = 'The answer is 42, because six times seven is forty-two.';
    const prefilled: MessageCreateParams = { ...params, messages: [...params.messages, { role: 'assistant', content: 'The answer is' }] };
    const server = await guard.serve(byRequest({ ...textReply(ANSWER, { chunkSize: 4 }), cutAfterEvents: 6 }, textReply(ANSWER, { chunkSize: 4 })));
    const { values: events } = await outcome(clientOf(server.baseURL, { continueOnDrop: 1 }).messages.stream(prefilled));
    // The first answer's first three deltas: ' 42,', ' bec', 'ause'.
    expect(lastMessageOf(server.requests[1])).toEqual({ role: 'assistant', content: 'The answer is 42, because' });
    expect(server.requests[1]?.body).toMatchObject({ messages: [params.messages[0], { role: 'assistant' }] });
    expect(textOf(events)).toBe(' 42, because six times seven is forty-two.');
  });

  it('goes on after the idle timeout fires between two chunks (a stalled stream)', async () => {
    const server = await guard.serve(byRequest({ ...textReply(TEXT, { chunkSize: 5 }), stallAfterEvents: 7 }, textReply(TEXT, { chunkSize: 5 })));
    const recoveries: RecoveryEvent[] = [];
    const { values: events, error } = await outcome(clientOf(server.baseURL, { continueOnDrop: 1, timeout: 150, onRecovery: (event) => recoveries.push(event) }).messages.stream(params));
    expect(error).toBeUndefined();
    expect(textOf(events)).toBe(TEXT);
    expect((recoveries[0] as { error: unknown }).error).toBeInstanceOf(APITimeoutError);
    await within(server.requests[0]!.closed, 2_000, 'the stalled request to close');
    expect(server.requests[0]?.abortedByClient).toBe(true);
  });

  describe('what cannot be continued fails with the original error, saying why', () => {
    it('a cut inside a tool_use input', async () => {
      const turn = toolUseReply([{ id: 'toolu_1', name: 'get_weather', input: { city: 'Paris', unit: 'celsius' } }], { text: 'Let me look.', jsonChunkSize: 4 });
      // The text block (start, ping, 3 deltas, stop), the tool_use start and two of its deltas.
      const server = await guard.serve(byRequest({ ...turn, cutAfterEvents: 1 + 6 + 3 }, turn));
      const recoveries: RecoveryEvent[] = [];
      const { values, error } = await outcome(clientOf(server.baseURL, { continueOnDrop: 3, onRecovery: (event) => recoveries.push(event) }).messages.stream(params));
      expect(error).toBeInstanceOf(APIConnectionError);
      expect((error as Error).message).toMatch(/ The stream was not continued: the stream was cut inside a tool_use input\.$/);
      expect(server.requests).toHaveLength(1);
      expect(recoveries).toEqual([]);
      expect(values.filter((event) => event.type === 'content_block_start')).toHaveLength(2);
    });

    it('a cut inside a thinking block', async () => {
      const turn = messageReply({ content: [{ type: 'thinking', thinking: 'Let me think about this for a while.', signature: 'c2ln' }, { type: 'text', text: 'Done.' }] });
      const server = await guard.serve(byRequest({ ...turn, cutAfterEvents: 5 }, turn));
      const { error } = await outcome(clientOf(server.baseURL, { continueOnDrop: 3 }).messages.stream(params));
      expect(error).toBeInstanceOf(APIConnectionError);
      expect((error as Error).message).toContain('The stream was not continued: the stream was cut inside a thinking block.');
      expect(server.requests).toHaveLength(1);
    });

    it('a cut in the text after a thinking block, with extended thinking on', async () => {
      const turn = messageReply({ content: [{ type: 'thinking', thinking: 'Short.', signature: 'c2ln' }, { type: 'text', text: 'The answer takes a few words.' }] });
      const server = await guard.serve(byRequest({ ...turn, cutAfterEvents: 1 + 6 + 3 }, turn));
      const thinking: MessageCreateParams = { ...params, max_tokens: 2048, thinking: { type: 'enabled', budget_tokens: 1024 } };
      const { error } = await outcome(clientOf(server.baseURL, { continueOnDrop: 3 }).messages.stream(thinking));
      expect((error as Error).message).toContain("The stream was not continued: extended thinking is on (thinking.type 'enabled'), and the API takes no assistant prefill with it.");
      expect(server.requests).toHaveLength(1);
    });

    it('a cut in text after a server tool block', async () => {
      const turn = messageReply({
        content: [
          { type: 'server_tool_use', id: 'srvtoolu_1', name: 'web_search', input: { query: 'rxjs' } },
          { type: 'web_search_tool_result', tool_use_id: 'srvtoolu_1', content: [] },
          { type: 'text', text: 'Here is what I found about it.' },
        ],
      });
      const server = await guard.serve(byRequest({ ...turn, cutAfterEvents: 12 }, turn));
      const { error } = await outcome(clientOf(server.baseURL, { continueOnDrop: 3 }).messages.stream(params));
      expect((error as Error).message).toContain('The stream was not continued: the answer so far has a server_tool_use block, and a prefill carries only text.');
    });

    it('the API refusing the prefill: the refusal is the cause', async () => {
      const server = await guard.serve(byRequest({ ...textReply(TEXT), cutAfterEvents: 8 }, { ...textReply(TEXT), refusePrefill: true }));
      const { values, error } = await outcome(clientOf(server.baseURL, { continueOnDrop: 3 }).messages.stream(params));
      expect(error).toBeInstanceOf(APIConnectionError);
      expect((error as Error).message).toMatch(/The stream was not continued: the API refused the continuation and its prefill \(400: .*prefill.*\)\.$/);
      expect((error as Error & { cause: unknown }).cause).toBeInstanceOf(BadRequestError);
      expect(server.requests).toHaveLength(2);
      expect(values.filter((event) => event.type === 'message_start')).toHaveLength(1);
    });

    it('the attempts used up: the last drop, after every attempt was made', async () => {
      const server = await guard.serve(byRequest({ ...textReply(TEXT, { chunkSize: 3 }), cutAfterEvents: 8 }));
      const recoveries: RecoveryEvent[] = [];
      const { values, error } = await outcome(clientOf(server.baseURL, { continueOnDrop: 2, onRecovery: (event) => recoveries.push(event) }).messages.stream(params));
      expect(error).toBeInstanceOf(APIConnectionError);
      expect((error as Error).message).toContain('The stream was not continued: the 2 attempts of continueOnDrop were used up.');
      expect(server.requests).toHaveLength(3);
      expect(recoveries.map((event) => (event as { attempt: number }).attempt)).toEqual([1, 2]);
      // Each request added five deltas of three characters to the one message.
      expect(textOf(values)).toBe(TEXT.slice(0, 45));
      expect(values.filter((event) => event.type === 'message_start')).toHaveLength(1);
    });
  });

  it('passes any other failure as it came: an error event is not a drop', async () => {
    const server = await guard.serve(
      byRequest(
        eventsReply([
          { type: 'message_start', message: { id: 'msg_1', type: 'message', role: 'assistant', model: 'm', content: [], stop_reason: null, stop_sequence: null, usage: { input_tokens: 1, output_tokens: 1 } } },
          { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } },
        ]),
      ),
    );
    const { error } = await outcome(clientOf(server.baseURL, { continueOnDrop: 3 }).messages.stream(params));
    expect(error).toBeInstanceOf(OverloadedError);
    expect((error as Error).message).not.toContain('continued');
    expect(server.requests).toHaveLength(1);
  });

  describe('per client and per request', () => {
    const cutThenWhole = () => byRequest({ ...textReply(TEXT), cutAfterEvents: 8 }, textReply(TEXT));

    it("a request's continueOnDrop overrides the client's, both ways", async () => {
      const on = await guard.serve(cutThenWhole());
      const { values, error } = await outcome(clientOf(on.baseURL).messages.stream(params, { continueOnDrop: 1 }));
      expect(error).toBeUndefined();
      expect(textOf(values)).toBe(TEXT);

      const off = await guard.serve(cutThenWhole());
      const refused = await outcome(clientOf(off.baseURL, { continueOnDrop: 3 }).messages.stream(params, { continueOnDrop: 0 }));
      expect(refused.error).toBeInstanceOf(APIConnectionError);
      expect((refused.error as Error).message).not.toContain('continued');
      expect(off.requests).toHaveLength(1);
    });

    it('refuses a null continueOnDrop at createClient', () => {
      expect(() => createClient({ apiKey: 'test', continueOnDrop: null as unknown as number })).toThrow(InvalidArgumentError);
    });

    it.each([-1, 1.5, Number.NaN, '2'])('refuses continueOnDrop %p: at createClient for the client, at subscribe for a request', async (value) => {
      expect(() => createClient({ apiKey: 'test', continueOnDrop: value as number })).toThrow(InvalidArgumentError);
      expect(() => createClient({ apiKey: 'test', continueOnDrop: value as number })).toThrow(/continueOnDrop must be a whole number of at least 0/);
      const server = await guard.serve(byRequest(textReply(TEXT)));
      const stream = clientOf(server.baseURL).messages.stream(params, { continueOnDrop: value as number });
      const { error } = await outcome(stream);
      expect(error).toBeInstanceOf(InvalidArgumentError);
      expect(error).toMatchObject({ argument: 'continueOnDrop' });
      expect((error as Error).message).toContain('continueOnDrop option must be a whole number of at least 0');
      expect(server.requests).toHaveLength(0);
    });
  });

  describe('under the tool loop', () => {
    const getWeather = defineTool({ name: 'get_weather', description: 'The weather in a city', input: t.type({ city: t.string }), run: ({ city }) => `Sunny in ${city}` });
    const toolTurn = toolUseReply([{ id: 'toolu_1', name: 'get_weather', input: { city: 'Paris' } }], { text: 'Let me look that up for you.' });
    const ANSWER = 'It is sunny in Paris today, with a light breeze from the west.';
    const script = () => byRequest({ ...toolTurn, cutAfterEvents: 5 }, toolTurn, { ...textReply(ANSWER), cutAfterEvents: 6 }, textReply(ANSWER));

    async function expectLoop(server: { requests: readonly RecordedRequest[] }, events: readonly unknown[]): Promise<void> {
      const results = events.filter((event) => (event as { type: string }).type === 'tool_result');
      expect(results).toEqual([expect.objectContaining({ name: 'get_weather', content: 'Sunny in Paris', is_error: false })]);
      expect(server.requests).toHaveLength(4);
      // The history sent with the tool result holds the continued turn whole.
      const history = (server.requests[2]?.body as { messages: Array<{ role: string; content: unknown }> }).messages;
      expect(history[1]).toEqual({
        role: 'assistant',
        content: [
          { type: 'text', text: 'Let me look that up for you.' },
          { type: 'tool_use', id: 'toolu_1', name: 'get_weather', input: { city: 'Paris' } },
        ],
      });
      const raw = events.filter((event): event is RawMessageStreamEvent => typeof event === 'object' && event !== null && 'type' in event && (event as { type: string }).type !== 'tool_result');
      expect(raw.filter((event) => event.type === 'message_start')).toHaveLength(2);
      expect(raw.filter((event) => event.type === 'message_stop')).toHaveLength(2);
      const second = raw.slice(raw.findIndex((event, index) => index > 0 && event.type === 'message_start'));
      expect(textOf(second)).toBe(ANSWER);
    }

    it('client.messages.toolLoop with the client option', async () => {
      const server = await guard.serve(script());
      const events = await lastValueFrom(clientOf(server.baseURL, { continueOnDrop: 1 }).messages.toolLoop(params, { tools: [getWeather] }).pipe(toArray()));
      await expectLoop(server, events);
    });

    it('the toolLoop operator with the request option', async () => {
      const server = await guard.serve(script());
      const client = clientOf(server.baseURL);
      const events = await lastValueFrom(of(params).pipe(toolLoop(client, { tools: [getWeather], requestOptions: { continueOnDrop: 1 } }), toArray()));
      await expectLoop(server, events);
    });
  });

  it('unsubscribing during a continuation aborts its request and leaves nothing running', async () => {
    const server = await guard.serve(byRequest({ ...textReply(TEXT, { chunkSize: 5 }), cutAfterEvents: 8 }, { ...textReply(TEXT, { chunkSize: 5 }), stallAfterEvents: 5 }));
    const events: RawMessageStreamEvent[] = [];
    const subscription = clientOf(server.baseURL, { continueOnDrop: 3 }).messages.stream(params).subscribe({ next: (event) => events.push(event) });
    const continuation = await within(server.waitForRequest(1), 2_000, 'the continuation');
    // Wait for the continuation's text to arrive: then it is the request in flight.
    const deadline = Date.now() + 2_000;
    while (textOf(events).length <= 25 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 5));
    expect(textOf(events).length).toBeGreaterThan(25);
    subscription.unsubscribe();
    await within(continuation.closed, 2_000, 'the continuation to close');
    expect(continuation.abortedByClient).toBe(true);
    expect(server.requests).toHaveLength(2);
    // The guard then checks that no socket or timer is left.
  });
});
