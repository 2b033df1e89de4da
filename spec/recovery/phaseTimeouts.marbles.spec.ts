/**
 * Timeouts by phase in virtual time: `phaseTimeouts` (firstTokenMs, totalMs over a whole stream)
 * as marbles, then every phase through a client on a VirtualTimeScheduler, against the real
 * transport and a fetch the test drives step by step.
 */
import { lastValueFrom, type Observable, VirtualTimeScheduler } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { APITimeoutError, createClient, InvalidArgumentError, type ClientOptions, type MessageCreateParams, type RecoveryEvent } from 'rx-anthropic';
import { phaseTimeouts } from '../../lib/recovery/phaseTimeouts';
import type { PhaseTimeouts } from '../../lib/recovery/RecoveryOptions';
import type { RawMessageStreamEvent } from '../../lib/schema';
import { messageStart, messageStop, textDelta, textStart } from '../operators/events';
import { advanceTo, controlledFetch, MESSAGE_END, MESSAGE_START, PING, settle, TEXT_START, textDelta as textDeltaFrame } from './support/controlledFetch';

const params: MessageCreateParams = { model: 'claude-sonnet-4-6', max_tokens: 100, messages: [{ role: 'user', content: 'Hi' }] };
const values: Record<string, RawMessageStreamEvent> = { M: messageStart(), S: textStart(0), D: textDelta(0, 'Hi'), Z: messageStop() };

describe('phaseTimeouts (marbles)', () => {
  let scheduler: TestScheduler;
  beforeEach(() => {
    scheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
  });

  const timed = (timeout: number | PhaseTimeouts, source: Observable<RawMessageStreamEvent>) => {
    const reports: RecoveryEvent[] = [];
    const stream = phaseTimeouts(() => source, { options: { timeout }, scheduler, report: (event) => reports.push(event) })(params);
    return { stream, reports };
  };

  it('firstTokenMs: fails with APITimeoutError naming the phase when no content came in time, and aborts the request', () => {
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('M 20ms S D Z|', values);
      const { stream, reports } = timed({ firstTokenMs: 10 }, source);
      expectObservable(stream).toBe('M 9ms #', values, new APITimeoutError(10, 'firstToken'));
      expectSubscriptions(source.subscriptions).toBe('^ 9ms !');
      scheduler.flush();
      expect(reports).toEqual([{ kind: 'timeout', at: 10, phase: 'firstToken', ms: 10, reason: 'Request timed out: no content within firstTokenMs 10 ms.' }]);
    });
  });

  it('firstTokenMs: a content_block_start in time stops the clock, however long the rest takes', () => {
    scheduler.run(({ cold, expectObservable }) => {
      const { stream, reports } = timed({ firstTokenMs: 10 }, cold('M 8ms S 30ms D Z|', values));
      expectObservable(stream).toBe('M 8ms S 30ms D Z|', values);
      scheduler.flush();
      expect(reports).toEqual([]);
    });
  });

  it('firstTokenMs: a delta counts as content too (a stream whose block start was not seen)', () => {
    scheduler.run(({ cold, expectObservable }) => {
      const { stream } = timed({ firstTokenMs: 10 }, cold('M 8ms D 30ms Z|', values));
      expectObservable(stream).toBe('M 8ms D 30ms Z|', values);
    });
  });

  it('totalMs: fails while content still flows, and aborts the request', () => {
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('M 2ms S 2ms D 20ms Z|', values);
      const { stream, reports } = timed({ totalMs: 10 }, source);
      expectObservable(stream).toBe('M 2ms S 2ms D 3ms #', values, new APITimeoutError(10, 'total'));
      expectSubscriptions(source.subscriptions).toBe('^ 9ms !');
      scheduler.flush();
      expect(reports).toEqual([{ kind: 'timeout', at: 10, phase: 'total', ms: 10, reason: 'Request timed out: not finished within totalMs 10 ms.' }]);
    });
  });

  it('the first phase to pass fires, once', () => {
    scheduler.run(({ cold, expectObservable }) => {
      const { stream, reports } = timed({ firstTokenMs: 10, totalMs: 6 }, cold('M 20ms S|', values));
      expectObservable(stream).toBe('M 5ms #', values, new APITimeoutError(6, 'total'));
      scheduler.flush();
      expect(reports.map((event) => event.kind === 'timeout' && event.phase)).toEqual(['total']);
    });
  });

  it('a stream that ends in time, or is left, stops both clocks: nothing fires later', () => {
    scheduler.run(({ cold, expectObservable }) => {
      const finished = timed({ firstTokenMs: 10, totalMs: 20 }, cold('M S D Z|', values));
      expectObservable(finished.stream).toBe('M S D Z|', values);
      const left = timed({ firstTokenMs: 10, totalMs: 20 }, cold('M 30ms S|', values));
      expectObservable(left.stream, '^ 4ms !').toBe('M', values);
      scheduler.flush();
      expect(scheduler.now()).toBeLessThan(10);
      expect([...finished.reports, ...left.reports]).toEqual([]);
    });
  });

  it('is send itself for a plain number or idleMs alone (each HTTP attempt watches those)', () => {
    const send = () => cold$;
    const cold$ = new TestScheduler(() => undefined).createColdObservable<RawMessageStreamEvent>('|');
    for (const timeout of [60_000, { idleMs: 5_000 }, {}]) {
      expect(phaseTimeouts(send, { options: { timeout }, scheduler, report: () => undefined })).toBe(send);
    }
  });

  it.each([
    [{ firstTokenMs: 0 }, "The timeout's firstTokenMs must be a number of milliseconds above 0 and at most 2147483647 (about 24.8 days; timers fire at once after a longer wait), not 0."],
    [{ idleMs: -1 }, "The timeout's idleMs must be a number of milliseconds above 0 and at most 2147483647 (about 24.8 days; timers fire at once after a longer wait), not -1."],
    [{ totalMs: 2 ** 31 }, "The timeout's totalMs must be a number of milliseconds above 0 and at most 2147483647 (about 24.8 days; timers fire at once after a longer wait), not 2147483648."],
    [{ totalMs: '5000' }, "The timeout's totalMs must be a number of milliseconds above 0 and at most 2147483647 (about 24.8 days; timers fire at once after a longer wait), not a string."],
    [{ firstTokenMS: 5000 }, 'The timeout has an unknown phase "firstTokenMS": the phases are firstTokenMs, idleMs and totalMs.'],
    [null, 'The timeout must be a number of milliseconds above 0 and at most 2147483647 (about 24.8 days; timers fire at once after a longer wait), not null.'],
  ])('refuses the timeout %p with InvalidArgumentError naming timeout', (timeout, message) => {
    const make = () => phaseTimeouts(() => new TestScheduler(() => undefined).createColdObservable('|'), { options: { timeout: timeout as PhaseTimeouts }, scheduler, report: () => undefined });
    expect(make).toThrow(message);
    expect(make).toThrow(InvalidArgumentError);
  });
});

