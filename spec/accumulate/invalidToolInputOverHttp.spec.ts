/**
 * Tool input that stops being JSON in the middle of a block, as a user meets it: a real request
 * to the loopback mock server, its events through the public operators and the tool loop. The
 * error must come at the `input_json_delta` that broke the input, not at the block's stop: the
 * events after it are never delivered, and the request is given up at once.
 */
import * as t from 'io-ts';
import { lastValueFrom, of, tap, toArray, type Observable } from 'rxjs';
import {
  createClient,
  defineTool,
  finalMessage,
  messageStreamEvents,
  toolLoop,
  ToolInputParseError,
  type MessageCreateParams,
  type MessageStreamEvent,
  type RawMessageStreamEvent,
  type ToolLoopEvent,
} from 'rx-anthropic';
import { createMockServer, eventsReply, textReply, type MockServer } from 'rx-anthropic/testing';

const params: MessageCreateParams = { model: 'claude-test', max_tokens: 256, messages: [{ role: 'user', content: 'Weather in Paris?' }] };

/** The input the model streams: valid up to the second chunk, which closes the object twice. */
const GOOD_CHUNK = '{"city": "Paris"';
const BAD_CHUNK = '}}';
const LATER_CHUNKS = [', "days": 3', '}'];

/** A tool-use turn whose input breaks at its seventh event, followed by events that must never arrive. */
function brokenToolTurn(): object[] {
  const delta = (index: number, d: object) => ({ type: 'content_block_delta', index, delta: d });
  return [
    {
      type: 'message_start',
      message: { id: 'msg_1', type: 'message', role: 'assistant', model: 'claude-test', content: [], stop_reason: null, stop_sequence: null, usage: { input_tokens: 5, output_tokens: 1 } },
    },
    { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } },
    delta(0, { type: 'text_delta', text: 'Let me check.' }),
    { type: 'content_block_stop', index: 0 },
    { type: 'content_block_start', index: 1, content_block: { type: 'tool_use', id: 'toolu_1', name: 'get_weather', input: {} } },
    delta(1, { type: 'input_json_delta', partial_json: GOOD_CHUNK }),
    delta(1, { type: 'input_json_delta', partial_json: BAD_CHUNK }),
    ...LATER_CHUNKS.map((chunk) => delta(1, { type: 'input_json_delta', partial_json: chunk })),
    { type: 'content_block_stop', index: 1 },
    { type: 'message_delta', delta: { stop_reason: 'tool_use', stop_sequence: null }, usage: { output_tokens: 20 } },
    { type: 'message_stop' },
  ];
}

/** The raw events up to and including the bad delta. */
const EVENTS_THROUGH_BAD_DELTA = 7;
const CHUNK_DELAY_MS = 25;

let server: MockServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function serve(): Promise<MockServer> {
  // A pause between frames: the later events are still to be sent when the error comes.
  server = await createMockServer([eventsReply(brokenToolTurn(), { chunkDelayMs: CHUNK_DELAY_MS }), textReply('never asked for')]);
  return server;
}

const clientFor = (s: MockServer) => createClient({ baseURL: s.baseURL, apiKey: 'k', maxRetries: 0 });

/** Subscribes, collects what arrives, and resolves with the values and the error. */
function outcomeOf<T>(source: Observable<T>): Promise<{ values: T[]; error: unknown }> {
  const values: T[] = [];
  return new Promise((resolve) => {
    source.subscribe({ next: (value) => values.push(value), error: (error: unknown) => resolve({ values, error }), complete: () => resolve({ values, error: undefined }) });
  });
}

/** Throws unless `error` is the ToolInputParseError of the bad delta. */
function expectBadDeltaError(error: unknown): void {
  expect(error).toBeInstanceOf(ToolInputParseError);
  const parseError = error as ToolInputParseError;
  expect(parseError.raw).toBe(GOOD_CHUNK + BAD_CHUNK);
  expect(parseError.blockIndex).toBe(1);
  expect(parseError.message).toBe(
    'Unable to parse tool parameter JSON from model. Please retry your request or adjust your prompt. ' +
      'Error: Unexpected "}", expected nothing after the value at position 17 of the JSON text, near {"city": "Paris"}▶}. ' +
      `JSON: ${GOOD_CHUNK}${BAD_CHUNK}`,
  );
}

