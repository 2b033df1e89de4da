import { Observable, Subject, from, lastValueFrom, of, throwError, toArray } from 'rxjs';
import type { Message, RawMessageStreamEvent, Usage } from 'rx-anthropic';
import { messageStart } from '../operators/events';
import { meterBody, meterEvents, meterMessage, tokensOf, type MeteredAnswer } from '../../lib/proxy/meterUsage';

const usage = { input_tokens: 10, output_tokens: 1, cache_creation_input_tokens: 5, cache_read_input_tokens: null };
const start = messageStart({ usage });
const text = { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'message_delta is a word' } };
const delta = {
  type: 'message_delta',
  delta: { stop_reason: 'end_turn', stop_sequence: null },
  usage: { output_tokens: 20, input_tokens: null, cache_creation_input_tokens: null, cache_read_input_tokens: 7 },
};
const stop = { type: 'message_stop' };
const merged = { input_tokens: 10, output_tokens: 20, cache_creation_input_tokens: 5, cache_read_input_tokens: 7 };

const events = (...list: object[]) => list as unknown as RawMessageStreamEvent[];
const sse = (...list: { type: string }[]) => Buffer.from(list.map((event) => `event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`).join(''));

/** The meters under test, each with a way to turn events into its items. */
const meters = [
  ['meterEvents', meterEvents, (list: object[]) => events(...list)],
  ['meterBody', meterBody, (list: object[]) => list.map((event) => sse(event as { type: string }))],
] as const;

describe.each(meters)('%s', (_, meter, itemsOf) => {
  const run = (list: object[], source?: (items: unknown[]) => Observable<unknown>) => {
    const reports: MeteredAnswer[] = [];
    const items = itemsOf(list) as unknown[];
    const metered = (source ? source(items) : from(items)).pipe(meter((answer) => reports.push(answer)) as never) as Observable<unknown>;
    return { reports, metered, items };
  };

  it('reports once on completion: message_start’s usage with message_delta’s non-null fields over it, and the stop reason', async () => {
    const { reports, metered, items } = run([start, text, delta, stop]);
    expect(await lastValueFrom(metered.pipe(toArray()))).toEqual(items);
    expect(reports).toEqual([{ model: 'claude-test', usage: merged, stopReason: 'end_turn', durationMs: expect.any(Number) }]);
    expect(reports[0]?.durationMs).toBeGreaterThanOrEqual(0);
  });

  it('merges several deltas in order, a null stop reason keeping the one before', async () => {
    const later = { type: 'message_delta', delta: { stop_reason: null }, usage: { output_tokens: 25 } };
    const { reports, metered } = run([start, delta, later]);
    await lastValueFrom(metered);
    expect(reports).toEqual([{ model: 'claude-test', usage: { ...merged, output_tokens: 25 }, stopReason: 'end_turn', durationMs: expect.any(Number) }]);
  });

  it('reports what it has when the stream fails, and passes the error on', async () => {
    const failure = new Error('upstream cut');
    const { reports, metered } = run([start, text], (items) => new Observable((subscriber) => {
      items.forEach((item) => subscriber.next(item));
      subscriber.error(failure);
    }));
    await expect(lastValueFrom(metered)).rejects.toBe(failure);
    expect(reports).toEqual([{ model: 'claude-test', usage: usage, stopReason: null, durationMs: expect.any(Number) }]);
  });

  it('reports once when unsubscribed, with the time it ran', async () => {
    const source = new Subject<unknown>();
    const { reports, metered, items } = run([start, delta], () => source);
    const subscription = metered.subscribe();
    items.forEach((item) => source.next(item));
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(reports).toEqual([]);
    subscription.unsubscribe();
    subscription.unsubscribe();
    expect(reports).toHaveLength(1);
    expect(reports[0]).toMatchObject({ usage: merged, stopReason: 'end_turn' });
    expect(reports[0]?.durationMs).toBeGreaterThanOrEqual(25);
    expect(source.observed).toBe(false);
  });

  it('reports nothing for a stream without message_start, whatever its end', async () => {
    const first = run([text, delta, stop]);
    await lastValueFrom(first.metered);
    expect(first.reports).toEqual([]);
    const second = run([delta], (items) => new Observable((subscriber) => {
      items.forEach((item) => subscriber.next(item));
      subscriber.error(new Error('x'));
    }));
    await lastValueFrom(second.metered).catch(() => undefined);
    expect(second.reports).toEqual([]);
    const third = run([delta], (items) => new Observable((subscriber) => items.forEach((item) => subscriber.next(item))));
    third.metered.subscribe().unsubscribe();
    expect(third.reports).toEqual([]);
    const empty = run([]);
    await lastValueFrom(empty.metered, { defaultValue: undefined });
    expect(empty.reports).toEqual([]);
  });

  it('ignores a message_delta that comes before message_start', async () => {
    const { reports, metered } = run([delta, start]);
    await lastValueFrom(metered);
    expect(reports).toEqual([{ model: 'claude-test', usage: usage, stopReason: null, durationMs: expect.any(Number) }]);
  });

  it('meters each subscription on its own', async () => {
    const { reports, metered } = run([start, delta]);
    await lastValueFrom(metered);
    await lastValueFrom(metered);
    expect(reports).toHaveLength(2);
    expect({ ...reports[0], durationMs: 0 }).toEqual({ ...reports[1], durationMs: 0 });
  });
});

