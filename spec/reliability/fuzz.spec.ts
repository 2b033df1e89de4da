/**
 * Property tests with fast-check, seeded and bounded so CI runs the same cases every time:
 *
 * 1. Random valid streams (text, thinking and tool calls with any Unicode, any line ends,
 *    comments, pings, a BOM) cut at random byte boundaries give the same events as the whole
 *    stream, and accumulate back to the message they were made from; over the loopback server too.
 * 2. Random byte mutations of every recorded fixture (flips, deletions, insertions of SSE
 *    syntax, duplicated ranges, truncation) never throw, never hang, and end in completion or an
 *    `AnthropicError`, through every operator, every snapshot well formed; over the loopback
 *    server too.
 *
 * `RX_FUZZ_SEED` replays another seed; `RX_FUZZ_SCALE` multiplies the run counts (e.g. 10 for a
 * long local session).
 */
import fc from 'fast-check';
import { from, lastValueFrom, toArray, type Observable, type OperatorFunction } from 'rxjs';
import {
  accumulateMessage,
  AnthropicError,
  contentBlocks,
  decodeEvents,
  finalMessage,
  finalText,
  fromSSE,
  messageStreamEvents,
  textDeltas,
  type RawMessageStreamEvent,
} from 'rx-anthropic';
import { messageToEvents } from '../../lib/testing/messageToEvents';
import type { MockMessage, MockTurn } from '../../lib/testing/types';
import { sseReply } from 'rx-anthropic/testing';
import { splitAt } from '../support/fixtures';
import { guardLeaks, within } from './support/guard';
import { runBounded } from './support/outcome';
import { recordFigures } from './support/recordFigures';
import { allFixtures, clientOf, frameEnds, params } from './support/streams';

const guard = guardLeaks();
const SEED = Number(process.env['RX_FUZZ_SEED'] ?? 20_250_601);
const SCALE = Number(process.env['RX_FUZZ_SCALE'] ?? 1);
const runs = (base: number) => Math.max(1, Math.round(base * SCALE));
const RUNS = { splitInMemory: runs(300), splitOverWire: runs(25), mutateInMemory: runs(600), mutateOverWire: runs(40) };
const tally = { outcomesInMemory: { completed: 0, typedError: 0 }, outcomesOverWire: { completed: 0, typedError: 0 }, mutatedBytes: 0 };
afterAll(() => recordFigures('fuzz', { seed: SEED, numRuns: RUNS, ...tally, fixtures: fixtures.length, leakChecks: guard.checks.count }));

const fixtures = allFixtures();
const encoder = new TextEncoder();

// ---------------------------------------------------------------------------------------------
// Valid streams

const text = fc.string({ unit: 'binary', maxLength: 60 });
const block = fc.oneof(
  text.map((value) => ({ type: 'text', text: value })),
  fc.record({ thinking: text, signature: fc.string({ unit: 'binary-ascii', minLength: 1, maxLength: 20 }) }).map((b) => ({ type: 'thinking', ...b })),
  fc
    .record({
      id: fc.stringMatching(/^toolu_[A-Za-z0-9]{1,12}$/),
      name: fc.stringMatching(/^[a-z_]{1,16}$/),
      input: fc.dictionary(fc.string({ unit: 'binary', maxLength: 8 }), fc.jsonValue({ maxDepth: 3 }), { maxKeys: 4 }),
    })
    .map((b) => ({ type: 'tool_use', ...b })),
);
const message = fc.record({
  content: fc.array(block, { maxLength: 4 }),
  stop_reason: fc.constantFrom('end_turn', 'max_tokens', 'tool_use', 'stop_sequence', 'refusal'),
  output_tokens: fc.nat(10_000),
});
const validStream = fc.record({
  message,
  chunkSize: fc.integer({ min: 1, max: 12 }),
  jsonChunkSize: fc.integer({ min: 1, max: 16 }),
  eol: fc.constantFrom('\n', '\r\n', '\r'),
  bom: fc.boolean(),
  /** After which frames a comment line or a blank line goes (SSE ignores both). */
  noise: fc.array(fc.tuple(fc.nat(), fc.constantFrom(': keep-alive', ':', '')), { maxLength: 4 }),
  cuts: fc.array(fc.nat(), { maxLength: 48 }),
});
type ValidStream = typeof validStream extends fc.Arbitrary<infer T> ? T : never;

