import Anthropic from '@anthropic-ai/sdk';
import fc from 'fast-check';

import { AnthropicError } from '../../lib/errors';
import type { MessageStreamEvent } from '../../lib/operators/MessageStreamEvent';
import { accumulateMessage } from '../../lib/operators/accumulateMessage';
import { finalText } from '../../lib/operators/finalText';
import { loadFixtures, randomChunks, seededRandom, type Fixture } from '../support/fixtures';
import { collect, outcomeOf, plain, rawEvents, type Outcome } from './pipeline';

/**
 * Differential tests with the official TS SDK (`@anthropic-ai/sdk`, its beta `MessageStream`) as
 * the oracle: the same bytes go to it (through a fake `fetch`) and to our operators; the final
 * message, the snapshot after every event and the sequence of events (raw types, derived events
 * with their snapshots, finished blocks and messages) must agree.
 *
 * Deliberate differences, each handled where it is compared (see DESIGN.md):
 *
 * 1. Partial tool input. The SDK's vendored partial-JSON parser drops an unfinished string, an
 *    unfinished key and, a quirk, every element but the first of an unfinished array of scalars;
 *    ours keeps the string as far as it has arrived and every element. So while a block's input
 *    is unfinished, the SDK's value must be a partial view of ours (`isPartialView`), and both
 *    must equal `JSON.parse` of the text so far whenever that text is complete JSON. Once the
 *    block stops, both must be exactly the parsed input.
 * 2. `parsed_output`: the SDK's beta parse helper adds it to the final message (and, not
 *    enumerable, to text blocks). Not part of the API's message; dropped before comparing.
 * 3. `finalText()`: the SDK joins text blocks with ' ', we join with '' (as the Python SDK does).
 * 4. `compaction`: the SDK emits the event with the block's content, and only when it is
 *    non-empty; ours always comes, with `content` and `encrypted_content`. Compared on content.
 * 5. A body that ends without a blank line after its last event (the Python `.py.sse` copies):
 *    the SDK's decoder never dispatches that last `message_stop`, ours does (DESIGN: fromSSE
 *    dispatches an unterminated last event). Ours then has one more event, and a final message
 *    where the SDK rejects ("stream ended without producing a Message"); the message is compared
 *    with the SDK's last snapshot instead.
 * 6. Invalid tool JSON: both fail at the first delta that makes the text invalid, with "Unable to
 *    parse tool parameter JSON from model…" and the same text so far (the SDK, with an `inputJson`
 *    listener, because it parses on every delta; ours because every delta is checked, DESIGN).
 *    The SDK emits that delta's raw event before its `inputJson` listener fails; ours fails in
 *    place of the delta, as for any event that cannot be folded. The events before it must agree.
 * 7. `message_delta` usage: the SDK copies a fixed list of usage keys, we copy every non-null key
 *    (real-world README rule 4). The generated streams use only keys the SDK knows.
 */

type Json = Record<string, unknown>;

/** One event as both sides are compared: the type, and for derived events their payload. */
type Comparable = Json & { type: string };

interface Side {
  events: Comparable[];
  /** The message snapshot after each raw event, as JSON. */
  snapshots: Json[];
  final?: Json;
  finalText?: string;
  error?: unknown;
}

// ---------------------------------------------------------------------------------------------
// The two sides

