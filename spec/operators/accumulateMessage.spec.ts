import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

import { from, lastValueFrom, Observable, take, toArray } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';

import { OverloadedError, StreamDecodeError, ToolInputParseError } from '../../lib/errors';
import { accumulateMessage } from '../../lib/operators/accumulateMessage';
import type { MessageStreamEvent } from '../../lib/operators/MessageStreamEvent';
import { messageStreamEvents } from '../../lib/operators/messageStreamEvents';
import type { Message } from '../../lib/schema/message';
import type { RawMessageStreamEvent } from '../../lib/schema/streamEvents';
import { fromSSEText } from '../../lib/testing/fromSSEText';
import { FIXTURES_DIR } from '../support/fixtures';
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
  textMessage,
  textStart,
  thinkingDelta,
  thinkingStart,
  toolMessage,
  toolStart,
  endlessTextStream,
} from './events';

type Snapshot = Message & Record<string, unknown>;

const snapshotsOf = (events: readonly RawMessageStreamEvent[] | Observable<RawMessageStreamEvent | MessageStreamEvent>): Promise<Snapshot[]> =>
  lastValueFrom((Array.isArray(events) ? from(events) : (events as Observable<RawMessageStreamEvent>)).pipe(accumulateMessage(), toArray())) as Promise<
    Snapshot[]
  >;

const last = async (events: readonly RawMessageStreamEvent[]): Promise<Snapshot> => {
  const snapshots = await snapshotsOf(events);
  return snapshots[snapshots.length - 1] as Snapshot;
};

/** A message with every block kind the accumulator folds, and a block it does not model. */
const richMessage = (): RawMessageStreamEvent[] => [
  messageStart(),
  thinkingStart(0),
  thinkingDelta(0, 'Let me '),
  thinkingDelta(0, 'think.'),
  signatureDelta(0, 'sig-1'),
  blockStop(0),
  textStart(1),
  textDelta(1, 'According to '),
  citationsDelta(1, citation(1)),
  textDelta(1, 'the docs.'),
  blockStop(1),
  toolStart(2, 'server_tool_use', 'web_search'),
  inputJsonDelta(2, ''),
  inputJsonDelta(2, '{"query": "rx'),
  inputJsonDelta(2, 'js"}'),
  blockStop(2),
  blockStart(3, { type: 'web_search_tool_result', tool_use_id: 'toolu_2', content: [{ type: 'web_search_result', url: 'https://rxjs.dev', title: 'RxJS' }] }),
  blockStop(3),
  toolStart(4),
  inputJsonDelta(4, '{"city": "Paris"}'),
  blockStop(4),
  messageDelta({ stop_reason: 'tool_use', stop_sequence: null }, { output_tokens: 42 }),
  messageStop(),
];

let testScheduler: TestScheduler;
beforeEach(() => {
  testScheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
});