function mockMessage(draft: ValidStream['message']): MockMessage {
  return {
    id: 'msg_fuzz',
    type: 'message',
    role: 'assistant',
    model: 'claude-fuzz',
    content: JSON.parse(JSON.stringify(draft.content)) as MockMessage['content'],
    stop_reason: draft.stop_reason,
    stop_sequence: null,
    usage: { input_tokens: 5, output_tokens: draft.output_tokens, cache_creation_input_tokens: null, cache_read_input_tokens: null },
  };
}

/** The stream's bytes, and the events it must decode to (pings dropped). */
function render(stream: ValidStream): { bytes: Uint8Array; events: object[]; message: MockMessage } {
  const full = mockMessage(stream.message);
  const events = messageToEvents(full, stream.chunkSize, stream.jsonChunkSize);
  const { eol } = stream;
  const frames = events.map((event) => `event: ${(event as { type: string }).type}${eol}data: ${JSON.stringify(event)}${eol}${eol}`);
  for (const [after, line] of stream.noise) frames.splice(after % (frames.length + 1), 0, `${line}${eol}`);
  const body = `${stream.bom ? '\uFEFF' : ''}${frames.join('')}`;
  return { bytes: encoder.encode(body), events: events.filter((event) => (event as { type: string }).type !== 'ping'), message: full };
}

const decode = (chunks: Uint8Array[]): Promise<RawMessageStreamEvent[]> => lastValueFrom(from(chunks).pipe(fromSSE(), decodeEvents(), toArray()));
const plain = (value: unknown): unknown => JSON.parse(JSON.stringify(value));

describe('random valid streams cut at random byte boundaries', () => {
  it(`decode to the same events as whole, and accumulate to their message (${RUNS.splitInMemory} runs, in memory)`, async () => {
    await fc.assert(
      fc.asyncProperty(validStream, async (stream) => {
        const { bytes, events, message: expected } = render(stream);
        const whole = await decode([bytes]);
        const cut = await decode(splitAt(bytes, stream.cuts.map((n) => n % (bytes.length + 1))));
        expect(cut).toEqual(whole);
        expect(plain(whole)).toEqual(plain(events));
        const final = await lastValueFrom(from(cut).pipe(finalMessage()));
        expect(plain(final)).toEqual(plain(expected));
      }),
      { seed: SEED, numRuns: RUNS.splitInMemory },
    );
  });

  it(`give the same events through the client over the loopback server, in random pieces (${RUNS.splitOverWire} runs)`, async () => {
    let turn: MockTurn = sseReply('');
    const server = await guard.serve(() => turn);
    const client = clientOf(server.baseURL);
    await fc.assert(
      fc.asyncProperty(validStream, fc.integer({ min: 1, max: 97 }), async (stream, splitBytes) => {
        const { bytes } = render(stream);
        turn = sseReply(bytes, { splitBytes });
        const outcome = await runBounded(client.messages.stream(params), 5_000);
        expect(outcome.error).toBeUndefined();
        expect(outcome.values).toEqual(await decode([bytes]));
      }),
      { seed: SEED, numRuns: RUNS.splitOverWire },
    );
  });
});

// ---------------------------------------------------------------------------------------------
// Mutated fixtures

