/**
 * Bad input from the server, over the real loopback connection: invalid UTF-8, invalid or
 * truncated JSON, known events missing required fields, deltas for blocks never started, events
 * out of order, an event too large to buffer, a body that is not an event stream, an HTML page
 * served with status 200. Each ends in a clear typed error at the layer that can tell (the raw
 * stream, or the operators that build messages); nothing throws out of a callback or crashes.
 */
import type { OperatorFunction } from 'rxjs';
import {
  accumulateMessage,
  AnthropicError,
  APIConnectionError,
  finalMessage,
  IncompleteStreamError,
  StreamDecodeError,
  ToolInputParseError,
  type Message,
  type RawMessageStreamEvent,
} from 'rx-anthropic';
import { eventsReply, jsonReply, sseReply, textReply, type MockTurn } from 'rx-anthropic/testing';
import { endlessEventServer } from './support/faultServers';
import { guardLeaks, within } from './support/guard';
import { expectTyped, runBounded } from './support/outcome';
import { FaultTally, recordFigures } from './support/recordFigures';
import { clientOf, params } from './support/streams';

const guard = guardLeaks();
const faults = new FaultTally();
const figures: Record<string, unknown> = {};
afterAll(() => recordFigures('malformedStreams', { faults: faults.toJSON(), faultsTotal: faults.total, ...figures, leakChecks: guard.checks.count }));

const BOUND_MS = 10_000;
const MiB = 1024 * 1024;

const start = {
  type: 'message_start',
  message: { id: 'msg_bad', type: 'message', role: 'assistant', model: 'm', content: [], stop_reason: null, stop_sequence: null, usage: { input_tokens: 1, output_tokens: 1 } },
};
const frame = (event: object) => `event: ${(event as { type: string }).type}\ndata: ${JSON.stringify(event)}\n\n`;
const textStart = { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } };
const prelude = frame(start) + frame(textStart);
const bytes = (...parts: Array<string | number[]>) => Buffer.concat(parts.map((part) => (typeof part === 'string' ? Buffer.from(part) : Buffer.from(part))));

/** What the case subscribes to: the raw events, the snapshots, or the final message. */
type Layer = 'raw' | 'snapshots' | 'final';
const layers: Record<Layer, OperatorFunction<RawMessageStreamEvent, unknown>> = {
  raw: (source) => source,
  snapshots: accumulateMessage(),
  final: finalMessage(),
};

interface BadStreamCase {
  readonly name: string;
  readonly turn: MockTurn;
  readonly layer: Layer;
  readonly error: abstract new (...args: never[]) => AnthropicError;
  readonly message: RegExp;
  /** The dotted path a StreamDecodeError names. */
  readonly path?: string;
}