describe('accumulateMessage()', () => {
  describe('snapshots', () => {
    it('emits one snapshot per raw event', async () => {
      const events = richMessage();
      expect(await snapshotsOf(events)).toHaveLength(events.length);
    });

    it('builds the final message of every block kind', async () => {
      expect(plain(await last(richMessage()))).toEqual({
        id: 'msg_1',
        type: 'message',
        role: 'assistant',
        model: 'claude-test',
        stop_reason: 'tool_use',
        stop_sequence: null,
        usage: { input_tokens: 10, output_tokens: 42 },
        content: [
          { type: 'thinking', thinking: 'Let me think.', signature: 'sig-1' },
          { type: 'text', text: 'According to the docs.', citations: [citation(1)] },
          { type: 'server_tool_use', id: 'toolu_2', name: 'web_search', input: { query: 'rxjs' } },
          { type: 'web_search_tool_result', tool_use_id: 'toolu_2', content: [{ type: 'web_search_result', url: 'https://rxjs.dev', title: 'RxJS' }] },
          { type: 'tool_use', id: 'toolu_4', name: 'get_weather', input: { city: 'Paris' } },
        ],
      });
    });

    it('emits a new object for every event, and earlier snapshots never change', async () => {
      const clones: unknown[] = [];
      const snapshots: Snapshot[] = [];
      await new Promise<void>((resolve, reject) =>
        from(richMessage())
          .pipe(accumulateMessage())
          .subscribe({
            next: (snapshot) => {
              snapshots.push(snapshot as Snapshot);
              clones.push(plain(snapshot));
            },
            error: reject,
            complete: resolve,
          }),
      );
      expect(snapshots.map((snapshot) => plain(snapshot))).toEqual(clones);
      for (let i = 1; i < snapshots.length; i += 1) {
        expect(snapshots[i]).not.toBe(snapshots[i - 1]);
      }
    });

    it('shares the blocks an event did not touch with the previous snapshot', async () => {
      const events = richMessage();
      const snapshots = await snapshotsOf(events);
      events.forEach((event, i) => {
        if (i === 0) return;
        const before = snapshots[i - 1] as Snapshot;
        const after = snapshots[i] as Snapshot;
        const touched = event.type === 'content_block_start' || event.type === 'content_block_delta' ? event.index : undefined;
        const finishedTool = event.type === 'content_block_stop' && 'input' in (before.content[event.index] ?? {}) ? event.index : undefined;
        before.content.forEach((block, index) => {
          if (index === touched || index === finishedTool) expect(after.content[index]).not.toBe(block);
          else expect(after.content[index]).toBe(block);
        });
      });
    });

    it('does not copy the usage object on events that do not change it', async () => {
      const snapshots = await snapshotsOf(textMessage(['a', 'b']));
      expect(snapshots[4]?.usage).toBe(snapshots[0]?.usage);
      expect(snapshots[5]?.usage).not.toBe(snapshots[4]?.usage); // message_delta
    });

    it('never changes the events it was given', async () => {
      const events = richMessage();
      const before = plain(events);
      await snapshotsOf(events);
      expect(plain(events)).toEqual(before);
    });

    it('keeps a tool input snapshot as it was at its event, even when read after the stream', async () => {
      const snapshots = await snapshotsOf(toolMessage(['{"city": "Pa', 'ris", "days": [1', ', 2]}']));
      const inputs = snapshots.map((snapshot) => (snapshot.content[1] as { input?: unknown } | undefined)?.input);
      expect(inputs.slice(4, 8)).toEqual([{}, { city: 'Pa' }, { city: 'Paris', days: [1] }, { city: 'Paris', days: [1, 2] }]);
    });

    it('emits nothing for pings and unknown events', async () => {
      const events = textMessage(['Hi']);
      const withNoise = [
        events[0],
        { type: 'ping' },
        events[1],
        { type: 'message_annotation', note: 'x' },
        ...events.slice(2),
      ] as RawMessageStreamEvent[];
      expect(plain(await snapshotsOf(withNoise))).toEqual(plain(await snapshotsOf(events)));
    });
  });

  describe('content blocks', () => {
    it('appends text deltas, replaces the signature, creates the citations list on the first citation', async () => {
      const message = await last([
        messageStart(),
        textStart(0),
        citationsDelta(0, citation(1)),
        citationsDelta(0, citation(2)),
        thinkingStart(1),
        signatureDelta(1, 'first'),
        signatureDelta(1, 'second'),
      ]);
      expect(plain(message.content)).toEqual([
        { type: 'text', text: '', citations: [citation(1), citation(2)] },
        { type: 'thinking', thinking: '', signature: 'second' },
      ]);
    });

    it('keeps the {} from content_block_start when the only input fragment is empty (a tool without arguments)', async () => {
      const message = await last(toolMessage(['']));
      expect(plain(message.content[1])).toEqual({ type: 'tool_use', id: 'toolu_1', name: 'get_weather', input: {} });
    });

    it('gives a finished tool-use block its input as a plain data property', async () => {
      const message = await last(toolMessage(['{"a"', ': [1, {"b": null}]}']));
      const descriptor = Object.getOwnPropertyDescriptor(message.content[1], 'input');
      expect(descriptor?.get).toBeUndefined();
      expect(descriptor?.value).toEqual({ a: [1, { b: null }] });
    });

    it('keeps an unfinished tool input (no content_block_stop) as its partial value, unfinished string included', async () => {
      const message = await last([messageStart(), toolStart(0), inputJsonDelta(0, '{"lines": ["one", "tw'), messageDelta({ stop_reason: 'max_tokens', stop_sequence: null }), messageStop()]);
      expect(plain(message.content[0])).toEqual({ type: 'tool_use', id: 'toolu_0', name: 'get_weather', input: { lines: ['one', 'tw'] } });
    });

    it('passes a block type it does not model through unchanged', async () => {
      const block = { type: 'advisor_tool_result', tool_use_id: 'srvtoolu_9', content: { type: 'advisor_result', text: 'ok' }, extra: [1, 2] };
      const message = await last([messageStart(), blockStart(0, block), blockStop(0), messageStop()]);
      expect(message.content[0]).toEqual(block);
    });

    it('relabels the model from a fallback block (the Python SDK rule)', async () => {
      const message = await last([
        messageStart({ model: 'claude-opus-4-7' }),
        blockStart(0, { type: 'fallback', from: { model: 'claude-opus-4-7' }, to: { model: 'claude-sonnet-4-6' } }),
        blockStop(0),
      ]);
      expect(message.model).toBe('claude-sonnet-4-6');
    });
  });

  describe('message_delta merge rules', () => {
    const startWithUsage = () =>
      messageStart({
        usage: {
          input_tokens: 10,
          output_tokens: 1,
          cache_creation_input_tokens: 2,
          cache_read_input_tokens: 3,
          cache_creation: { ephemeral_5m_input_tokens: 2, ephemeral_1h_input_tokens: 0 },
          service_tier: 'standard',
          inference_geo: 'us',
        },
      });

    it('overwrites stop_reason and stop_sequence', async () => {
      const message = await last([
        messageStart(),
        messageDelta({ stop_reason: 'max_tokens', stop_sequence: null }),
        messageDelta({ stop_reason: 'stop_sequence', stop_sequence: '```' }),
      ]);
      expect(message).toEqual(expect.objectContaining({ stop_reason: 'stop_sequence', stop_sequence: '```' }));
    });

    it('overwrites usage fields that are non-null and keeps the others (cache_creation, service_tier, inference_geo)', async () => {
      const message = await last([
        startWithUsage(),
        messageDelta(
          { stop_reason: 'end_turn', stop_sequence: null },
          {
            input_tokens: 42,
            output_tokens: 99,
            cache_creation_input_tokens: null,
            cache_read_input_tokens: 8,
            server_tool_use: { web_search_requests: 1 },
            iterations: [{ type: 'message', input_tokens: 1, output_tokens: 2 }],
          },
        ),
      ]);
      expect(message.usage).toEqual({
        input_tokens: 42,
        output_tokens: 99,
        cache_creation_input_tokens: 2,
        cache_read_input_tokens: 8,
        cache_creation: { ephemeral_5m_input_tokens: 2, ephemeral_1h_input_tokens: 0 },
        service_tier: 'standard',
        inference_geo: 'us',
        server_tool_use: { web_search_requests: 1 },
        iterations: [{ type: 'message', input_tokens: 1, output_tokens: 2 }],
      });
    });

    it('takes stop_details from the delta', async () => {
      const details = { type: 'refusal', category: 'cyber', explanation: 'Declined.' };
      const message = await last([messageStart(), messageDelta({ stop_reason: 'refusal', stop_sequence: null, stop_details: details })]);
      expect(message).toEqual(expect.objectContaining({ stop_reason: 'refusal', stop_details: details }));
    });

    it('keeps an earlier container and context_management when a later delta sends null (the TS SDK rule)', async () => {
      const container = { id: 'container_01', expires_at: '2026-01-01T00:00:00Z', skills: null };
      const contextManagement = { applied_edits: [{ type: 'clear_tool_uses_20250919', cleared_input_tokens: 100, cleared_tool_uses: 2 }] };
      const message = await last([
        messageStart(),
        messageDelta({ stop_reason: 'end_turn', stop_sequence: null, container }, { output_tokens: 5 }, { context_management: contextManagement }),
        messageDelta({ stop_reason: 'end_turn', stop_sequence: null, container: null }, { output_tokens: 99 }, { context_management: null }),
      ]);
      expect(message).toEqual(expect.objectContaining({ container, context_management: contextManagement }));
      expect(message.usage.output_tokens).toBe(99);
    });

    it('sets container and context_management to null when nothing came before', async () => {
      const message = await last([messageStart(), messageDelta({ stop_reason: 'end_turn', stop_sequence: null, container: null }, { output_tokens: 5 }, { context_management: null })]);
      expect(message).toEqual(expect.objectContaining({ container: null, context_management: null }));
    });

    it('replaces a container from message_start when a delta sends a new one', async () => {
      const message = await last([
        messageStart({ container: { id: 'old', expires_at: 'then' } }),
        messageDelta({ stop_reason: 'end_turn', stop_sequence: null, container: { id: 'new', expires_at: 'later' } }),
      ]);
      expect(message['container']).toEqual({ id: 'new', expires_at: 'later' });
    });
  });

  describe('several messages and the end of the stream', () => {
    it('a second message_start begins a new message', async () => {
      const snapshots = await snapshotsOf([...toolMessage(['{"a": 1}'], 'msg_1'), ...textMessage(['Done'], 'msg_2')]);
      const second = snapshots.findIndex((snapshot) => snapshot.id === 'msg_2');
      expect(second).toBe(9);
      expect(snapshots[second]?.content).toEqual([]);
      expect(plain(snapshots.at(-1))).toEqual(expect.objectContaining({ id: 'msg_2', content: [{ type: 'text', text: 'Done' }] }));
      expect(plain(snapshots[second - 1])).toEqual(expect.objectContaining({ id: 'msg_1', stop_reason: 'tool_use' }));
    });

    it('completes after its last snapshot when the stream ends without message_stop', async () => {
      const events = textMessage(['Hi']).slice(0, -2);
      const snapshots = await snapshotsOf(events);
      expect(snapshots).toHaveLength(events.length);
      expect(plain(snapshots.at(-1)?.content)).toEqual([{ type: 'text', text: 'Hi' }]);
    });

    it('completes without a value on an empty stream', async () => {
      expect(await snapshotsOf([])).toEqual([]);
    });
  });

  describe('errors', () => {
    it('fails with StreamDecodeError on a delta whose index has no started block, after the snapshots before it', async () => {
      const seen: unknown[] = [];
      const error = await new Promise<unknown>((resolve) =>
        from([messageStart(), textStart(0), textDelta(2, 'x'), textDelta(0, 'never')])
          .pipe(accumulateMessage())
          .subscribe({ next: (snapshot) => seen.push(snapshot), error: resolve }),
      );
      expect(error).toBeInstanceOf(StreamDecodeError);
      expect((error as StreamDecodeError).message).toMatch(/content block 2 was never started/);
      expect(seen).toHaveLength(2);
    });

    it('fails with ToolInputParseError carrying the raw text at the input_json_delta where the input stops being JSON, after the snapshots before it', async () => {
      const seen: Snapshot[] = [];
      const error = await new Promise<unknown>((resolve) =>
        from(toolMessage(['{"foo": "bar", ', '"baz": "qux": "quux"}', ', "never": "read"}']))
          .pipe(accumulateMessage())
          .subscribe({ next: (snapshot) => seen.push(snapshot as Snapshot), error: resolve, complete: () => resolve(undefined) }),
      );
      expect(error).toBeInstanceOf(ToolInputParseError);
      expect(error).toMatchObject({ raw: '{"foo": "bar", "baz": "qux": "quux"}', blockIndex: 1, message: expect.stringMatching(/^Unable to parse tool parameter JSON from model/) });
      // message_start, the text block's three events, the tool block's start and its first delta: not the bad delta, nor anything after it.
      expect(seen).toHaveLength(6);
      expect(plain(seen.at(-1)?.content[1])).toEqual({ type: 'tool_use', id: 'toolu_1', name: 'get_weather', input: { foo: 'bar' } });
    });
  });

  describe('fed the output of messageStreamEvents()', () => {
    it.each([
      ['a rich message', richMessage()],
      ['two messages', [...toolMessage(['{"a": [1, 2]}'], 'msg_1'), ...textMessage(['Done'], 'msg_2')]],
      ['a stream without message_stop', textMessage(['x', 'y']).slice(0, -1)],
    ])('gives the same snapshots as from raw events: %s', async (_name, events) => {
      const fromRaw = await snapshotsOf(events);
      const fromEnriched = await snapshotsOf(from(events).pipe(messageStreamEvents()));
      expect(plain(fromEnriched)).toEqual(plain(fromRaw));
    });
  });

  describe('a synchronous source', () => {
    it('stops being pulled as soon as the consumer unsubscribes', () => {
      const { source, pulled } = endlessTextStream();
      const seen: unknown[] = [];
      source.pipe(accumulateMessage(), take(3)).subscribe((snapshot) => seen.push(snapshot));
      expect(seen).toHaveLength(3);
      expect(pulled()).toBe(3);
    });

    it('stops being pulled when the operator fails', () => {
      const { source, pulled } = endlessTextStream(5);
      let error: unknown;
      source.pipe(accumulateMessage()).subscribe({ error: (e: unknown) => (error = e) });
      expect(error).toBeInstanceOf(StreamDecodeError);
      expect(pulled()).toBe(6); // the bad event was the last one pulled
    });
  });

  describe('marbles', () => {
    it('emits a snapshot at the frame of each event', () => {
      testScheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
        const source = cold('-a-b-c-d|', { a: messageStart(), b: textStart(0), c: textDelta(0, 'Hi'), d: blockStop(0) });
        const base = { id: 'msg_1', type: 'message', role: 'assistant', model: 'claude-test', stop_reason: null, stop_sequence: null, usage: { input_tokens: 10, output_tokens: 1 } };
        expectObservable(source.pipe(accumulateMessage())).toBe('-a-b-c-d|', {
          a: { ...base, content: [] },
          b: { ...base, content: [{ type: 'text', text: '' }] },
          c: { ...base, content: [{ type: 'text', text: 'Hi' }] },
          d: { ...base, content: [{ type: 'text', text: 'Hi' }] },
        });
        expectSubscriptions(source.subscriptions).toBe('^-------!');
      });
    });

    it('skips the frames of events that fold nothing', () => {
      testScheduler.run(({ cold, expectObservable }) => {
        const ping = { type: 'ping' } as unknown as RawMessageStreamEvent;
        const derived: MessageStreamEvent = { type: 'text', index: 0, text: 'x', snapshot: 'x' };
        const source = cold<RawMessageStreamEvent | MessageStreamEvent>('-a-p-u|', { a: messageStart(), p: ping, u: derived });
        expectObservable(source.pipe(accumulateMessage())).toBe('-a----|', { a: (plain(messageStart()) as unknown as { message: unknown }).message });
      });
    });

    it('unsubscribing mid-stream ends the source subscription at that frame', () => {
      testScheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
        const source = cold('-a-b-c-d|', { a: messageStart(), b: textStart(0), c: textDelta(0, 'Hi'), d: blockStop(0) });
        expectObservable(source.pipe(accumulateMessage()), '^----!').toBe('-a-b-', {
          a: expect.objectContaining({ content: [] }),
          b: expect.objectContaining({ content: [{ type: 'text', text: '' }] }),
        });
        expectSubscriptions(source.subscriptions).toBe('^----!');
      });
    });

    it('passes a source error through after the snapshots before it', () => {
      testScheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
        const error = new OverloadedError(undefined, { type: 'overloaded_error', message: 'Overloaded' }, undefined);
        const source = cold('-a-#', { a: messageStart() }, error);
        expectObservable(source.pipe(accumulateMessage())).toBe('-a-#', { a: expect.objectContaining({ id: 'msg_1' }) }, error);
        expectSubscriptions(source.subscriptions).toBe('^--!');
      });
    });

    it('from a recorded stream that fails mid-way: a snapshot per frame, then the API error on the frame of the last event', () => {
      const sse = readFileSync(resolve(FIXTURES_DIR, 'real-world/vercel-error-overloaded-mid-stream.sse'), 'utf8');
      const expected = JSON.parse(readFileSync(resolve(FIXTURES_DIR, 'real-world/vercel-error-overloaded-mid-stream.expected.json'), 'utf8')) as { message: Snapshot };
      testScheduler.run(({ expectObservable }) => {
        expectObservable(fromSSEText(sse, testScheduler).pipe(accumulateMessage())).toBe(
          'ab(c#)',
          {
            a: { ...expected.message, content: [] },
            b: { ...expected.message, content: [{ type: 'text', text: '' }] },
            c: expected.message,
          },
          expect.any(OverloadedError),
        );
      });
    });

    it('fails at the frame of the delta that makes the tool input invalid and unsubscribes from the source', () => {
      testScheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
        const source = cold('-a-b-c-d-e-f|', { a: messageStart(), b: toolStart(0), c: inputJsonDelta(0, '{"a": 1'), d: inputJsonDelta(0, '}}'), e: blockStop(0), f: messageStop() });
        expectObservable(source.pipe(accumulateMessage())).toBe('-a-b-c-#', { a: expect.anything(), b: expect.anything(), c: expect.anything() }, expect.any(ToolInputParseError));
        expectSubscriptions(source.subscriptions).toBe('^------!');
      });
    });
  });
});