/** Pieces of SSE syntax and troublesome bytes that a blind byte flip would rarely produce. */
const tokens = [
  '\n',
  '\r',
  '\r\n',
  '\n\n',
  'event: error\n',
  'event: message_start\n',
  'data: ',
  'data: {}\n\n',
  'data: null\n\n',
  '{',
  '}',
  '"',
  '\\',
  ':',
  'retry: x\n',
  'id: \u0000\n',
  'data: {"type":"content_block_delta","index":7,"delta":{"type":"text_delta","text":"x"}}\n\n',
  'data: {"type":"content_block_start","index":0,"content_block":{"type":"tool_use","id":"t","name":"n","input":{}}}\n\n',
  'data: {"type":"content_block_delta","index":0,"delta":{"type":"citations_delta","citation":5}}\n\n',
  'data: {"type":"content_block_start","index":9,"content_block":{"type":"text","text":""}}\n\n',
  'data: {"type":"content_block_start","index":-1,"content_block":{"type":"text","text":""}}\n\n',
  'data: {"type":"message_delta","delta":{"stop_reason":null},"usage":{"output_tokens":-1}}\n\n',
  'data: {"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}\n\n',
].map((token) => encoder.encode(token));

const mutation = fc.oneof(
  fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), bit: fc.integer({ min: 0, max: 7 }) }),
  fc.record({ kind: fc.constant('set' as const), at: fc.nat(), byte: fc.integer({ min: 0, max: 255 }) }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 64 }) }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), bytes: fc.oneof(fc.uint8Array({ minLength: 1, maxLength: 16 }), fc.constantFrom(...tokens)) }),
  fc.record({ kind: fc.constant('duplicate' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 400 }) }),
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  // Whole frames: a foreign event between two others, one left out, two swapped (events out of order).
  fc.record({ kind: fc.constant('insertFrame' as const), at: fc.nat(), bytes: fc.constantFrom(...tokens.filter((t) => t.length > 20)) }),
  fc.record({ kind: fc.constant('dropFrame' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('swapFrames' as const), at: fc.nat(), other: fc.nat() }),
);
type Mutation = typeof mutation extends fc.Arbitrary<infer T> ? T : never;

/** The frames of `bytes` as [start, end) ranges, the last one possibly unterminated. */
function frameRanges(bytes: Uint8Array): Array<[number, number]> {
  const ends = frameEnds(bytes);
  if (ends.at(-1) !== bytes.length) ends.push(bytes.length);
  return ends.map((end, i) => [i === 0 ? 0 : (ends[i - 1] ?? 0), end]);
}

function mutate(input: Uint8Array, mutations: readonly Mutation[]): Uint8Array {
  let bytes = Buffer.from(input);
  for (const m of mutations) {
    const at = m.at % (bytes.length + 1);
    const frames = frameRanges(bytes);
    const [start, end] = frames[m.at % frames.length] ?? [0, 0];
    switch (m.kind) {
      case 'insertFrame':
        bytes = Buffer.concat([bytes.subarray(0, start), m.bytes, bytes.subarray(start)]);
        break;
      case 'dropFrame':
        bytes = Buffer.concat([bytes.subarray(0, start), bytes.subarray(end)]);
        break;
      case 'swapFrames': {
        const [otherStart, otherEnd] = frames[m.other % frames.length] ?? [0, 0];
        if (otherStart <= start) break;
        bytes = Buffer.concat([
          bytes.subarray(0, start),
          bytes.subarray(otherStart, otherEnd),
          bytes.subarray(end, otherStart),
          bytes.subarray(start, end),
          bytes.subarray(otherEnd),
        ]);
        break;
      }
      case 'flip':
        if (at < bytes.length) bytes[at] = (bytes[at] ?? 0) ^ (1 << m.bit);
        break;
      case 'set':
        if (at < bytes.length) bytes[at] = m.byte;
        break;
      case 'delete':
        bytes = Buffer.concat([bytes.subarray(0, at), bytes.subarray(at + m.length)]);
        break;
      case 'insert':
        bytes = Buffer.concat([bytes.subarray(0, at), m.bytes, bytes.subarray(at)]);
        break;
      case 'duplicate':
        bytes = Buffer.concat([bytes.subarray(0, at + m.length), bytes.subarray(at)]);
        break;
      case 'truncate':
        bytes = bytes.subarray(0, at);
        break;
    }
  }
  return bytes;
}

const mutatedFixture = fc.record({
  fixture: fc.integer({ min: 0, max: fixtures.length - 1 }),
  mutations: fc.array(mutation, { minLength: 1, maxLength: 6 }),
  cuts: fc.array(fc.nat(), { maxLength: 24 }),
});