async function runSdk(chunks: readonly Uint8Array[]): Promise<Side> {
  const fakeFetch = async (): Promise<Response> =>
    new Response(
      new ReadableStream<Uint8Array>({
        start(controller) {
          for (const chunk of chunks) controller.enqueue(chunk);
          controller.close();
        },
      }),
      { headers: { 'content-type': 'text/event-stream' } },
    );
  const client = new Anthropic({ apiKey: 'x', fetch: fakeFetch, maxRetries: 0, logLevel: 'off' });
  const stream = client.beta.messages.stream({ model: 'claude-test', max_tokens: 1024, messages: [{ role: 'user', content: 'Hi' }] });
  const side: Side = { events: [], snapshots: [] };
  const attachToLast = (key: string, value: unknown): void => {
    const last = side.events[side.events.length - 1];
    if (last) last[key] = value;
  };
  stream.on('streamEvent', (event, snapshot) => {
    side.events.push({ type: event.type });
    // Reading a snapshot's lazy input can throw on invalid JSON: record that instead of failing the SDK's listener.
    try {
      side.snapshots.push(plain(snapshot) as unknown as Json);
    } catch {
      side.snapshots.push({ unreadable: true });
    }
  });
  stream.on('text', (text, snapshot) => side.events.push({ type: 'text', text, snapshot }));
  stream.on('citation', (citation, snapshot) => side.events.push({ type: 'citation', citation: plain(citation), snapshot: plain(snapshot) }));
  stream.on('inputJson', (partial_json, snapshot) => side.events.push({ type: 'input_json', partial_json, snapshot: plain(snapshot) }));
  stream.on('thinking', (thinking, snapshot) => side.events.push({ type: 'thinking', thinking, snapshot }));
  stream.on('signature', (signature) => side.events.push({ type: 'signature', signature }));
  stream.on('compaction', (content) => side.events.push({ type: 'compaction', content }));
  stream.on('contentBlock', (block) => attachToLast('content_block', plain(block)));
  stream.on('message', (message) => attachToLast('message', withoutParsedOutput(plain(message) as unknown as Json)));
  stream.on('error', () => undefined);
  try {
    side.final = withoutParsedOutput(plain(await stream.finalMessage()) as unknown as Json);
  } catch (error) {
    side.error = error;
    return side;
  }
  // Rejects when the message has no text block, as ours does.
  side.finalText = await stream.finalText().catch(() => undefined);
  return side;
}

function runOurs(chunks: readonly Uint8Array[]): Side & { outcome: Outcome } {
  const outcome = outcomeOf(chunks);
  const snapshots = collect(rawEvents(chunks).pipe(accumulateMessage()));
  const text = collect(rawEvents(chunks).pipe(finalText()));
  const side: Side & { outcome: Outcome } = {
    outcome,
    events: outcome.events.values.flatMap(comparableOf),
    snapshots: snapshots.values.map((snapshot) => plain(snapshot) as unknown as Json),
  };
  if (outcome.final.values.length > 0) side.final = plain(outcome.final.values[0]) as Json;
  if (text.values.length > 0) side.finalText = text.values[0];
  const error = outcome.events.error ?? outcome.final.error;
  if (error !== undefined) side.error = error;
  return side;
}

/** Our event in the SDK's terms (differences 2 and 4 above). */
function comparableOf(event: MessageStreamEvent): Comparable[] {
  switch (event.type) {
    case 'text':
      return [{ type: 'text', text: event.text, snapshot: event.snapshot }];
    case 'citation':
      return [{ type: 'citation', citation: plain(event.citation), snapshot: plain(event.snapshot) }];
    case 'input_json':
      return [{ type: 'input_json', partial_json: event.partial_json, snapshot: plain(event.snapshot) }];
    case 'thinking':
      return [{ type: 'thinking', thinking: event.thinking, snapshot: event.snapshot }];
    case 'signature':
      return [{ type: 'signature', signature: event.signature }];
    case 'compaction':
      return event.content ? [{ type: 'compaction', content: event.content }] : [];
    case 'content_block_stop':
      return [{ type: event.type, content_block: plain(event.content_block) }];
    case 'message_stop':
      return [{ type: event.type, message: plain(event.message) }];
    default:
      return [{ type: event.type }];
  }
}

function withoutParsedOutput(message: Json): Json {
  const { parsed_output: _parsed, ...rest } = message;
  return rest;
}

// ---------------------------------------------------------------------------------------------
// Comparison

/**
 * Whether the SDK's partial value `a` is a partial view of ours, `b` (difference 1): strings
 * may be shorter (or dropped), containers may miss trailing members, and a scalar still being
 * written may be on one side only (ours leaves out `tr`, `8.`; the SDK may complete them).
 */