/** The request ended before the server could send the events after the bad delta. */
async function expectGivenUpEarly(s: MockServer): Promise<void> {
  const request = await s.waitForRequest(0);
  await request.closed;
  expect(request.abortedByClient).toBe(true);
  expect(request.completed).toBe(false);
  expect(s.requests).toHaveLength(1);
}

describe('tool input that stops being JSON mid-block, over HTTP', () => {
  it('client.messages.stream() + messageStreamEvents(): the events before the bad delta, then ToolInputParseError in its place', async () => {
    const s = await serve();
    const { values, error } = await outcomeOf(clientFor(s).messages.stream(params).pipe(messageStreamEvents()));
    expectBadDeltaError(error);
    expect(values.map((event) => event.type)).toEqual([
      'message_start',
      'content_block_start',
      'content_block_delta',
      'text',
      'content_block_stop',
      'content_block_start',
      'content_block_delta',
      'input_json',
    ]);
    const last = values.at(-1) as Extract<MessageStreamEvent, { type: 'input_json' }>;
    expect(last.partial_json).toBe(GOOD_CHUNK);
    expect(last.snapshot).toEqual({ city: 'Paris' });
    await expectGivenUpEarly(s);
  });

  it('fails at the same delta when every snapshot is read as it comes', async () => {
    const s = await serve();
    const snapshots: unknown[] = [];
    const events$ = clientFor(s)
      .messages.stream(params)
      .pipe(
        messageStreamEvents(),
        tap((event) => {
          if (event.type === 'input_json') snapshots.push(event.snapshot);
        }),
      );
    const { values, error } = await outcomeOf(events$);
    expectBadDeltaError(error);
    expect(values).toHaveLength(8);
    expect(snapshots).toEqual([{ city: 'Paris' }]);
    await expectGivenUpEarly(s);
  });

  it('client.messages.stream() + finalMessage(): no message, ToolInputParseError as soon as the bad delta arrives', async () => {
    const s = await serve();
    const raw: RawMessageStreamEvent[] = [];
    const { values, error } = await outcomeOf(
      clientFor(s)
        .messages.stream(params)
        .pipe(
          tap((event) => raw.push(event)),
          finalMessage(),
        ),
    );
    expectBadDeltaError(error);
    expect(values).toEqual([]);
    expect(raw).toHaveLength(EVENTS_THROUGH_BAD_DELTA);
    expect(raw.at(-1)).toMatchObject({ type: 'content_block_delta', delta: { partial_json: BAD_CHUNK } });
    await expectGivenUpEarly(s);
  });

  it('toolLoop(): the loop fails with ToolInputParseError, runs no tool and sends no second request', async () => {
    const s = await serve();
    const ran: unknown[] = [];
    const getWeather = defineTool({
      name: 'get_weather',
      description: 'The weather in a city',
      input: t.type({ city: t.string }),
      run: (input) => {
        ran.push(input);
        return 'Sunny';
      },
    });
    const { values, error } = await outcomeOf(of(params).pipe(toolLoop(clientFor(s), { tools: [getWeather] })));
    expectBadDeltaError(error);
    expect(ran).toEqual([]);
    // The loop passes the turn's raw events on as they arrive, the bad delta too, and fails right after it.
    expect(values.map((event: ToolLoopEvent) => event.type)).toEqual([
      'message_start',
      'content_block_start',
      'content_block_delta',
      'content_block_stop',
      'content_block_start',
      'content_block_delta',
      'content_block_delta',
    ]);
    expect(values.at(-1)).toMatchObject({ type: 'content_block_delta', index: 1, delta: { partial_json: BAD_CHUNK } });
    await expectGivenUpEarly(s);
  });

  it('client.messages.toolLoop(): the same, through the client', async () => {
    const s = await serve();
    let ran = 0;
    const getWeather = defineTool({
      name: 'get_weather',
      description: 'The weather in a city',
      input: t.type({ city: t.string }),
      run: () => {
        ran += 1;
        return 'Sunny';
      },
    });
    const error = await lastValueFrom(clientFor(s).messages.toolLoop(params, { tools: [getWeather] }).pipe(toArray())).then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expectBadDeltaError(error);
    expect(ran).toBe(0);
    await expectGivenUpEarly(s);
  });
});