const cases: BadStreamCase[] = [
  {
    name: 'invalid UTF-8 in an event',
    turn: sseReply(bytes(prelude, 'event: content_block_delta\ndata: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"', [0xff, 0xfe], '"}}\n\n')),
    layer: 'raw',
    error: StreamDecodeError,
    message: /not valid UTF-8/,
  },
  {
    name: 'invalid UTF-8 delivered one byte per chunk',
    turn: sseReply(bytes(prelude, 'data: {"type":"ping","x":"', [0xe2, 0x28, 0xa1], '"}\n\n'), { splitBytes: 1 }),
    layer: 'raw',
    error: StreamDecodeError,
    message: /not valid UTF-8/,
  },
  {
    name: 'an overlong UTF-8 encoding',
    turn: sseReply(bytes(prelude, 'data: {"type":"ping","x":"', [0xc0, 0xaf], '"}\n\n')),
    layer: 'raw',
    error: StreamDecodeError,
    message: /not valid UTF-8/,
  },
  {
    name: 'a UTF-8 character cut at the end of the body',
    turn: sseReply(bytes(prelude, 'data: {"type":"ping"}\n\n', [0xf0, 0x9f])),
    layer: 'raw',
    error: StreamDecodeError,
    message: /not valid UTF-8/,
  },
  {
    name: 'data that is not JSON',
    turn: sseReply(`${prelude}event: content_block_delta\ndata: {type: content_block_delta}\n\n`),
    layer: 'raw',
    error: StreamDecodeError,
    message: /event "content_block_delta".*not valid JSON/,
  },
  {
    name: 'JSON truncated inside a complete frame',
    turn: sseReply(`${prelude}event: content_block_delta\ndata: {"type":"content_block_delta","index":0,"delta":{"type":"text_de\n\n`),
    layer: 'raw',
    error: StreamDecodeError,
    message: /not valid JSON/,
  },
  {
    name: 'JSON truncated by the end of the body (no blank line)',
    turn: sseReply(`${prelude}event: content_block_delta\ndata: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","te`),
    layer: 'raw',
    error: StreamDecodeError,
    message: /not valid JSON/,
  },
  {
    name: 'message_start without its message',
    turn: sseReply('event: message_start\ndata: {"type":"message_start"}\n\n'),
    layer: 'raw',
    error: StreamDecodeError,
    message: /event "message_start"/,
    path: 'message',
  },
  {
    name: 'message_start whose message lacks usage',
    turn: sseReply(frame({ ...start, message: { ...start.message, usage: undefined } })),
    layer: 'raw',
    error: StreamDecodeError,
    message: /message\.usage/,
    path: 'message.usage',
  },
  {
    name: 'content_block_delta without an index',
    turn: eventsReply([start, textStart, { type: 'content_block_delta', delta: { type: 'text_delta', text: 'x' } }]),
    layer: 'raw',
    error: StreamDecodeError,
    message: /event "content_block_delta"/,
    path: 'index',
  },
  {
    name: 'content_block_delta with a string index',
    turn: eventsReply([start, textStart, { type: 'content_block_delta', index: '0', delta: { type: 'text_delta', text: 'x' } }]),
    layer: 'raw',
    error: StreamDecodeError,
    message: /index/,
    path: 'index',
  },
  {
    name: 'a text_delta without its text',
    turn: eventsReply([start, textStart, { type: 'content_block_delta', index: 0, delta: { type: 'text_delta' } }]),
    layer: 'raw',
    error: StreamDecodeError,
    message: /delta\.text/,
    path: 'delta.text',
  },
  {
    name: 'data that is a JSON array',
    turn: sseReply('event: message_start\ndata: [1,2,3]\n\n'),
    layer: 'raw',
    error: StreamDecodeError,
    message: /expected a JSON object/,
  },
  {
    name: 'data that is JSON null',
    turn: sseReply('data: null\n\n'),
    layer: 'raw',
    error: StreamDecodeError,
    message: /expected a JSON object/,
  },
  {
    name: 'an object without a type',
    turn: sseReply('event: content_block_delta\ndata: {"index":0}\n\n'),
    layer: 'raw',
    error: StreamDecodeError,
    message: /"type"/,
    path: 'type',
  },
  {
    name: 'a delta for a block index never started',
    turn: eventsReply([start, textStart, { type: 'content_block_delta', index: 3, delta: { type: 'text_delta', text: 'x' } }]),
    layer: 'snapshots',
    error: StreamDecodeError,
    message: /content block 3 was never started/,
  },
  {
    name: 'content_block_stop for an index never started',
    turn: eventsReply([start, { type: 'content_block_stop', index: 0 }]),
    layer: 'snapshots',
    error: StreamDecodeError,
    message: /content block 0 was never started/,
  },
  {
    name: 'a delta before message_start (out of order)',
    turn: eventsReply([textStart, start]),
    layer: 'snapshots',
    error: StreamDecodeError,
    message: /before any message_start/,
  },
  {
    name: 'message_delta before message_start (out of order)',
    turn: eventsReply([{ type: 'message_delta', delta: { stop_reason: 'end_turn', stop_sequence: null }, usage: { output_tokens: 1 } }, start]),
    layer: 'final',
    error: StreamDecodeError,
    message: /before any message_start/,
  },
  {
    name: 'a block started past the next index (2 of none)',
    turn: eventsReply([start, { ...textStart, index: 2 }, { type: 'content_block_stop', index: 2 }, { type: 'message_stop' }]),
    layer: 'final',
    error: StreamDecodeError,
    message: /content block 2 cannot start when 0 block\(s\) have started/,
    path: 'index',
  },
  {
    name: 'a block started at a negative index',
    turn: eventsReply([start, { ...textStart, index: -1 }, { type: 'message_stop' }]),
    layer: 'snapshots',
    error: StreamDecodeError,
    message: /content block -1 cannot start/,
    path: 'index',
  },
  {
    name: 'tool input that stops being JSON mid-block',
    turn: eventsReply([
      start,
      { type: 'content_block_start', index: 0, content_block: { type: 'tool_use', id: 'toolu_1', name: 'f', input: {} } },
      { type: 'content_block_delta', index: 0, delta: { type: 'input_json_delta', partial_json: '{"city": Par' } },
      { type: 'content_block_delta', index: 0, delta: { type: 'input_json_delta', partial_json: 'is"}' } },
      { type: 'content_block_stop', index: 0 },
    ]),
    layer: 'final',
    error: ToolInputParseError,
    message: /^Unable to parse tool parameter JSON.*Unexpected "P", expected a value at position 9.*JSON: \{"city": Par$/,
  },
  {
    name: 'tool input that is unfinished when the block stops',
    turn: eventsReply([
      start,
      { type: 'content_block_start', index: 0, content_block: { type: 'tool_use', id: 'toolu_1', name: 'f', input: {} } },
      { type: 'content_block_delta', index: 0, delta: { type: 'input_json_delta', partial_json: '{"city": "Par' } },
      { type: 'content_block_stop', index: 0 },
    ]),
    layer: 'final',
    error: ToolInputParseError,
    message: /^Unable to parse tool parameter JSON.*Unexpected end of JSON input/,
  },
  {
    name: 'a stream that ends without message_stop',
    turn: eventsReply([start, textStart, { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'cut' } }]),
    layer: 'final',
    error: IncompleteStreamError,
    message: /ended before message_stop/,
  },
  {
    name: 'an empty 200 body',
    turn: sseReply(''),
    layer: 'final',
    error: IncompleteStreamError,
    message: /no events/,
  },
  {
    name: 'a JSON body where events were expected (non-SSE content type)',
    turn: jsonReply({ type: 'message', content: [] }),
    layer: 'raw',
    error: StreamDecodeError,
    message: /expected a text\/event-stream response but got application\/json/,
  },
  {
    name: 'a text/plain body',
    turn: sseReply(frame(start), { contentType: 'text/plain' }),
    layer: 'raw',
    error: StreamDecodeError,
    message: /but got text\/plain/,
  },
  {
    name: 'an HTML error page with status 200',
    turn: sseReply(`<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body>${'<p>upstream unavailable</p>'.repeat(2_000)}</body></html>`, {
      contentType: 'text/html; charset=utf-8',
    }),
    layer: 'raw',
    error: StreamDecodeError,
    message: /but got text\/html.*502 Bad Gateway/,
  },
  {
    name: 'an HTML error page with status 200 labelled text/event-stream',
    turn: sseReply('<!DOCTYPE html>\n<html><body>\n<h1>Service unavailable</h1>\n</body></html>\n'),
    layer: 'final',
    error: IncompleteStreamError,
    message: /no events/,
  },
];