function isPartialView(a: unknown, b: unknown): boolean {
  if (a === undefined) return true;
  if (typeof a === 'string') return typeof b === 'string' && b.startsWith(a);
  if (typeof a === 'number') return typeof b === 'number';
  if (Array.isArray(a)) {
    if (!Array.isArray(b)) return false;
    return a.every((item, i) => (i < b.length ? isPartialView(item, b[i]) : i === a.length - 1 && isScalar(item)));
  }
  if (a !== null && typeof a === 'object') {
    if (b === null || typeof b !== 'object' || Array.isArray(b)) return false;
    const entries = Object.entries(a);
    return entries.every(([key, value], i) =>
      key in b ? isPartialView(value, (b as Json)[key]) : i === entries.length - 1 && isScalar(value),
    );
  }
  return a === b;
}

const isScalar = (value: unknown): boolean => value === null || ['number', 'boolean'].includes(typeof value);

function tryParse(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false };
  }
}

/** Compares partial tool input (difference 1), given the JSON text received so far. */
function expectPartialInput(sdk: unknown, ours: unknown, text: string, where: string): void {
  const parsed = text.trim() === '' ? { ok: true as const, value: {} } : tryParse(text);
  if (parsed.ok) {
    expect([where, ours]).toEqual([where, parsed.value]);
    expect([where, sdk]).toEqual([where, parsed.value]);
  } else if (!isPartialView(sdk, ours)) {
    throw new Error(`${where}: the SDK's partial input ${JSON.stringify(sdk)} is not a partial view of ours ${JSON.stringify(ours)} (text so far: ${JSON.stringify(text)})`);
  }
}

/** What happened to each block's tool input by a given raw event, for the partial-input rule. */
interface InputProgress {
  text: Map<number, string>;
  stopped: Set<number>;
}

function progressAfterEach(types: readonly Json[]): InputProgress[] {
  const text = new Map<number, string>();
  const stopped = new Set<number>();
  return types.map((event) => {
    if (event['type'] === 'message_start') {
      text.clear();
      stopped.clear();
    }
    const index = event['index'] as number;
    const delta = event['delta'] as Json | undefined;
    if (event['type'] === 'content_block_delta' && delta?.['type'] === 'input_json_delta') text.set(index, (text.get(index) ?? '') + String(delta['partial_json']));
    if (event['type'] === 'content_block_stop') stopped.add(index);
    return { text: new Map(text), stopped: new Set(stopped) };
  });
}

/** Compares two message snapshots, the inputs of tool blocks still streaming by the partial rule. */
function expectSameSnapshot(sdk: Json, ours: Json, progress: InputProgress | undefined, where: string): void {
  const a = structuredClone(sdk);
  const b = structuredClone(ours);
  const sdkBlocks = (a['content'] ?? []) as Json[];
  ((b['content'] ?? []) as Json[]).forEach((block, index) => {
    const sdkBlock = sdkBlocks[index];
    if (!sdkBlock || !('input' in block) || progress?.stopped.has(index)) return;
    expectPartialInput(sdkBlock['input'], block['input'], progress?.text.get(index) ?? '', `${where} content[${index}].input`);
    delete block['input'];
    delete sdkBlock['input'];
  });
  expect([where, b]).toEqual([where, a]);
}

/**
 * Compares both sides event by event. `rawEventsOfOurs` are the raw events (for the input
 * progress); where one side has events the other lacks (differences 5 and 6), the caller leaves
 * them out first.
 */
