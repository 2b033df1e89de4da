import { from, lastValueFrom, share, Subject, toArray, type Observable, type OperatorFunction } from 'rxjs';

import { accumulateMessage, contentBlocks, createClient, decodeEvent, finalMessage, messageStreamEvents, type RawMessageStreamEvent } from 'rx-anthropic';
import { createMockServer, eventsReply, textReply, type MockServer } from 'rx-anthropic/testing';

import { unfrozenPaths, writeEverywhere } from '../support/writeEverywhere';
import {
  blockStart,
  blockStop,
  citation,
  citationsDelta,
  inputJsonDelta,
  messageDelta,
  messageStart,
  messageStop,
  plain,
  signatureDelta,
  textDelta,
  textStart,
  thinkingDelta,
  thinkingStart,
  toolStart,
} from './events';

/**
 * A message with every kind of value a snapshot holds: usage, a thinking block, a text block with
 * citations, a tool input with nested objects and arrays, a block that arrives whole. Fresh
 * objects on each call, as a source of the user's own would make them.
 */
const richMessage = (): RawMessageStreamEvent[] => [
  messageStart({ container: { id: 'cont_1', expires_at: '2026-12-06T00:00:00Z' } }),
  thinkingStart(0),
  thinkingDelta(0, 'Let me think.'),
  signatureDelta(0, 'sig-1'),
  blockStop(0),
  textStart(1),
  textDelta(1, 'According to '),
  citationsDelta(1, citation(1)),
  textDelta(1, 'the docs.'),
  blockStop(1),
  blockStart(2, { type: 'web_search_tool_result', tool_use_id: 'srvtoolu_1', content: [{ type: 'web_search_result', url: 'https://rxjs.dev', title: 'RxJS' }] }),
  blockStop(2),
  toolStart(3),
  inputJsonDelta(3, '{"city": "Paris", "days": [1, '),
  inputJsonDelta(3, '2], "options": {"units": {"temp": "C"}, "tags": ["a"'),
  inputJsonDelta(3, ']}}'),
  blockStop(3),
  messageDelta({ stop_reason: 'tool_use', stop_sequence: null }, { output_tokens: 42 }),
  messageStop(),
];

/**
 * Two consumers of `operator` on one shared source: the first writes to everything it gets, the
 * second keeps what it got as JSON. Returns the paths the first could write to and what the
 * second saw, beside what a consumer alone sees.
 */
async function sharedConsumers<T>(operator: () => OperatorFunction<RawMessageStreamEvent, T>, events: () => RawMessageStreamEvent[]) {
  const alone = (await lastValueFrom(from(events()).pipe(operator(), toArray()))).map(plain);
  const subject = new Subject<RawMessageStreamEvent>();
  const shared = subject.pipe(operator(), share());
  const written: string[] = [];
  shared.subscribe((value) => written.push(...writeEverywhere(value)));
  const seen = lastValueFrom(shared.pipe(toArray()));
  events().forEach((event) => subject.next(event));
  subject.complete();
  return { written, seen: (await seen).map(plain), alone };
}