describe.each(cases.map((c) => [c.name, c] as const))('%s', (_, badCase) => {
  it(`fails the ${badCase.layer} stream with ${badCase.error.name}, closes the exchange and crashes nothing`, async () => {
    faults.add(badCase.name);
    const server = await guard.serve([badCase.turn, textReply('never used')]);
    const stream$ = clientOf(server.baseURL, { maxRetries: 2 }).messages.stream(params).pipe(layers[badCase.layer]);
    const outcome = await runBounded(stream$, BOUND_MS);
    const error = expectTyped(outcome.error, badCase.error);
    expect(error.message).toMatch(badCase.message);
    if (badCase.path !== undefined) expect((error as StreamDecodeError).path).toBe(badCase.path);
    if (error instanceof StreamDecodeError) expect(error.excerpt.length).toBeLessThanOrEqual(200);
    expect(outcome.finalized).toBe(true);
    expect(server.requests).toHaveLength(1);
    await within((await server.waitForRequest(0)).closed, 1_000, 'the exchange ending');
  });
});

describe('the same bad bodies without streaming', () => {
  it('create() refuses an HTML page served with status 200', async () => {
    faults.add('HTML page to create()');
    const server = await guard.serve([jsonReply('<html><body>Bad gateway</body></html>', { contentType: 'text/html' })]);
    const outcome = await runBounded(clientOf(server.baseURL).messages.create(params), BOUND_MS);
    expect(expectTyped(outcome.error, StreamDecodeError).message).toMatch(/expected a application\/json response but got text\/html/);
  });

  it('create() fails with APIConnectionError when the JSON body is cut short', async () => {
    faults.add('JSON body cut');
    const server = await guard.serve([{ ...textReply('a whole message'), cutAfterBytes: 40 }]);
    const outcome = await runBounded(clientOf(server.baseURL).messages.create(params), BOUND_MS);
    expectTyped(outcome.error, APIConnectionError);
  });
});