function expectSameEvents(sdk: Side, ours: Side, rawEventsOfOurs: readonly Json[]): void {
  const progress = progressAfterEach(rawEventsOfOurs);
  // Map each of our events to the raw event it came from, for the partial input rule.
  let rawIndex = -1;
  const progressOfEvent = ours.events.map((event) => {
    if (!['text', 'citation', 'input_json', 'thinking', 'signature', 'compaction'].includes(event.type)) rawIndex += 1;
    return { progress: progress[rawIndex], index: rawEventsOfOurs[rawIndex]?.['index'] as number };
  });
  expect(sdk.events.map((event) => event.type)).toEqual(ours.events.map((event) => event.type));
  sdk.events.forEach((sdkEvent, i) => {
    const ourEvent = ours.events[i] as Comparable;
    const where = `event ${i} (${sdkEvent.type})`;
    expect([where, ourEvent.type]).toEqual([where, sdkEvent.type]);
    if (sdkEvent.type === 'input_json') {
      expect(ourEvent['partial_json']).toBe(sdkEvent['partial_json']);
      const at = progressOfEvent[i];
      expectPartialInput(sdkEvent['snapshot'], ourEvent['snapshot'], at?.progress?.text.get(at.index) ?? '', where);
    } else if (sdkEvent.type === 'message_stop' && sdkEvent['message']) {
      expectSameSnapshot(sdkEvent['message'] as Json, ourEvent['message'] as Json, progressOfEvent[i]?.progress, where);
    } else {
      expect([where, ourEvent]).toEqual([where, sdkEvent]);
    }
  });
  const snapshotCount = sdk.snapshots.length;
  expect(ours.snapshots).toHaveLength(snapshotCount);
  sdk.snapshots.forEach((snapshot, i) => {
    if (snapshot['unreadable']) return;
    expectSameSnapshot(snapshot, ours.snapshots[i] as Json, progress[i], `snapshot ${i}`);
  });
}

// ---------------------------------------------------------------------------------------------
// Fixtures

const fixtures: Fixture[] = [...loadFixtures('sdk-sse'), ...loadFixtures('real-world')];
const endsWithBlankLine = (bytes: Buffer): boolean => /\r?\n\r?\n$/.test(bytes.toString('utf8'));