describe('meterBody', () => {
  const metered = async (chunks: Buffer[]) => {
    const reports: MeteredAnswer[] = [];
    await lastValueFrom(from(chunks).pipe(meterBody((answer) => reports.push(answer))), { defaultValue: undefined });
    return reports;
  };

  it('reads the usage events of chunks that hold several events, with \\r\\n line ends too', async () => {
    expect(await metered([Buffer.concat([sse(start, text), sse(delta, stop)])])).toMatchObject([{ usage: merged, stopReason: 'end_turn' }]);
    const crlf = Buffer.from(sse(start, text, delta).toString('utf8').replace(/\n/g, '\r\n'));
    expect(await metered([crlf])).toMatchObject([{ usage: merged, stopReason: 'end_turn' }]);
  });

  it('skips a message_start without a model or usage, and a message_delta without a delta', async () => {
    expect(await metered([sse(messageStart({ usage, model: 7 }), delta)])).toEqual([]);
    expect(await metered([sse(messageStart({ usage: null }), delta)])).toEqual([]);
    const noDelta = { type: 'message_delta', usage: { output_tokens: 99 } };
    expect(await metered([sse(start, noDelta)])).toMatchObject([{ usage: usage, stopReason: null }]);
  });

  it('reads the message_start of a stream once: a later one in another chunk neither resets nor replaces it', async () => {
    const other = messageStart({ usage: { input_tokens: 1, output_tokens: 1 }, model: 'claude-other' });
    expect(await metered([sse(start), sse(other), sse(delta)])).toMatchObject([{ model: 'claude-test', usage: merged, stopReason: 'end_turn' }]);
  });

  it('passes the bytes on untouched', async () => {
    const chunks = [sse(start), sse(text, delta)];
    expect(await lastValueFrom(from(chunks).pipe(meterBody(() => undefined), toArray()))).toEqual(chunks);
  });
});

describe('meterMessage', () => {
  const message = {
    id: 'msg_1',
    type: 'message',
    role: 'assistant',
    model: 'claude-test',
    content: [{ type: 'text', text: 'Hi' }],
    stop_reason: 'max_tokens',
    stop_sequence: null,
    usage: merged,
  } as unknown as Message;

  it('reports the message’s model, usage and stop reason when it arrives, once', async () => {
    const reports: MeteredAnswer[] = [];
    expect(await lastValueFrom(of(message).pipe(meterMessage((answer) => reports.push(answer))))).toBe(message);
    expect(reports).toEqual([{ model: 'claude-test', usage: merged, stopReason: 'max_tokens', durationMs: expect.any(Number) }]);
    expect(reports[0]?.durationMs).toBeGreaterThanOrEqual(0);
  });

  it('reports nothing for a request that failed or was abandoned before its message', async () => {
    const reports: MeteredAnswer[] = [];
    await lastValueFrom(throwError(() => new Error('400')).pipe(meterMessage((answer) => reports.push(answer)))).catch(() => undefined);
    new Subject<Message>().pipe(meterMessage((answer) => reports.push(answer))).subscribe().unsubscribe();
    expect(reports).toEqual([]);
  });

  it('counts the duration from the subscription', async () => {
    const reports: MeteredAnswer[] = [];
    const late = new Observable<Message>((subscriber) => {
      const timer = setTimeout(() => {
        subscriber.next(message);
        subscriber.complete();
      }, 30);
      return () => clearTimeout(timer);
    });
    await lastValueFrom(late.pipe(meterMessage((answer) => reports.push(answer))));
    expect(reports[0]?.durationMs).toBeGreaterThanOrEqual(25);
  });
});

describe('tokensOf', () => {
  it('sums the input, cache creation, cache read and output tokens', () => {
    expect(tokensOf(merged as Usage)).toBe(42);
  });

  it('counts missing or null cache fields as none', () => {
    expect(tokensOf({ input_tokens: 3, output_tokens: 4 } as Usage)).toBe(7);
    expect(tokensOf({ input_tokens: 3, output_tokens: 4, cache_creation_input_tokens: null, cache_read_input_tokens: null } as Usage)).toBe(7);
  });
});
