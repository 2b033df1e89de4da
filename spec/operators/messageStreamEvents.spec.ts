import fc from 'fast-check';
import { from, lastValueFrom, Observable, take, toArray } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';

import { PartialJsonParser } from '../../lib/accumulate/PartialJsonParser';
import { OverloadedError, StreamDecodeError, ToolInputParseError } from '../../lib/errors';
import { accumulateMessage } from '../../lib/operators/accumulateMessage';
import type { InputJsonEvent, MessageStreamEvent } from '../../lib/operators/MessageStreamEvent';
import { messageStreamEvents } from '../../lib/operators/messageStreamEvents';
import type { RawMessageStreamEvent } from '../../lib/schema/streamEvents';
import {
  blockStart,
  blockStop,
  citation,
  citationsDelta,
  compactionDelta,
  delta,
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

const run = (events: readonly RawMessageStreamEvent[] | Observable<RawMessageStreamEvent | MessageStreamEvent>): Promise<MessageStreamEvent[]> =>
  lastValueFrom((Array.isArray(events) ? from(events) : (events as Observable<RawMessageStreamEvent>)).pipe(messageStreamEvents(), toArray()));

/** The events with `index`-less fields dropped: what a test compares. */
const types = (events: readonly MessageStreamEvent[]): string[] => events.map((event) => event.type);

let testScheduler: TestScheduler;
beforeEach(() => {
  testScheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
});

describe('messageStreamEvents()', () => {
  describe('raw events', () => {
    it('passes message_start, message_delta, content_block_start and content_block_delta through as the same objects', async () => {
      const events = textMessage(['Hel', 'lo']);
      const out = await run(events);
      const passed = out.filter((event) => ['message_start', 'message_delta', 'content_block_start', 'content_block_delta'].includes(event.type));
      expect(passed).toHaveLength(5);
      for (const event of passed) expect(events).toContain(event);
    });

    it('follows each raw delta by its derived event and replaces both stops with enriched ones', async () => {
      const out = await run(textMessage(['Hel', 'lo']));
      expect(types(out)).toEqual([
        'message_start',
        'content_block_start',
        'content_block_delta',
        'text',
        'content_block_delta',
        'text',
        'content_block_stop',
        'message_delta',
        'message_stop',
      ]);
      expect(out[3]).toEqual({ type: 'text', index: 0, text: 'Hel', snapshot: 'Hel' });
      expect(out[5]).toEqual({ type: 'text', index: 0, text: 'lo', snapshot: 'Hello' });
      expect(out[6]).toEqual({ type: 'content_block_stop', index: 0, content_block: { type: 'text', text: 'Hello' } });
      expect(out[8]).toEqual({
        type: 'message_stop',
        message: expect.objectContaining({ id: 'msg_1', stop_reason: 'end_turn', content: [{ type: 'text', text: 'Hello' }] }),
      });
    });

    it('passes events it does not know through, and drops nothing but derived events fed back to it', async () => {
      const unknown = { type: 'message_annotation', note: 'from the future' } as unknown as RawMessageStreamEvent;
      const events = [...textMessage(['Hi'])];
      events.splice(2, 0, unknown);
      const out = await run(events);
      expect(out).toContain(unknown);
      expect(types(out)).toEqual([
        'message_start',
        'content_block_start',
        'message_annotation',
        'content_block_delta',
        'text',
        'content_block_stop',
        'message_delta',
        'message_stop',
      ]);
    });

    it('is idempotent: fed its own output, it gives the same events again', async () => {
      const events = [
        messageStart(),
        thinkingStart(0),
        thinkingDelta(0, 'Hmm'),
        signatureDelta(0, 'sig'),
        blockStop(0),
        ...toolMessage(['{"city": "Pa', 'ris"}']).slice(4),
      ];
      const once = await run(events);
      const twice = await run(from(events).pipe(messageStreamEvents()));
      expect(plain(twice)).toEqual(plain(once));
      expect(types(twice)).toEqual(types(once));
    });
  });

  describe('derived events', () => {
    it('text: the delta and the block text so far', async () => {
      const out = await run([messageStart(), textStart(0), textDelta(0, 'a'), textDelta(0, 'b'), textDelta(0, '')]);
      expect(out.filter((event) => event.type === 'text')).toEqual([
        { type: 'text', index: 0, text: 'a', snapshot: 'a' },
        { type: 'text', index: 0, text: 'b', snapshot: 'ab' },
        { type: 'text', index: 0, text: '', snapshot: 'ab' },
      ]);
    });

    it('citation: the new citation and all of the block citations so far', async () => {
      const out = await run([messageStart(), textStart(0), citationsDelta(0, citation(1)), textDelta(0, 'x'), citationsDelta(0, citation(2))]);
      const citations = out.filter((event) => event.type === 'citation');
      expect(citations).toEqual([
        { type: 'citation', index: 0, citation: citation(1), snapshot: [citation(1)] },
        { type: 'citation', index: 0, citation: citation(2), snapshot: [citation(1), citation(2)] },
      ]);
      // The first snapshot was not grown in place by the second citation.
      expect((citations[0] as { snapshot: unknown[] }).snapshot).toHaveLength(1);
    });

    it('thinking and signature on a thinking block', async () => {
      const out = await run([messageStart(), thinkingStart(0), thinkingDelta(0, 'Let me '), thinkingDelta(0, 'think.'), signatureDelta(0, 'EqQB'), blockStop(0)]);
      expect(out.filter((event) => ['thinking', 'signature'].includes(event.type))).toEqual([
        { type: 'thinking', index: 0, thinking: 'Let me ', snapshot: 'Let me ' },
        { type: 'thinking', index: 0, thinking: 'think.', snapshot: 'Let me think.' },
        { type: 'signature', index: 0, signature: 'EqQB' },
      ]);
      expect(out.at(-1)).toEqual({ type: 'content_block_stop', index: 0, content_block: { type: 'thinking', thinking: 'Let me think.', signature: 'EqQB' } });
    });

    it.each(['tool_use', 'server_tool_use', 'mcp_tool_use'])('input_json on a %s block: the fragment and the input parsed so far', async (type) => {
      const out = await run(toolMessage(['', '{"city": "Pa', 'ris", "days": [1, ', '2]}'], 'msg_1', type));
      expect(out.filter((event) => event.type === 'input_json').map((event) => plain(event))).toEqual([
        { type: 'input_json', index: 1, partial_json: '', snapshot: {} },
        { type: 'input_json', index: 1, partial_json: '{"city": "Pa', snapshot: { city: 'Pa' } },
        { type: 'input_json', index: 1, partial_json: 'ris", "days": [1, ', snapshot: { city: 'Paris', days: [1] } },
        { type: 'input_json', index: 1, partial_json: '2]}', snapshot: { city: 'Paris', days: [1, 2] } },
      ]);
      const stop = out.find((event) => event.type === 'content_block_stop' && event.index === 1);
      expect(stop).toEqual({
        type: 'content_block_stop',
        index: 1,
        content_block: { type, id: 'toolu_1', name: 'get_weather', input: { city: 'Paris', days: [1, 2] } },
      });
    });

    it('compaction: the block content after a compaction_delta', async () => {
      const out = await run([
        messageStart(),
        blockStart(0, { type: 'compaction', content: null, encrypted_content: null }),
        compactionDelta(0, 'Earlier conversation summarized.', 'opaque'),
        blockStop(0),
      ]);
      expect(out.filter((event) => event.type === 'compaction')).toEqual([
        { type: 'compaction', index: 0, content: 'Earlier conversation summarized.', encrypted_content: 'opaque' },
      ]);
      expect(out.at(-1)).toEqual({
        type: 'content_block_stop',
        index: 0,
        content_block: { type: 'compaction', content: 'Earlier conversation summarized.', encrypted_content: 'opaque' },
      });
    });

    it('compaction: a delta carries the block value, so a later one replaces it, null content included (as the TS SDK does)', async () => {
      const out = await run([
        messageStart(),
        blockStart(0, { type: 'compaction', content: null }),
        compactionDelta(0, 'first', 'e1'),
        compactionDelta(0, 'second'),
        compactionDelta(0, null, null),
        blockStop(0),
      ]);
      expect(out.filter((event) => event.type === 'compaction')).toEqual([
        { type: 'compaction', index: 0, content: 'first', encrypted_content: 'e1' },
        { type: 'compaction', index: 0, content: 'second', encrypted_content: 'e1' },
        { type: 'compaction', index: 0, content: null, encrypted_content: null },
      ]);
    });

    it.each([
      ['text_delta on a thinking block', thinkingStart(0), textDelta(0, 'x')],
      ['text_delta on a tool_use block', toolStart(0), textDelta(0, 'x')],
      ['citations_delta on a thinking block', thinkingStart(0), citationsDelta(0, citation(1))],
      ['thinking_delta on a text block', textStart(0), thinkingDelta(0, 'x')],
      ['signature_delta on a text block', textStart(0), signatureDelta(0, 'sig')],
      ['input_json_delta on a text block', textStart(0), inputJsonDelta(0, '{}')],
      ['input_json_delta on a web_search_tool_result block', blockStart(0, { type: 'web_search_tool_result', tool_use_id: 'srvtoolu_1', content: [] }), inputJsonDelta(0, '{}')],
      ['compaction_delta on a text block', textStart(0), compactionDelta(0, 'x')],
      ['an unknown delta type on a text block', textStart(0), delta(0, { type: 'sparkle_delta', glitter: 1 })],
    ])('derives nothing for a delta whose kind does not match its block: %s', async (_name, start, mismatched) => {
      const out = await run([messageStart(), start, mismatched, blockStop(0)]);
      expect(types(out)).toEqual(['message_start', 'content_block_start', 'content_block_delta', 'content_block_stop']);
      expect(out[2]).toBe(mismatched);
      // …and the block comes out as it started.
      expect(plain((out[3] as { content_block: unknown }).content_block)).toEqual(plain((start as { content_block: unknown }).content_block));
    });

    it('derives from the block at the delta index, not from the last block', async () => {
      const out = await run([messageStart(), textStart(0), thinkingStart(1), textDelta(0, 'early'), thinkingDelta(1, 'late')]);
      expect(out.filter((event) => event.type === 'text' || event.type === 'thinking')).toEqual([
        { type: 'text', index: 0, text: 'early', snapshot: 'early' },
        { type: 'thinking', index: 1, thinking: 'late', snapshot: 'late' },
      ]);
    });
  });

  describe('several messages in one stream', () => {
    it('a second message_start begins a new message', async () => {
      const out = await run([...toolMessage(['{"a": 1}'], 'msg_1'), ...textMessage(['Done'], 'msg_2')]);
      const stops = out.filter((event) => event.type === 'message_stop').map((event) => (event as { message: unknown }).message);
      expect(plain(stops)).toEqual([
        expect.objectContaining({ id: 'msg_1', stop_reason: 'tool_use', content: [expect.objectContaining({ type: 'text' }), expect.objectContaining({ input: { a: 1 } })] }),
        expect.objectContaining({ id: 'msg_2', stop_reason: 'end_turn', content: [{ type: 'text', text: 'Done' }] }),
      ]);
      const texts = out.filter((event) => event.type === 'text');
      expect(texts.at(-1)).toEqual({ type: 'text', index: 0, text: 'Done', snapshot: 'Done' });
    });
  });

  describe('errors', () => {
    it('fails with StreamDecodeError on a delta whose index has no started block', async () => {
      const result = run([messageStart(), textStart(0), textDelta(1, 'x')]);
      await expect(result).rejects.toBeInstanceOf(StreamDecodeError);
      await expect(result).rejects.toThrow(/content block 1 was never started/);
    });

    it('fails with StreamDecodeError on a block event before any message_start', async () => {
      await expect(run([textStart(0)])).rejects.toBeInstanceOf(StreamDecodeError);
    });

    it('fails with ToolInputParseError, carrying the raw text, at the input_json_delta where the tool input stops being JSON', async () => {
      const raw = '{"foo": "bar", "baz": "qux": "quux"}';
      const seen: MessageStreamEvent[] = [];
      const error = await new Promise<unknown>((resolve) =>
        from(toolMessage(['{"foo": "bar", ', '"baz": "qux": "quux"}', ', "never": "seen"}']))
          .pipe(messageStreamEvents())
          .subscribe({ next: (event) => seen.push(event), error: resolve, complete: () => resolve(undefined) }),
      );
      expect(error).toBeInstanceOf(ToolInputParseError);
      expect(error).toMatchObject({ raw, blockIndex: 1 });
      expect((error as Error).message).toMatch(/^Unable to parse tool parameter JSON from model.*Unexpected ":", expected "," or "}" at position 27/);
      expect((error as Error).message).toContain(`JSON: ${raw}`);
      // Every event before the bad delta came through, its input_json with the input so far; the bad delta did not.
      expect(types(seen)).toEqual([
        'message_start',
        'content_block_start',
        'content_block_delta',
        'text',
        'content_block_stop',
        'content_block_start',
        'content_block_delta',
        'input_json',
      ]);
      expect(plain(seen.at(-1))).toEqual({ type: 'input_json', index: 1, partial_json: '{"foo": "bar", ', snapshot: { foo: 'bar' } });
    });

    it('fails at that delta when the snapshots are read as they come, too', async () => {
      const seen: unknown[] = [];
      const error = await new Promise<unknown>((resolve) =>
        from(toolMessage(['{"a": [1, ', '2]', '}}', '']))
          .pipe(messageStreamEvents())
          .subscribe({ next: (event) => seen.push(event.type === 'input_json' ? event.snapshot : event.type), error: resolve, complete: () => resolve(undefined) }),
      );
      expect(error).toMatchObject({ constructor: ToolInputParseError, raw: '{"a": [1, 2]}}', blockIndex: 1 });
      expect(seen.slice(-4)).toEqual(['content_block_delta', { a: [1] }, 'content_block_delta', { a: [1, 2] }]);
    });
  });

  describe('lazy input_json snapshots', () => {
    const chunksOf = (text: string, cuts: readonly number[]): string[] => {
      const points = [...new Set(cuts.map((cut) => cut % (text.length + 1)))].sort((a, b) => a - b);
      const chunks: string[] = [];
      let start = 0;
      for (const point of points) {
        chunks.push(text.slice(start, point));
        start = point;
      }
      chunks.push(text.slice(start));
      return chunks;
    };

    /**
     * Whether `a` could be a partial view of `b`: strings grow at the end, containers gain
     * members, a number may gain digits. Nothing vanishes: a number being written keeps its
     * last complete value (`{"n": 8.` shows `{ n: 8 }`).
     */
    const isPrefixOf = (a: unknown, b: unknown): boolean => {
      if (typeof a === 'string') return typeof b === 'string' && b.startsWith(a);
      if (typeof a === 'number') return typeof b === 'number';
      if (Array.isArray(a)) {
        if (!Array.isArray(b)) return false;
        return a.length <= b.length && a.every((item, i) => isPrefixOf(item, b[i]));
      }
      if (a !== null && typeof a === 'object') {
        if (b === null || typeof b !== 'object' || Array.isArray(b)) return false;
        return Object.entries(a).every(([key, value]) => key in b && isPrefixOf(value, (b as Record<string, unknown>)[key]));
      }
      return a === b;
    };

    const inputEvents = async (chunks: readonly string[]): Promise<{ events: InputJsonEvent[]; block: unknown }> => {
      const out = await run(toolMessage(chunks));
      return {
        events: out.filter((event): event is InputJsonEvent => event.type === 'input_json'),
        block: (out.find((event) => event.type === 'content_block_stop' && event.index === 1) as { content_block: unknown }).content_block,
      };
    };

    it('is an own enumerable property of a plain object: spread, JSON.stringify and toEqual see it', async () => {
      const { events } = await inputEvents(['{"city": "Pa', 'ris"}']);
      const event = events[0] as InputJsonEvent;
      expect(Object.getPrototypeOf(event)).toBe(Object.prototype);
      expect(Object.keys(event)).toEqual(['type', 'index', 'partial_json', 'snapshot']);
      expect(Object.getOwnPropertyDescriptor(event, 'snapshot')?.enumerable).toBe(true);
      expect(event).toEqual({ type: 'input_json', index: 1, partial_json: '{"city": "Pa', snapshot: { city: 'Pa' } });
      expect({ ...event }).toEqual({ type: 'input_json', index: 1, partial_json: '{"city": "Pa', snapshot: { city: 'Pa' } });
      expect(JSON.stringify(event)).toBe('{"type":"input_json","index":1,"partial_json":"{\\"city\\": \\"Pa","snapshot":{"city":"Pa"}}');
    });

    it('read late, a snapshot is still the value as of its own event', async () => {
      const { events } = await inputEvents(['{"city": "Pa', 'ris", "n": [1', ', 2', ']}']);
      // Nothing was read while streaming; read now, in reverse order.
      const late = events.map((_, i) => events[events.length - 1 - i]?.snapshot).reverse();
      expect(late).toEqual([{ city: 'Pa' }, { city: 'Paris', n: [1] }, { city: 'Paris', n: [1, 2] }, { city: 'Paris', n: [1, 2] }]);
    });

    it('the snapshot of an event equals the input of the accumulated block at that event', async () => {
      const events = toolMessage(['{"q": "rx', 'js", "k": tr', 'ue}']);
      const snapshots = await lastValueFrom(from(events).pipe(accumulateMessage(), toArray()));
      const derived = (await run(events)).filter((event): event is InputJsonEvent => event.type === 'input_json');
      const inputsAtDeltas = events
        .map((event, i) => ({ event, snapshot: snapshots[i] }))
        .filter(({ event }) => event.type === 'content_block_delta' && event.index === 1)
        .map(({ snapshot }) => (snapshot?.content[1] as { input: unknown }).input);
      expect(derived.map((event) => event.snapshot)).toEqual(inputsAtDeltas);
      expect(inputsAtDeltas).toEqual([{ q: 'rx' }, { q: 'rxjs' }, { q: 'rxjs', k: true }]);
    });

    it('property: on-time, late and mixed reads agree, stay prefix-consistent, and the finished input is JSON.parse of the fragments', async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.dictionary(fc.string({ maxLength: 6 }), fc.jsonValue({ maxDepth: 3 }), { maxKeys: 5 }),
          fc.array(fc.nat(), { maxLength: 12 }),
          fc.array(fc.boolean(), { maxLength: 20 }),
          async (input, cuts, readNow) => {
            const text = JSON.stringify(input);
            const chunks = chunksOf(text, cuts);

            // On time: every snapshot read as its event is emitted.
            const onTime: unknown[] = [];
            await new Promise<void>((resolve, reject) =>
              from(toolMessage(chunks))
                .pipe(messageStreamEvents())
                .subscribe({ next: (event) => event.type === 'input_json' && onTime.push(event.snapshot), error: reject, complete: resolve }),
            );

            // Mixed: some read on time, the rest only after the stream completed.
            const mixed: Array<{ event: InputJsonEvent; value?: unknown }> = [];
            let finished: unknown;
            await new Promise<void>((resolve, reject) =>
              from(toolMessage(chunks))
                .pipe(messageStreamEvents())
                .subscribe({
                  next: (event) => {
                    if (event.type === 'input_json') {
                      const entry: { event: InputJsonEvent; value?: unknown } = { event };
                      if (readNow[mixed.length % Math.max(1, readNow.length)]) entry.value = event.snapshot;
                      mixed.push(entry);
                    }
                    if (event.type === 'content_block_stop' && event.index === 1) finished = (event.content_block as { input: unknown }).input;
                  },
                  error: reject,
                  complete: resolve,
                }),
            );
            const mixedValues = mixed.map((entry) => ('value' in entry ? entry.value : entry.event.snapshot));

            expect(mixedValues).toEqual(onTime);
            for (let i = 1; i < onTime.length; i += 1) expect(isPrefixOf(onTime[i - 1], onTime[i])).toBe(true);
            const whole = JSON.parse(chunks.join('')) as unknown;
            expect(finished).toEqual(whole);
            expect(onTime.at(-1)).toEqual(whole);
            // Each snapshot is what a fresh parser makes of the text up to that fragment.
            let prefix = '';
            chunks.forEach((chunk, i) => {
              prefix += chunk;
              const parser = new PartialJsonParser();
              parser.push(prefix);
              expect(onTime[i]).toEqual(parser.snapshot() ?? {});
            });
          },
        ),
        { seed: 20260819, numRuns: 150 },
      );
    });

    it('keeps a number at its last complete value while it is not a valid number yet, so it never vanishes', async () => {
      const { events, block } = await inputEvents(['{"n": 8', '.', '5}']);
      expect(events.map((event) => event.snapshot)).toEqual([{ n: 8 }, { n: 8 }, { n: 8.5 }]);
      expect(block).toEqual(expect.objectContaining({ input: { n: 8.5 } }));
    });

    it('reading the snapshot of an event does not change the snapshot of an earlier one', async () => {
      const { events, block } = await inputEvents(['{"a": "x', 'y', 'z"}']);
      expect(events[2]?.snapshot).toEqual({ a: 'xyz' });
      expect(events[0]?.snapshot).toEqual({ a: 'x' });
      expect(events[1]?.snapshot).toEqual({ a: 'xy' });
      expect(block).toEqual({ type: 'tool_use', id: 'toolu_1', name: 'get_weather', input: { a: 'xyz' } });
    });
  });

  describe('a synchronous source', () => {
    it('stops being pulled as soon as the consumer unsubscribes, even between a delta and its derived event', () => {
      const { source, pulled } = endlessTextStream();
      const seen: MessageStreamEvent[] = [];
      source.pipe(messageStreamEvents(), take(3)).subscribe((event) => seen.push(event));
      expect(types(seen)).toEqual(['message_start', 'content_block_start', 'content_block_delta']);
      expect(pulled()).toBe(3);
    });

    it('stops being pulled when the operator fails', () => {
      const { source, pulled } = endlessTextStream(6);
      let error: unknown;
      source.pipe(messageStreamEvents()).subscribe({ error: (e: unknown) => (error = e) });
      expect(error).toBeInstanceOf(StreamDecodeError);
      expect(pulled()).toBe(7); // the bad event was the last one pulled
    });
  });

  describe('marbles', () => {
    it('emits each raw event at its frame, a delta and its derived event together', () => {
      testScheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
        const [start, block, d1, d2, stop] = [messageStart(), textStart(0), textDelta(0, 'Hi'), textDelta(0, '!'), blockStop(0)];
        const source = cold('-a-b-c----d----e---|', { a: start, b: block, c: d1, d: d2, e: stop });
        expectObservable(source.pipe(messageStreamEvents())).toBe('-a-b-(cC)-(dD)-e---|', {
          a: start,
          b: block,
          c: d1,
          C: { type: 'text', index: 0, text: 'Hi', snapshot: 'Hi' },
          d: d2,
          D: { type: 'text', index: 0, text: '!', snapshot: 'Hi!' },
          e: { type: 'content_block_stop', index: 0, content_block: { type: 'text', text: 'Hi!' } },
        });
        expectSubscriptions(source.subscriptions).toBe('^------------------!');
      });
    });

    it('fails at the frame of the delta that makes the tool input invalid, without emitting it, and unsubscribes', () => {
      testScheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
        const [start, block, good, bad] = [messageStart(), toolStart(0), inputJsonDelta(0, '{"a": tru'), inputJsonDelta(0, 'x}')];
        const source = cold('-a-b-c---d-e-f|', { a: start, b: block, c: good, d: bad, e: blockStop(0), f: messageStop() });
        expectObservable(source.pipe(messageStreamEvents())).toBe(
          '-a-b-(cC)#',
          { a: start, b: block, c: good, C: { type: 'input_json', index: 0, partial_json: '{"a": tru', snapshot: {} } },
          expect.objectContaining({ constructor: ToolInputParseError, raw: '{"a": trux}', blockIndex: 0 }),
        );
        expectSubscriptions(source.subscriptions).toBe('^--------!');
      });
    });

    it('unsubscribing mid-stream ends the source subscription at that frame', () => {
      testScheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
        const source = cold('-a-b-c-d-e|', { a: messageStart(), b: textStart(0), c: textDelta(0, 'x'), d: textDelta(0, 'y'), e: blockStop(0) });
        expectObservable(source.pipe(messageStreamEvents()), '^--!').toBe('-a-', { a: messageStart() });
        expectSubscriptions(source.subscriptions).toBe('^--!');
      });
    });

    it('passes the source error through, after the events before it', () => {
      testScheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
        const error = new OverloadedError(undefined, { type: 'overloaded_error', message: 'Overloaded' }, undefined);
        const source = cold('-a-b-#', { a: messageStart(), b: textStart(0) }, error);
        expectObservable(source.pipe(messageStreamEvents())).toBe('-a-b-#', { a: messageStart(), b: textStart(0) }, error);
        expectSubscriptions(source.subscriptions).toBe('^----!');
      });
    });

    it('fails at the frame of a delta for a block that was never started, and unsubscribes from the source', () => {
      testScheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
        const source = cold('-a-b--|', { a: messageStart(), b: textDelta(3, 'x') });
        expectObservable(source.pipe(messageStreamEvents())).toBe('-a-#', { a: messageStart() }, expect.any(StreamDecodeError));
        expectSubscriptions(source.subscriptions).toBe('^--!');
      });
    });

    it('works on a hot source from the frame of subscription', () => {
      testScheduler.run(({ hot, expectObservable, expectSubscriptions }) => {
        const source = hot('-a-^b-c-d----|', { a: messageStart({ id: 'missed' }), b: messageStart(), c: textStart(0), d: textDelta(0, 'x') });
        expectObservable(source.pipe(messageStreamEvents())).toBe('-b-c-(dD)-|', {
          b: messageStart(),
          c: textStart(0),
          d: textDelta(0, 'x'),
          D: { type: 'text', index: 0, text: 'x', snapshot: 'x' },
        });
        expectSubscriptions(source.subscriptions).toBe('^---------!');
      });
    });

    it('message_stop carries the finished message at its own frame', () => {
      testScheduler.run(({ cold, expectObservable }) => {
        const source = cold('-a-b-c|', { a: messageStart(), b: messageDelta(), c: messageStop() });
        expectObservable(source.pipe(messageStreamEvents())).toBe('-a-b-c|', {
          a: messageStart(),
          b: messageDelta(),
          c: {
            type: 'message_stop',
            message: {
              id: 'msg_1',
              type: 'message',
              role: 'assistant',
              model: 'claude-test',
              content: [],
              stop_reason: 'end_turn',
              stop_sequence: null,
              usage: { input_tokens: 10, output_tokens: 5 },
            },
          },
        });
      });
    });
  });
});