/** Every layer a user may subscribe to, and what each value must be. */
const operators: Array<[string, OperatorFunction<RawMessageStreamEvent, unknown>, ((value: unknown) => void)?]> = [
  ['raw', (source) => source],
  ['messageStreamEvents', messageStreamEvents()],
  ['accumulateMessage', accumulateMessage(), expectWellFormed],
  ['contentBlocks', contentBlocks()],
  ['textDeltas', textDeltas()],
  ['finalMessage', finalMessage(), expectWellFormed],
  ['finalText', finalText()],
];

/** A message snapshot must stay well formed whatever came in: dense content of typed blocks. */
function expectWellFormed(value: unknown): void {
  const content = (value as { content?: unknown }).content;
  if (!Array.isArray(content)) throw new Error(`a snapshot without a content array: ${JSON.stringify(value)}`);
  for (let i = 0; i < content.length; i += 1) {
    const block: unknown = content[i];
    if (!(i in content) || typeof block !== 'object' || block === null || typeof (block as { type?: unknown }).type !== 'string') {
      throw new Error(`snapshot content[${i}] is not a block: ${JSON.stringify(content)}`);
    }
  }
}

/** Subscribes to a synchronous source: it must have ended before subscribe returns, well. */
function endsSynchronously(source$: Observable<unknown>, check?: (value: unknown) => void): 'completed' | 'typedError' {
  let end: { error?: unknown } | undefined;
  // RxJS reports what a `next` handler throws asynchronously: keep it to throw it here.
  let invalid: unknown;
  const next = (value: unknown): void => {
    try {
      check?.(value);
    } catch (error) {
      invalid ??= error;
    }
  };
  source$.subscribe({ next, error: (error: unknown) => (end = { error }), complete: () => (end = {}) });
  if (invalid !== undefined) throw invalid;
  if (end === undefined) throw new Error('a synchronous source did not end: a hang');
  if (!('error' in end)) return 'completed';
  if (!(end.error instanceof AnthropicError)) throw end.error;
  return 'typedError';
}

describe('random byte mutations of the recorded fixtures', () => {
  it(`end in completion or an AnthropicError through every operator (${RUNS.mutateInMemory} runs × ${operators.length} operators, in memory)`, () => {
    fc.assert(
      fc.property(mutatedFixture, ({ fixture, mutations, cuts }) => {
        const bytes = mutate((fixtures[fixture] ?? fixtures[0])!.sse, mutations);
        tally.mutatedBytes += bytes.length;
        const chunks = splitAt(bytes, cuts.map((n) => n % (bytes.length + 1)));
        for (const [, operator, check] of operators) {
          const end = endsSynchronously(from(chunks).pipe(fromSSE(), decodeEvents(), operator), check);
          tally.outcomesInMemory[end] += 1;
        }
      }),
      { seed: SEED, numRuns: RUNS.mutateInMemory },
    );
  });

  it(`end in completion or an AnthropicError through the client, within a bound (${RUNS.mutateOverWire} runs over the loopback server)`, async () => {
    let turn: MockTurn = sseReply('');
    const server = await guard.serve(() => turn);
    const client = clientOf(server.baseURL, { timeout: 2_000 });
    await fc.assert(
      fc.asyncProperty(mutatedFixture, fc.integer({ min: 1, max: 4096 }), async ({ fixture, mutations }, splitBytes) => {
        turn = sseReply(mutate((fixtures[fixture] ?? fixtures[0])!.sse, mutations), { splitBytes });
        const requests = server.requests.length;
        const outcome = await runBounded(client.messages.stream(params).pipe(messageStreamEvents()), 5_000);
        if (outcome.error !== undefined && !(outcome.error instanceof AnthropicError)) throw outcome.error;
        tally.outcomesOverWire[outcome.error === undefined ? 'completed' : 'typedError'] += 1;
        expect(outcome.finalized).toBe(true);
        await within((await server.waitForRequest(requests)).closed, 1_000, 'the exchange ending');
      }),
      { seed: SEED, numRuns: RUNS.mutateOverWire },
    );
  });
});