describe('frozen snapshots', () => {
  it('accumulateMessage(): a consumer that writes to its snapshots (message, content, blocks, tool input, usage) gets a TypeError, and another consumer of the same snapshots sees them unchanged', async () => {
    const { written, seen, alone } = await sharedConsumers(accumulateMessage, richMessage);
    expect(written).toEqual([]);
    expect(seen).toEqual(alone);
    const last = alone[alone.length - 1] as unknown as { content: { input?: unknown }[]; usage: unknown };
    expect(last.content[3]?.input).toEqual({ city: 'Paris', days: [1, 2], options: { units: { temp: 'C' }, tags: ['a'] } });
    expect(last.usage).toEqual({ input_tokens: 10, output_tokens: 42 });
  });

  it('accumulateMessage() beside finalMessage() on one shared source of raw events: writes to the snapshots fail, and finalMessage() reports the message as it came', async () => {
    const expected = plain(await lastValueFrom(from(richMessage()).pipe(finalMessage())));
    const subject = new Subject<RawMessageStreamEvent>();
    const shared = subject.pipe(share());
    const written: string[] = [];
    // The writer subscribes first: it writes to each snapshot before the other consumer folds the same event.
    shared.pipe(accumulateMessage()).subscribe((snapshot) => written.push(...writeEverywhere(snapshot)));
    const final = lastValueFrom(shared.pipe(finalMessage()));
    richMessage().forEach((event) => subject.next(event));
    subject.complete();
    expect(written).toEqual([]);
    expect(plain(await final)).toEqual(expected);
  });

  it('a snapshot and everything in it stays frozen after later events (the tool input read late included)', async () => {
    const snapshots = await lastValueFrom(from(richMessage()).pipe(accumulateMessage(), toArray()));
    for (const snapshot of snapshots) expect(unfrozenPaths(snapshot)).toEqual([]);
    // A tool input read after the stream ended is the input as of its snapshot, and frozen.
    const midTool = snapshots[13] as unknown as { content: { input: unknown }[] };
    expect(midTool.content[3]?.input).toEqual({ city: 'Paris', days: [1] });
    expect(unfrozenPaths(midTool.content[3]?.input)).toEqual([]);
  });

  it('contentBlocks(): the finished blocks cannot be written to, and a second consumer sees them unchanged', async () => {
    const { written, seen, alone } = await sharedConsumers(contentBlocks, richMessage);
    expect(written).toEqual([]);
    expect(seen).toEqual(alone);
    expect(seen).toHaveLength(4);
  });

  it('messageStreamEvents(): the derived events (text, citation, thinking, input_json with its snapshot), the finished block and message cannot be written to', async () => {
    const { written, seen, alone } = await sharedConsumers(messageStreamEvents, richMessage);
    expect(written).toEqual([]);
    expect(seen).toEqual(alone);
    const types = new Set(seen.map((event) => event.type));
    for (const type of ['text', 'citation', 'thinking', 'signature', 'input_json', 'content_block_stop', 'message_stop']) expect(types).toContain(type);
  });

  it('finalMessage(): the message is frozen all the way down', async () => {
    const message = await lastValueFrom(from(richMessage()).pipe(finalMessage()));
    expect(unfrozenPaths(message)).toEqual([]);
    expect(writeEverywhere(message)).toEqual([]);
  });

  it('client.messages.create() without streaming: the message is frozen all the way down', async () => {
    const server = await createMockServer([textReply('Hello')]);
    try {
      const client = createClient({ apiKey: 'k', baseURL: server.baseURL, maxRetries: 0 });
      const message = await lastValueFrom(client.messages.create({ model: 'claude-sonnet-4-6', max_tokens: 16, messages: [{ role: 'user', content: 'Hi' }] }));
      expect(message.content).toEqual([expect.objectContaining({ type: 'text', text: 'Hello' })]);
      expect(unfrozenPaths(message)).toEqual([]);
      expect(writeEverywhere(message)).toEqual([]);
    } finally {
      await server.close();
    }
  });

  it('takes in place what it keeps from events of the user\'s own source: after a consumer\'s snapshot, the events\' blocks and usage are frozen too', async () => {
    const events = richMessage();
    await lastValueFrom(from(events).pipe(accumulateMessage(), toArray()));
    expect(events.flatMap((event, index) => unfrozenPaths(event, `events[${index}]`))).toEqual([]);
  });

  describe('events decoded by the client', () => {
    let server: MockServer | undefined;
    afterEach(async () => server?.close());

    it('client.messages.stream() emits frozen raw events: a consumer that writes to them gets TypeErrors, and another consumer\'s finalMessage() is unchanged', async () => {
      const expected = plain(await lastValueFrom(from(richMessage()).pipe(finalMessage())));
      server = await createMockServer([eventsReply(richMessage())]);
      const client = createClient({ baseURL: server.baseURL, apiKey: 'k', maxRetries: 0 });
      const shared: Observable<RawMessageStreamEvent> = client.messages.stream({ model: 'claude-sonnet-4-6', max_tokens: 256, messages: [{ role: 'user', content: 'Hi' }] }).pipe(share());
      const written: string[] = [];
      shared.subscribe((event) => written.push(...writeEverywhere(event)));
      const final = await lastValueFrom(shared.pipe(finalMessage()));
      expect(written).toEqual([]);
      expect(plain(final)).toEqual(expected);
    });

    it('decodeEvent() returns a frozen event, on its fast path (a text delta as the API writes it) and through the codec', () => {
      const fast = decodeEvent({ event: 'content_block_delta', data: '{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Hi"}}', id: undefined });
      const slow = decodeEvent({ event: 'message_start', data: JSON.stringify(messageStart()), id: undefined });
      const unknown = decodeEvent({ event: 'future_event', data: '{"type":"future_event","payload":{"list":[{"a":1}]}}', id: undefined });
      expect([fast, slow, unknown].flatMap((event) => unfrozenPaths(event))).toEqual([]);
      expect(writeEverywhere(slow)).toEqual([]);
    });
  });
});