describe('every phase through the client, in virtual time', () => {
  function setup(options: ClientOptions) {
    const scheduler = new VirtualTimeScheduler();
    const { fetch, exchanges } = controlledFetch();
    const reports: RecoveryEvent[] = [];
    const client = createClient({ apiKey: 'sk-test', baseURL: 'http://127.0.0.1:9', fetch, scheduler, onRecovery: (event) => reports.push(event), ...options });
    return { client, scheduler, exchanges, reports };
  }

  /** Subscribes and keeps what the stream gives: its events' types and its end. */
  function watch(stream: Observable<{ type: string }>) {
    const seen: { types: string[]; error?: unknown; complete: boolean } = { types: [], complete: false };
    const subscription = stream.subscribe({ next: (event) => seen.types.push(event.type), error: (error: unknown) => (seen.error = error), complete: () => (seen.complete = true) });
    return { seen, subscription };
  }

  it('idleMs: every event, pings included, keeps the stream alive; silence past idleMs fails it, reported, and aborts the request', async () => {
    const { client, scheduler, exchanges, reports } = setup({ timeout: { idleMs: 5_000 }, maxRetries: 0 });
    const { seen } = watch(client.messages.stream(params));
    await advanceTo(scheduler, 1_000);
    exchanges[0]!.respond();
    exchanges[0]!.send(MESSAGE_START);
    await advanceTo(scheduler, 5_500);
    exchanges[0]!.send(PING);
    await advanceTo(scheduler, 10_000);
    exchanges[0]!.send(TEXT_START + textDeltaFrame('Hel'));
    await advanceTo(scheduler, 14_999);
    expect(seen.error).toBeUndefined();
    await advanceTo(scheduler, 15_000);
    expect(seen.types).toEqual(['message_start', 'content_block_start', 'content_block_delta']);
    expect(seen.error).toBeInstanceOf(APITimeoutError);
    expect((seen.error as APITimeoutError).phase).toBe('idle');
    expect((seen.error as Error).message).toBe('Request timed out: nothing received for idleMs 5000 ms.');
    expect(exchanges[0]!.aborted()).toBe(true);
    expect(reports).toEqual([{ kind: 'timeout', at: 15_000, phase: 'idle', ms: 5_000, reason: 'Request timed out: nothing received for idleMs 5000 ms.' }]);
    expect(scheduler.actions).toHaveLength(0);
  });

  it('idleMs counts from the request going out: the headers alone do not restart it (the plain number’s wait does)', async () => {
    const phased = setup({ timeout: { idleMs: 5_000 }, maxRetries: 0 });
    const plain = setup({ timeout: 5_000, maxRetries: 0 });
    const byPhase = watch(phased.client.messages.stream(params));
    const byNumber = watch(plain.client.messages.stream(params));
    await Promise.all([advanceTo(phased.scheduler, 4_000), advanceTo(plain.scheduler, 4_000)]);
    phased.exchanges[0]!.respond();
    plain.exchanges[0]!.respond();
    await Promise.all([advanceTo(phased.scheduler, 5_000), advanceTo(plain.scheduler, 5_000)]);
    expect((byPhase.seen.error as APITimeoutError).phase).toBe('idle');
    expect(byNumber.seen.error).toBeUndefined();
    await advanceTo(plain.scheduler, 9_000);
    expect((byNumber.seen.error as APITimeoutError).message).toBe('Request timed out after 5000 ms.');
    expect((byNumber.seen.error as APITimeoutError).phase).toBeUndefined();
    expect(plain.reports).toEqual([]);
  });

  it('idleMs before the first byte is retried within maxRetries, as the plain number is, and not reported as a recovery', async () => {
    const { client, scheduler, exchanges, reports } = setup({ timeout: { idleMs: 5_000 }, maxRetries: 1 });
    const { seen } = watch(client.messages.stream(params));
    await advanceTo(scheduler, 5_000);
    expect(exchanges[0]!.aborted()).toBe(true);
    await advanceTo(scheduler, 5_600);
    expect(exchanges).toHaveLength(2);
    exchanges[1]!.respond();
    exchanges[1]!.send(MESSAGE_START + TEXT_START + textDeltaFrame('Hi') + MESSAGE_END);
    exchanges[1]!.end();
    await advanceTo(scheduler, 5_700);
    expect(seen.error).toBeUndefined();
    expect(seen.complete).toBe(true);
    expect(reports).toEqual([]);
  });

  it('firstTokenMs: message_start and pings are not content; the stream fails at firstTokenMs, reported, and the request is aborted', async () => {
    const { client, scheduler, exchanges, reports } = setup({ timeout: { firstTokenMs: 8_000 }, maxRetries: 0 });
    const { seen } = watch(client.messages.stream(params));
    await advanceTo(scheduler, 500);
    exchanges[0]!.respond();
    exchanges[0]!.send(MESSAGE_START);
    for (const time of [2_000, 4_000, 6_000]) {
      await advanceTo(scheduler, time);
      exchanges[0]!.send(PING);
    }
    await advanceTo(scheduler, 7_999);
    expect(seen.error).toBeUndefined();
    await advanceTo(scheduler, 8_000);
    expect(seen.types).toEqual(['message_start']);
    expect((seen.error as APITimeoutError).message).toBe('Request timed out: no content within firstTokenMs 8000 ms.');
    expect(exchanges[0]!.aborted()).toBe(true);
    expect(reports).toEqual([{ kind: 'timeout', at: 8_000, phase: 'firstToken', ms: 8_000, reason: 'Request timed out: no content within firstTokenMs 8000 ms.' }]);
    expect(scheduler.actions).toHaveLength(0);
  });

  it('firstTokenMs of a request replaces the client’s timeout; content in time lets the stream run past it', async () => {
    const { client, scheduler, exchanges, reports } = setup({ timeout: { firstTokenMs: 1_000 } });
    const { seen } = watch(client.messages.stream(params, { timeout: { firstTokenMs: 8_000 } }));
    await advanceTo(scheduler, 2_000);
    exchanges[0]!.respond();
    exchanges[0]!.send(MESSAGE_START + TEXT_START);
    await advanceTo(scheduler, 20_000);
    exchanges[0]!.send(textDeltaFrame('Hi') + MESSAGE_END);
    exchanges[0]!.end();
    await advanceTo(scheduler, 20_001);
    expect(seen.complete).toBe(true);
    expect(reports).toEqual([]);
  });

  it('totalMs of a stream: fails while content flows, reported once, the request aborted', async () => {
    const { client, scheduler, exchanges, reports } = setup({ timeout: { totalMs: 10_000 }, maxRetries: 0 });
    const { seen } = watch(client.messages.stream(params));
    await advanceTo(scheduler, 100);
    exchanges[0]!.respond();
    exchanges[0]!.send(MESSAGE_START + TEXT_START);
    for (let time = 1_000; time < 10_000; time += 1_000) {
      await advanceTo(scheduler, time);
      exchanges[0]!.send(textDeltaFrame('.'));
    }
    await advanceTo(scheduler, 10_000);
    expect(seen.types.filter((type) => type === 'content_block_delta')).toHaveLength(9);
    expect((seen.error as APITimeoutError).phase).toBe('total');
    expect(exchanges[0]!.aborted()).toBe(true);
    expect(reports).toEqual([{ kind: 'timeout', at: 10_000, phase: 'total', ms: 10_000, reason: 'Request timed out: not finished within totalMs 10000 ms.' }]);
    expect(scheduler.actions).toHaveLength(0);
  });

  it('totalMs of a request that is not streamed covers its retries, and is not retried', async () => {
    const { client, scheduler, exchanges } = setup({ timeout: { totalMs: 5_000 }, maxRetries: 5 });
    let error: unknown;
    client.messages.create(params).subscribe({ error: (e: unknown) => (error = e) });
    await advanceTo(scheduler, 1_000);
    exchanges[0]!.respond(529, { 'content-type': 'application/json' });
    exchanges[0]!.send(JSON.stringify({ type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } }));
    exchanges[0]!.end();
    await advanceTo(scheduler, 2_000);
    expect(exchanges).toHaveLength(2);
    await advanceTo(scheduler, 4_999);
    expect(error).toBeUndefined();
    await advanceTo(scheduler, 5_000);
    expect(error).toBeInstanceOf(APITimeoutError);
    expect((error as APITimeoutError).message).toBe('Request timed out: not finished within totalMs 5000 ms.');
    expect(exchanges[1]!.aborted()).toBe(true);
    await advanceTo(scheduler, 60_000);
    expect(exchanges).toHaveLength(2);
  });

  it('idleMs applies to a request that is not streamed: its wait for the answer', async () => {
    const { client, scheduler, exchanges } = setup({ maxRetries: 0 });
    let error: unknown;
    client.messages.countTokens(params, { timeout: { idleMs: 3_000 } }).subscribe({ error: (e: unknown) => (error = e) });
    await advanceTo(scheduler, 3_000);
    expect((error as APITimeoutError).phase).toBe('idle');
    expect(exchanges[0]!.aborted()).toBe(true);
  });

  it('refuses an invalid timeout of a request at subscribe, before anything is sent, for every call', async () => {
    const { client, exchanges } = setup({});
    const timeout = { idleMs: 0 } as PhaseTimeouts;
    const calls: Array<Observable<unknown>> = [client.messages.stream(params, { timeout }), client.messages.create(params, { timeout }), client.messages.countTokens(params, { timeout })];
    for (const call of calls) {
      const error = await lastValueFrom(call).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(InvalidArgumentError);
      expect((error as InvalidArgumentError).argument).toBe('timeout');
    }
    await settle();
    expect(exchanges).toHaveLength(0);
  });

  it('refuses an invalid timeout or hedge at createClient', () => {
    expect(() => createClient({ apiKey: 'k', timeout: { firstTokenMs: 0 } })).toThrow("The timeout's firstTokenMs must be a number of milliseconds above 0");
    expect(() => createClient({ apiKey: 'k', timeout: { idle: 5 } as PhaseTimeouts })).toThrow('The timeout has an unknown phase "idle"');
    expect(() => createClient({ apiKey: 'k', hedge: { afterMs: -1 } })).toThrow(InvalidArgumentError);
  });
});