describe('an event too large to buffer', () => {
  /** A `fetch` that counts the body bytes the client actually read. */
  function countingFetch(counter: { bytes: number }): typeof fetch {
    return async (input, init) => {
      const response = await globalThis.fetch(input, init);
      if (!response.body) return response;
      const counted = response.body.pipeThrough(
        new TransformStream<Uint8Array, Uint8Array>({
          transform(chunk, controller) {
            counter.bytes += chunk.byteLength;
            controller.enqueue(chunk);
          },
        }),
      );
      return new Response(counted, { status: response.status, statusText: response.statusText, headers: response.headers });
    };
  }

  it('50 MB without a line end fails at the default limit (32 MiB) with bounded reading', async () => {
    faults.add('oversized event, 50 MB');
    const huge = Buffer.alloc(50 * 1000 * 1000, 'x');
    huge.write('event: content_block_delta\ndata: ', 'utf8');
    const server = await guard.serve([sseReply(huge)]);
    const counter = { bytes: 0 };
    const outcome = await runBounded(clientOf(server.baseURL, { fetch: countingFetch(counter) }).messages.stream(params), 20_000);
    const error = expectTyped(outcome.error, StreamDecodeError);
    expect(error.message).toMatch(/larger than the limit of 33554432 characters \(maxEventSize\)/);
    // It stopped reading at the limit (plus the chunk in flight), not at the end of the 50 MB.
    expect(counter.bytes).toBeGreaterThanOrEqual(32 * MiB);
    expect(counter.bytes).toBeLessThan(33 * MiB);
    figures['oversizedDefault'] = { sentBytes: huge.byteLength, readBytes: counter.bytes, ms: Math.round(outcome.ms) };
    const request = await server.waitForRequest(0);
    await within(request.closed, 2_000, 'the server seeing the socket close');
    expect(request.abortedByClient).toBe(true);
  });

  it("an endless event fails at the client's maxEventSize, and the server stops being read", async () => {
    faults.add('oversized event, endless');
    const server = await endlessEventServer();
    guard.onCleanup(() => server.close());
    const counter = { bytes: 0 };
    const maxEventSize = MiB;
    const outcome = await runBounded(clientOf(server.baseURL, { maxEventSize, fetch: countingFetch(counter) }).messages.stream(params), BOUND_MS);
    expect(expectTyped(outcome.error, StreamDecodeError).message).toMatch(/larger than the limit of 1048576 characters/);
    await within(server.firstClosed, 2_000, 'the server seeing the socket close');
    expect(counter.bytes).toBeGreaterThanOrEqual(maxEventSize);
    expect(counter.bytes).toBeLessThan(maxEventSize + 256 * 1024);
    figures['oversizedEndless'] = { maxEventSize, readBytes: counter.bytes, serverWroteBytes: server.bytesWritten(), ms: Math.round(outcome.ms) };
  });

  it('an event under the maxEventSize passes', async () => {
    faults.add('large event under the limit');
    const text = 'y'.repeat(512 * 1024);
    const server = await guard.serve([textReply(text, { chunkSize: text.length })]);
    const outcome = await runBounded(clientOf(server.baseURL, { maxEventSize: MiB }).messages.stream(params).pipe(finalMessage()), BOUND_MS);
    expect((outcome.values[0] as Message | undefined)?.content).toEqual([{ type: 'text', text }]);
  });
});