describe('differential: @anthropic-ai/sdk beta MessageStream as the oracle', () => {
  describe.each(fixtures.map((fixture) => [`${fixture.set}/${fixture.name}`, fixture] as const))('%s', (_name, fixture) => {
    it('agrees on events, snapshots and the final message, under random chunkings', async () => {
      const random = seededRandom(fixture.sse.length);
      for (const chunks of [[new Uint8Array(fixture.sse)], randomChunks(fixture.sse, random, 97)]) {
        const sdk = await runSdk(chunks);
        const ours = runOurs(chunks);
        const raw = plain(ours.outcome.raw.values) as unknown as Json[];
        const unterminated = !endsWithBlankLine(fixture.sse);
        const invalidToolJson = ours.error instanceof AnthropicError && /^Unable to parse tool parameter JSON/.test((ours.error as Error).message);

        if (invalidToolJson) {
          // Difference 6: the same delta, the same text; the SDK has emitted that delta, we have not.
          expect(sdk.error).toBeInstanceOf(Anthropic.AnthropicError);
          expect((sdk.error as Error).message).toMatch(/^Unable to parse tool parameter JSON from model/);
          expect((sdk.error as Error).message.endsWith(`JSON: ${(ours.error as { raw: string }).raw}`)).toBe(true);
          expect(sdk.events.at(-1)?.type).toBe('content_block_delta');
          expectSameEvents({ ...sdk, events: sdk.events.slice(0, -1), snapshots: sdk.snapshots.slice(0, -1) }, ours, raw);
          continue;
        }
        if (sdk.error !== undefined && ours.error !== undefined) {
          // The API error fixture: both fail with the same error type, after the same events.
          expect(sdk.error).toBeInstanceOf(Anthropic.APIError);
          expect((sdk.error as { error?: { error?: { type?: string } } }).error?.error?.type).toBe((ours.error as { type?: string }).type);
          expectSameEvents(sdk, ours, raw);
          expect(ours.snapshots.at(-1)).toEqual(sdk.snapshots.at(-1));
          continue;
        }
        if (unterminated) {
          // Difference 5: the SDK never sees the last message_stop.
          expect(ours.events.at(-1)?.type).toBe('message_stop');
          expect(sdk.error).toBeInstanceOf(Anthropic.AnthropicError);
          expect((sdk.error as Error).message).toMatch(/stream ended without producing a Message/);
          expectSameEvents(sdk, { ...ours, events: ours.events.slice(0, -1), snapshots: ours.snapshots.slice(0, -1) }, raw.slice(0, -1));
          continue;
        }
        expect(ours.error).toBeUndefined();
        expect(sdk.error).toBeUndefined();
        expectSameEvents(sdk, ours, raw);
        expectSameSnapshot(sdk.final as Json, ours.final as Json, progressAfterEach(raw).at(-1), 'final message');
        // Difference 3: the SDK joins text blocks with ' ', we with ''.
        const texts = ((ours.final?.['content'] ?? []) as Json[]).filter((block) => block['type'] === 'text').map((block) => String(block['text']));
        if (texts.length > 0) {
          expect(sdk.finalText).toBe(texts.join(' '));
          expect(ours.finalText).toBe(texts.join(''));
        }
      }
    });
  });

  // -------------------------------------------------------------------------------------------
  // Generated streams

  type BlockSpec =
    | { kind: 'text'; parts: Array<{ text: string } | { citation: number }> }
    | { kind: 'thinking'; deltas: string[]; signatures: string[] }
    | { kind: 'tool'; type: 'tool_use' | 'server_tool_use' | 'mcp_tool_use'; input: Json; cuts: number[]; leadingEmpty: boolean; indent: number }
    | { kind: 'opaque'; block: Json };

  const textArb = fc.string({ unit: 'grapheme', maxLength: 12 });
  const blockArb: fc.Arbitrary<BlockSpec> = fc.oneof(
    fc.record({
      kind: fc.constant('text' as const),
      parts: fc.array(fc.oneof({ weight: 4, arbitrary: fc.record({ text: textArb }) }, { weight: 1, arbitrary: fc.record({ citation: fc.nat(99) }) }), { maxLength: 8 }),
    }),
    fc.record({
      kind: fc.constant('thinking' as const),
      deltas: fc.array(textArb, { maxLength: 6 }),
      signatures: fc.array(fc.base64String({ minLength: 4, maxLength: 24 }), { minLength: 1, maxLength: 2 }),
    }),
    fc.record({
      kind: fc.constant('tool' as const),
      type: fc.constantFrom('tool_use' as const, 'server_tool_use' as const, 'mcp_tool_use' as const),
      input: fc.dictionary(fc.string({ maxLength: 6 }), fc.jsonValue({ maxDepth: 3 }), { maxKeys: 5 }) as fc.Arbitrary<Json>,
      cuts: fc.array(fc.nat(), { maxLength: 10 }),
      leadingEmpty: fc.boolean(),
      indent: fc.constantFrom(0, 0, 1),
    }),
    fc.constantFrom<BlockSpec>(
      { kind: 'opaque', block: { type: 'redacted_thinking', data: 'EmwKAhgBEgy3va3pzix/LafPsn4a' } },
      { kind: 'opaque', block: { type: 'web_search_tool_result', tool_use_id: 'srvtoolu_1', content: [{ type: 'web_search_result', url: 'https://example.com', title: 'Example', encrypted_content: 'x', page_age: null }] } },
    ),
  );

  const streamArb = fc.record({
    blocks: fc.array(blockArb, { minLength: 1, maxLength: 5 }),
    stopReason: fc.constantFrom('end_turn', 'tool_use', 'max_tokens', 'stop_sequence', 'refusal', 'pause_turn'),
    usage: fc.record(
      { output_tokens: fc.nat(5000), input_tokens: fc.option(fc.nat(5000)), cache_read_input_tokens: fc.option(fc.nat(100)), server_tool_use: fc.option(fc.record({ web_search_requests: fc.nat(3) })) },
      { requiredKeys: ['output_tokens'] },
    ),
    pings: fc.array(fc.nat(), { maxLength: 3 }),
    chunkSeed: fc.integer(),
    maxChunk: fc.constantFrom(1, 7, 64, 1000),
  });

  const citationOf = (n: number): Json => ({ type: 'char_location', cited_text: `quote ${n}`, document_index: n % 3, document_title: null, start_char_index: n, end_char_index: n + 4, file_id: null });

  type StreamSpec = typeof streamArb extends fc.Arbitrary<infer T> ? T : never;

  function eventsOf(spec: StreamSpec): Json[] {
    const events: Json[] = [
      {
        type: 'message_start',
        message: { id: 'msg_gen', type: 'message', role: 'assistant', model: 'claude-test', content: [], stop_reason: null, stop_sequence: null, usage: { input_tokens: 12, output_tokens: 1, cache_creation_input_tokens: 0, cache_read_input_tokens: 0, service_tier: 'standard' } },
      },
    ];
    spec.blocks.forEach((block, index) => {
      const delta = (d: Json): void => void events.push({ type: 'content_block_delta', index, delta: d });
      switch (block.kind) {
        case 'text':
          events.push({ type: 'content_block_start', index, content_block: { type: 'text', text: '', citations: null } });
          for (const part of block.parts) 'text' in part ? delta({ type: 'text_delta', text: part.text }) : delta({ type: 'citations_delta', citation: citationOf(part.citation) });
          break;
        case 'thinking':
          events.push({ type: 'content_block_start', index, content_block: { type: 'thinking', thinking: '', signature: '' } });
          for (const thinking of block.deltas) delta({ type: 'thinking_delta', thinking });
          for (const signature of block.signatures) delta({ type: 'signature_delta', signature });
          break;
        case 'tool': {
          events.push({ type: 'content_block_start', index, content_block: { type: block.type, id: `toolu_${index}`, name: 'tool', input: {}, ...(block.type === 'mcp_tool_use' ? { server_name: 'mcp' } : {}) } });
          const json = JSON.stringify(block.input, null, block.indent);
          if (block.leadingEmpty) delta({ type: 'input_json_delta', partial_json: '' });
          const points = [...new Set(block.cuts.map((cut) => cut % (json.length + 1)))].sort((x, y) => x - y);
          let start = 0;
          for (const point of [...points, json.length]) {
            if (point > start) delta({ type: 'input_json_delta', partial_json: json.slice(start, point) });
            start = point;
          }
          break;
        }
        case 'opaque':
          events.push({ type: 'content_block_start', index, content_block: block.block });
          break;
      }
      events.push({ type: 'content_block_stop', index });
    });
    const usage = Object.fromEntries(Object.entries(spec.usage).filter(([, value]) => value !== null));
    events.push({ type: 'message_delta', delta: { stop_reason: spec.stopReason, stop_sequence: spec.stopReason === 'stop_sequence' ? '###' : null }, usage });
    events.push({ type: 'message_stop' });
    return events;
  }

  function sseOf(events: readonly Json[], pings: readonly number[]): Buffer {
    const frames = events.map((event) => `event: ${String(event['type'])}\ndata: ${JSON.stringify(event)}\n\n`);
    for (const ping of pings) frames.splice(1 + (ping % frames.length), 0, 'event: ping\ndata: {"type": "ping"}\n\n');
    return Buffer.from(frames.join(''), 'utf8');
  }

  it('agrees on generated streams (text, citations, thinking + signature, tool input in random fragments, several blocks)', async () => {
    await fc.assert(
      fc.asyncProperty(streamArb, async (spec) => {
        const events = eventsOf(spec);
        const bytes = sseOf(events, spec.pings);
        const chunks = randomChunks(bytes, seededRandom(spec.chunkSeed), spec.maxChunk);
        const sdk = await runSdk(chunks);
        const ours = runOurs(chunks);
        expect(ours.error).toBeUndefined();
        expect(sdk.error).toBeUndefined();
        expectSameEvents(sdk, ours, events);
        expectSameSnapshot(sdk.final as Json, ours.final as Json, progressAfterEach(events).at(-1), 'final message');
        // Every finished tool block's input is JSON.parse of its fragments.
        spec.blocks.forEach((block, index) => {
          if (block.kind === 'tool') expect((ours.final?.['content'] as Json[])[index]?.['input']).toEqual(block.input);
        });
      }),
      { seed: 8675309, numRuns: 120 },
    );
  }, 60_000);
});
