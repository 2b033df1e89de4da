import { from, lastValueFrom, last } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { aggregateUsage, type UsageFigures } from '../../lib/concurrency/aggregateUsage';
import type { TaggedEvent } from '../../lib/concurrency/TaggedEvent';
import type { TextEvent } from '../../lib/operators';
import type { RawMessageStreamEvent } from '../../lib/schema';
import type { ToolResultEvent } from '../../lib/tools';
import { messageDelta, messageStart, messageStop, textDelta, textStart } from '../operators/events';

let testScheduler: TestScheduler;
beforeEach(() => {
  testScheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
});

const figures = (inputTokens: number, outputTokens: number, cacheCreationInputTokens: number, cacheReadInputTokens: number, messages: number): UsageFigures => ({
  inputTokens,
  outputTokens,
  cacheCreationInputTokens,
  cacheReadInputTokens,
  messages,
});
/** The cost at 3 / 15 per million, cache writes 1.25×, reads 0.1× the input price. */
const priced = (f: UsageFigures): UsageFigures => ({
  ...f,
  cost: (f.inputTokens * 3 + f.outputTokens * 15 + f.cacheCreationInputTokens * (3 * 1.25) + f.cacheReadInputTokens * (3 * 0.1)) / 1_000_000,
});

const start1 = messageStart({ usage: { input_tokens: 10, output_tokens: 1, cache_creation_input_tokens: 5, cache_read_input_tokens: 20 } });
const delta1 = messageDelta(undefined, { output_tokens: 7 });
const sameAgain = messageDelta(undefined, { output_tokens: 7, input_tokens: null, cache_read_input_tokens: null });
const start2 = messageStart({ id: 'msg_2', usage: { input_tokens: 30, output_tokens: 1, cache_creation_input_tokens: null, cache_read_input_tokens: null } });
const delta2 = messageDelta({ stop_reason: 'end_turn', stop_sequence: null }, { output_tokens: 4, input_tokens: 32 });

describe('aggregateUsage', () => {
  it('counts a message once: message_delta replaces the cumulative figures of message_start', () => {
    testScheduler.run(({ cold, expectObservable }) => {
      const events = cold<RawMessageStreamEvent>('abcdefgh|', {
        a: start1,
        b: textStart(0),
        c: textDelta(0, 'Hi'),
        d: delta1,
        e: sameAgain,
        f: messageStop(),
        g: start2,
        h: delta2,
      });
      expectObservable(events.pipe(aggregateUsage())).toBe('p--q--rs|', {
        p: { ...figures(10, 1, 5, 20, 1), byKey: {} },
        q: { ...figures(10, 7, 5, 20, 1), byKey: {} },
        // A second message (a tool loop's next turn) adds up.
        r: { ...figures(40, 8, 5, 20, 2), byKey: {} },
        // Its message_delta overrides input_tokens too: only the difference is added.
        s: { ...figures(42, 11, 5, 20, 2), byKey: {} },
      });
    });
  });

  it('totals tagged events overall and by key, with the cost at the given prices', () => {
    testScheduler.run(({ cold, expectObservable }) => {
      const other = messageStart({ id: 'msg_b', usage: { input_tokens: 100, output_tokens: 1 } });
      const tagged = cold<TaggedEvent<'a' | 'b'>>('ab-cd|', {
        a: { key: 'a', event: start1 },
        b: { key: 'b', event: other },
        c: { key: 'b', event: messageDelta(undefined, { output_tokens: 50 }) },
        d: { key: 'a', event: delta1 },
      });
      const a1 = priced(figures(10, 1, 5, 20, 1));
      const a2 = priced(figures(10, 7, 5, 20, 1));
      const b1 = priced(figures(100, 1, 0, 0, 1));
      const b2 = priced(figures(100, 50, 0, 0, 1));
      expectObservable(tagged.pipe(aggregateUsage<'a' | 'b'>({ prices: { input: 3, output: 15 } }))).toBe('pq-rs|', {
        p: { ...priced(figures(10, 1, 5, 20, 1)), byKey: { a: a1 } },
        q: { ...priced(figures(110, 2, 5, 20, 2)), byKey: { a: a1, b: b1 } },
        r: { ...priced(figures(110, 51, 5, 20, 2)), byKey: { a: a1, b: b2 } },
        s: { ...priced(figures(110, 57, 5, 20, 2)), byKey: { a: a2, b: b2 } },
      });
    });
  });

  it('uses explicit cache prices and gives the cost in the prices currency', async () => {
    const totals = await lastValueFrom(
      from([start1, delta1]).pipe(aggregateUsage({ prices: { input: 3, output: 15, cacheWrite: 6, cacheRead: 0.3 } }), last()),
    );
    expect(totals.cost).toBeCloseTo((10 * 3 + 7 * 15 + 5 * 6 + 20 * 0.3) / 1e6, 12);
  });

  it('counts a message_delta whose message_start it never saw, and ignores events without usage', () => {
    testScheduler.run(({ cold, expectObservable }) => {
      const toolResult: ToolResultEvent = { type: 'tool_result', tool_use_id: 't', name: 'n', content: 'ok', is_error: false };
      const text: TextEvent = { type: 'text', index: 0, text: 'x', snapshot: 'x' };
      const events = cold('abc|', { a: toolResult, b: messageDelta(undefined, { output_tokens: 3 }), c: text });
      expectObservable(events.pipe(aggregateUsage())).toBe('-p-|', { p: { ...figures(0, 3, 0, 0, 1), byKey: {} } });
    });
  });

  it('passes errors through and stops with its subscriber', () => {
    testScheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const failing = cold('a-#', { a: start1 }, new Error('boom'));
      expectObservable(failing.pipe(aggregateUsage())).toBe('p-#', { p: { ...figures(10, 1, 5, 20, 1), byKey: {} } }, new Error('boom'));
      const endless = cold('a--b-a-b', { a: start1, b: delta1 });
      expectObservable(endless.pipe(aggregateUsage()), '^--!').toBe('p--', { p: { ...figures(10, 1, 5, 20, 1), byKey: {} } });
      expectSubscriptions(endless.subscriptions).toBe('^--!');
    });
  });
});
