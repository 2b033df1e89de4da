import * as t from 'io-ts';
import { from, lastValueFrom, materialize, Observable, of, take, toArray } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';

import { createClient, defineTool, textSnapshots, toolLoop, type MessageCreateParams } from 'rx-anthropic';
import { createMockServer, textReply, toolUseReply, type MockServer } from 'rx-anthropic/testing';

import { OverloadedError, StreamDecodeError } from '../../lib/errors';
import type { MessageStreamEvent } from '../../lib/operators/MessageStreamEvent';
import { messageStreamEvents } from '../../lib/operators/messageStreamEvents';
import type { RawMessageStreamEvent } from '../../lib/schema/streamEvents';
import { fromSSEText } from '../../lib/testing/fromSSEText';
import { loadFixtures } from '../support/fixtures';
import {
  blockStop,
  citation,
  citationsDelta,
  endlessTextStream,
  inputJsonDelta,
  messageStart,
  signatureDelta,
  textDelta,
  textMessage,
  textStart,
  thinkingDelta,
  thinkingStart,
  toolMessage,
  toolStart,
} from './events';

type AnyEvent = RawMessageStreamEvent | MessageStreamEvent;

const snapshotsOf = (events: readonly RawMessageStreamEvent[] | Observable<AnyEvent>): Promise<string[]> =>
  lastValueFrom((Array.isArray(events) ? from(events) : (events as Observable<AnyEvent>)).pipe(textSnapshots(), toArray()));

/** A thinking block, a text block with a citation, a tool call (with a stray text_delta), another text block. */
const mixed = (): RawMessageStreamEvent[] => [
  messageStart(),
  thinkingStart(0),
  thinkingDelta(0, 'hidden'),
  signatureDelta(0, 'sig'),
  blockStop(0),
  textStart(1),
  textDelta(1, 'Hel'),
  citationsDelta(1, citation(1)),
  textDelta(1, ''),
  textDelta(1, 'lo'),
  blockStop(1),
  toolStart(2),
  inputJsonDelta(2, '{"text": "not this"}'),
  textDelta(2, 'nor this'),
  blockStop(2),
  textStart(3),
  textDelta(3, '!'),
  blockStop(3),
];

let testScheduler: TestScheduler;
beforeEach(() => {
  testScheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
});

