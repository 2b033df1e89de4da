import { TestScheduler } from 'rxjs/testing';
import { streamMetrics, type StreamMetrics } from '../../lib/concurrency/streamMetrics';
import type { ThinkingEvent } from '../../lib/operators';
import type { ToolResultEvent } from '../../lib/tools';
import { blockStop, messageDelta, messageStart, messageStop, textDelta, textStart, thinkingDelta, thinkingStart } from '../operators/events';

let testScheduler: TestScheduler;
beforeEach(() => {
  testScheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
});

const m = (elapsedMs: number, ttftMs: number | undefined, outputTokens: number, estimated: boolean, tokensPerSecond: number, done = false): StreamMetrics => ({
  elapsedMs,
  ttftMs,
  outputTokens,
  estimated,
  tokensPerSecond,
  done,
});

describe('streamMetrics', () => {
  it('gives TTFT, estimated then exact output tokens, tokens/s, and a last update when done', () => {
    testScheduler.run(({ cold, expectObservable }) => {
      const events = cold('a--bc--d-ef|', {
        a: messageStart(), // usage.output_tokens: 1
        b: textStart(0),
        c: textDelta(0, 'Hello world!'), // 12 characters ≈ 3 tokens
        d: textDelta(0, 'abcdefgh'), // 20 characters ≈ 5 tokens
        e: messageDelta(undefined, { output_tokens: 6 }),
        f: messageStop(),
      });
      expectObservable(events.pipe(streamMetrics({ scheduler: testScheduler }))).toBe('a--bc--d-ef(g|)', {
        a: m(0, undefined, 1, false, 0),
        b: m(3, undefined, 1, false, 0),
        c: m(4, 4, 3, true, 0),
        d: m(7, 4, 5, true, (5 * 1000) / 3),
        e: m(9, 4, 6, false, (6 * 1000) / 5),
        f: m(10, 4, 6, false, (6 * 1000) / 6),
        g: m(11, 4, 6, false, (6 * 1000) / 7, true),
      });
    });
  });

  it('adds up the turns of a tool loop and skips the events that are not raw stream events', () => {
    testScheduler.run(({ cold, expectObservable }) => {
      const events = cold('abcdefg|', {
        a: messageStart(),
        b: thinkingStart(0),
        c: thinkingDelta(0, 'Let me think'), // 12 characters ≈ 3 tokens
        d: { type: 'thinking', index: 0, thinking: 'Let me think', snapshot: 'Let me think' } satisfies ThinkingEvent,
        e: messageDelta({ stop_reason: 'tool_use', stop_sequence: null }, { output_tokens: 9 }),
        f: { type: 'tool_result', tool_use_id: 't', name: 'n', content: 'ok', is_error: false } satisfies ToolResultEvent,
        g: messageStart({ id: 'msg_2', usage: { input_tokens: 20, output_tokens: 2 } }),
      });
      expectObservable(events.pipe(streamMetrics({ scheduler: testScheduler }))).toBe('abc-e-g(h|)', {
        a: m(0, undefined, 1, false, 0),
        b: m(1, undefined, 1, false, 0),
        c: m(2, 2, 3, true, 0),
        e: m(4, 2, 9, false, (9 * 1000) / 2),
        g: m(6, 2, 11, false, (11 * 1000) / 4),
        h: m(7, 2, 11, false, (11 * 1000) / 5, true),
      });
    });
  });

  it('takes another token estimate', () => {
    testScheduler.run(({ cold, expectObservable }) => {
      const events = cold('ab|', { a: messageStart({ usage: { input_tokens: 1, output_tokens: 0 } }), b: textDelta(0, 'two words') });
      const metrics$ = events.pipe(streamMetrics({ scheduler: testScheduler, estimateTokens: (characters) => characters }));
      expectObservable(metrics$).toBe('ab(c|)', {
        a: m(0, undefined, 0, false, 0),
        b: m(1, 1, 9, true, 0),
        c: m(2, 1, 9, true, 9000, true),
      });
    });
  });

  it('passes an error through without a done update, and stops with its subscriber', () => {
    testScheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const failing = cold('a-#', { a: messageStart() }, new Error('cut'));
      expectObservable(failing.pipe(streamMetrics({ scheduler: testScheduler }))).toBe('a-#', { a: m(0, undefined, 1, false, 0) }, new Error('cut'));
      const endless = cold('a-b-c-d', { a: messageStart(), b: textStart(0), c: blockStop(0), d: textDelta(0, 'x') });
      expectObservable(endless.pipe(streamMetrics({ scheduler: testScheduler })), '^--!').toBe('a-b', {
        a: m(0, undefined, 1, false, 0),
        b: m(2, undefined, 1, false, 0),
      });
      expectSubscriptions(endless.subscriptions).toBe('^--!');
    });
  });

  it('times from subscription: a late subscriber measures its own request', () => {
    testScheduler.run(({ cold, expectObservable }) => {
      const events = cold('a-b|', { a: messageStart(), b: textDelta(0, 'abcd') });
      expectObservable(events.pipe(streamMetrics({ scheduler: testScheduler })), '---^').toBe('---a-b(c|)', {
        a: m(0, undefined, 1, false, 0),
        b: m(2, 2, 1, false, 0),
        c: m(3, 2, 1, false, 1000, true),
      });
    });
  });
});