describe('textSnapshots()', () => {
  it("emits the message's text so far at each text_delta on a text block, across blocks, skipping other blocks", async () => {
    expect(await snapshotsOf(mixed())).toEqual(['Hel', 'Hel', 'Hello', 'Hello!']);
  });

  it('counts text a text block starts with, as finalText() does', async () => {
    const events = [messageStart(), textStart(0, { text: 'Pre' }), textDelta(0, 'fix'), blockStop(0), textStart(1, { text: '-' }), textDelta(1, 'ed')];
    expect(await snapshotsOf(events)).toEqual(['Prefix', 'Prefix-ed']);
  });

  it('keeps blocks in index order even when an earlier block gets a delta after a later one started', async () => {
    const events = [messageStart(), textStart(0), textDelta(0, 'a'), textStart(1), textDelta(1, 'c'), textDelta(0, 'b'), textDelta(1, 'd')];
    expect(await snapshotsOf(events)).toEqual(['a', 'ac', 'abc', 'abcd']);
  });

  it('starts again at each message_start: one text per turn', async () => {
    const events = [...toolMessage(['{}'], 'msg_1'), ...textMessage(['It is ', 'sunny.'], 'msg_2')];
    expect(await snapshotsOf(events)).toEqual(['Let me check.', 'It is ', 'It is sunny.']);
  });

  it('ends each snapshot stream on the text finalText() gives', async () => {
    const snapshots = await snapshotsOf(mixed());
    expect(snapshots[snapshots.length - 1]).toBe('Hello!');
  });

  it('gives the same snapshots when fed the output of messageStreamEvents()', async () => {
    const events = [...mixed(), ...textMessage(['a', 'b'], 'msg_2')];
    expect(await snapshotsOf(from(events).pipe(messageStreamEvents()))).toEqual(await snapshotsOf(events));
  });

  it("each snapshot is the message's earlier text blocks plus the SDK event's block snapshot", async () => {
    const events = [...mixed(), ...toolMessage(['{"city":', '"Paris"}'], 'msg_2'), ...textMessage(['x', 'y'], 'msg_3')];
    const sdkEvents = await lastValueFrom(from(events).pipe(messageStreamEvents(), toArray()));
    // The text of this message's finished text blocks, then the open block's own snapshot.
    let finished = '';
    const fromSdkEvents: string[] = [];
    for (const event of sdkEvents) {
      if (event.type === 'message_start') finished = '';
      else if (event.type === 'content_block_stop' && event.content_block.type === 'text') finished += event.content_block.text;
      else if (event.type === 'text') fromSdkEvents.push(finished + event.snapshot);
    }
    expect(await snapshotsOf(events)).toEqual(fromSdkEvents);
  });

  it('completes when the stream ends without message_stop', async () => {
    expect(await snapshotsOf(textMessage(['x', 'y']).slice(0, 4))).toEqual(['x', 'xy']);
  });

  it('fails with StreamDecodeError on a delta whose index has no started block', async () => {
    const result = snapshotsOf([messageStart(), textStart(0), textDelta(1, 'x')]);
    await expect(result).rejects.toBeInstanceOf(StreamDecodeError);
    await expect(result).rejects.toThrow(/content block 1 was never started/);
  });

  it('forgets the blocks of the previous message at message_start', async () => {
    await expect(snapshotsOf([...textMessage(['a']), messageStart({ id: 'msg_2' }), textDelta(0, 'b')])).rejects.toBeInstanceOf(StreamDecodeError);
  });

  describe('a synchronous source', () => {
    it('stops being pulled as soon as the consumer unsubscribes', () => {
      const { source, pulled } = endlessTextStream();
      const seen: string[] = [];
      source.pipe(textSnapshots(), take(3)).subscribe((text) => seen.push(text));
      expect(seen).toEqual(['x', 'xx', 'xxx']);
      expect(pulled()).toBe(5);
    });

    it('stops being pulled when the operator fails', () => {
      const { source, pulled } = endlessTextStream(9);
      let error: unknown;
      source.pipe(textSnapshots()).subscribe({ error: (e: unknown) => (error = e) });
      expect(error).toBeInstanceOf(StreamDecodeError);
      expect(pulled()).toBe(10);
    });
  });

  describe('marbles', () => {
    it('emits at the frame of each text delta, nothing for other blocks, and completes with the source', () => {
      testScheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
        const source = cold('-a-b-c-d-e-f-g-h|', {
          a: messageStart(),
          b: textStart(0),
          c: textDelta(0, 'Hi'),
          d: blockStop(0),
          e: toolStart(1),
          f: inputJsonDelta(1, '{}'),
          g: textStart(2),
          h: textDelta(2, ' there'),
        });
        expectObservable(source.pipe(textSnapshots())).toBe('-----c---------h|', { c: 'Hi', h: 'Hi there' });
        expectSubscriptions(source.subscriptions).toBe('^---------------!');
      });
    });

    it('restarts at the frame of a second message_start', () => {
      testScheduler.run(({ cold, expectObservable }) => {
        const source = cold('abcdefgh|', {
          a: messageStart(),
          b: textStart(0),
          c: textDelta(0, 'one'),
          d: textDelta(0, ' two'),
          e: messageStart({ id: 'msg_2' }),
          f: textStart(0),
          g: textDelta(0, 'three'),
          h: textDelta(0, '!'),
        });
        expectObservable(source.pipe(textSnapshots())).toBe('--cd--gh|', { c: 'one', d: 'one two', g: 'three', h: 'three!' });
      });
    });

    it('from a recorded stream: event i at frame i, pings dropped', () => {
      const sse = [
        'event: message_start',
        'data: {"type":"message_start","message":{"id":"msg_1","type":"message","role":"assistant","model":"m","content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":1,"output_tokens":1}}}',
        '',
        'event: content_block_start',
        'data: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}',
        '',
        'event: ping',
        'data: {"type": "ping"}',
        '',
        'event: content_block_delta',
        'data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Hel"}}',
        '',
        'event: content_block_delta',
        'data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"lo"}}',
        '',
        'event: content_block_stop',
        'data: {"type":"content_block_stop","index":0}',
        '',
        '',
      ].join('\n');
      testScheduler.run(({ expectObservable }) => {
        expectObservable(fromSSEText(sse, testScheduler).pipe(textSnapshots())).toBe('--ab|', { a: 'Hel', b: 'Hello' });
      });
    });

    it('unsubscribing mid-stream ends the source subscription at that frame', () => {
      testScheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
        const source = cold('-a-b-c-d-e|', { a: messageStart(), b: textStart(0), c: textDelta(0, 'Hi'), d: textDelta(0, ' there'), e: blockStop(0) });
        expectObservable(source.pipe(textSnapshots()), '^------!').toBe('-----c-', { c: 'Hi' });
        expectSubscriptions(source.subscriptions).toBe('^------!');
      });
    });

    it('passes a source error through', () => {
      testScheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
        const error = new OverloadedError(undefined, { type: 'overloaded_error', message: 'Overloaded' }, undefined);
        const source = cold('-a-b-c-#', { a: messageStart(), b: textStart(0), c: textDelta(0, 'Hi') }, error);
        expectObservable(source.pipe(textSnapshots())).toBe('-----c-#', { c: 'Hi' }, error);
        expectSubscriptions(source.subscriptions).toBe('^------!');
      });
    });

    it('fails at the frame of a delta for a block never started, and unsubscribes from the source', () => {
      testScheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
        const source = cold('-a-b-c|', { a: messageStart(), b: textDelta(4, 'x'), c: textDelta(0, 'y') });
        expectObservable(source.pipe(textSnapshots())).toBe('---#', undefined, expect.any(StreamDecodeError));
        expectSubscriptions(source.subscriptions).toBe('^--!');
      });
    });
  });

  describe('recorded real-world streams', () => {
    const fixtures = loadFixtures('real-world').filter((fixture) => fixture.expected !== undefined);

    it.each(fixtures.map((fixture) => [fixture.name, fixture] as const))('%s: the last snapshot is the whole text', async (_name, fixture) => {
      const expected = fixture.expected as { text: string; error?: unknown };
      const outcome = await lastValueFrom(fromSSEText(fixture.sse.toString('utf8')).pipe(textSnapshots(), materialize(), toArray()));
      const snapshots = outcome.flatMap((n) => (n.kind === 'N' ? [n.value] : []));
      expect(snapshots[snapshots.length - 1] ?? '').toBe(expected.text);
      // Every snapshot grows the one before it (one message per fixture).
      snapshots.forEach((snapshot, i) => expect(snapshot.startsWith(snapshots[i - 1] ?? '')).toBe(true));
      const end = outcome[outcome.length - 1];
      if (expected.error) expect(end?.kind === 'E' && end.error).toBeInstanceOf(OverloadedError);
      else expect(end?.kind).toBe('C');
    });
  });

  describe('a tool loop', () => {
    let server: MockServer;
    afterEach(async () => server?.close());

    it("gives each turn's text, starting again at every turn", async () => {
      server = await createMockServer([
        toolUseReply([{ id: 'toolu_1', name: 'get_weather', input: { city: 'Paris' } }], { text: 'Checking.', chunkSize: 5 }),
        textReply('Sunny in Paris.', { chunkSize: 8 }),
      ]);
      const getWeather = defineTool({ name: 'get_weather', description: 'The weather in a city', input: t.type({ city: t.string }), run: ({ city }) => `Sunny in ${city}` });
      const params: MessageCreateParams = { model: 'claude-test', max_tokens: 256, messages: [{ role: 'user', content: 'Weather in Paris?' }] };
      const client = createClient({ baseURL: server.baseURL, apiKey: 'k', maxRetries: 0 });
      const snapshots = await lastValueFrom(of(params).pipe(toolLoop(client, { tools: [getWeather] }), textSnapshots(), toArray()));
      expect(snapshots).toEqual(['Check', 'Checking.', 'Sunny in', 'Sunny in Paris.']);
    });
  });
});
