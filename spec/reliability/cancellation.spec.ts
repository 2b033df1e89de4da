/**
 * Cancellation: unsubscribing (or aborting through a signal) at random points, before the
 * headers, in the middle of the body, during a retry delay, while the server stalls, and for
 * many streams at once. Each time `finalize` runs, the server sees its socket closed within a
 * short bound, no request is sent afterwards, and no socket or timer is left behind (the guard
 * counts the process's handles after every test).
 */
import fc from 'fast-check';
import { VirtualTimeScheduler, lastValueFrom, switchMap, take, takeUntil, timer, toArray } from 'rxjs';
import { APIUserAbortError, finalText, textDeltas } from 'rx-anthropic';
import { errorReply, sseReply, textReply, type MockTurn } from 'rx-anthropic/testing';
import { guardLeaks, sleep, within } from './support/guard';
import { expectTyped, runBounded } from './support/outcome';
import { recordFigures } from './support/recordFigures';
import { allFixtures, clientOf, params } from './support/streams';
import { FAR_TIMEOUT_MS } from './support/virtualTime';

const guard = guardLeaks();
const SEED = Number(process.env['RX_FUZZ_SEED'] ?? 20_250_601);
const RUNS = Math.max(1, Math.round(40 * Number(process.env['RX_FUZZ_SCALE'] ?? 1)));
const tally: Record<string, number> = {};
afterAll(() => recordFigures('cancellation', { seed: SEED, randomRuns: RUNS, stops: tally, leakChecks: guard.checks.count }));

/** Small recorded streams, so that a run with frames 0–4 ms apart stays short. */
const streams = allFixtures()
  .filter((f) => f.sse.length < 5_000)
  .map((f) => f.sse);

const stop = fc.oneof(
  fc.record({ kind: fc.constant('take' as const), events: fc.integer({ min: 0, max: 12 }) }),
  fc.record({ kind: fc.constant('after ms' as const), ms: fc.integer({ min: 0, max: 30 }) }),
  fc.record({ kind: fc.constant('abort signal' as const), ms: fc.integer({ min: 0, max: 30 }) }),
);

describe('unsubscribing at random points', () => {
  it(`always runs finalize, closes the socket and sends nothing more (${RUNS} seeded runs)`, async () => {
    let turn: MockTurn = sseReply('');
    const server = await guard.serve(() => turn);
    const client = clientOf(server.baseURL, { maxRetries: 2 });
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: streams.length - 1 }),
        fc.integer({ min: 0, max: 4 }),
        fc.integer({ min: 0, max: 15 }),
        stop,
        async (stream, chunkDelayMs, delayMs, how) => {
          tally[how.kind] = (tally[how.kind] ?? 0) + 1;
          turn = sseReply(streams[stream] ?? '', { chunkDelayMs, delayMs });
          const before = server.requests.length;
          const controller = new AbortController();
          let stream$ = client.messages.stream(params, { signal: controller.signal });
          if (how.kind === 'take') stream$ = stream$.pipe(take(how.events));
          if (how.kind === 'after ms') stream$ = stream$.pipe(takeUntil(timer(how.ms)));
          if (how.kind === 'abort signal') setTimeout(() => controller.abort(), how.ms);
          const outcome = await runBounded(stream$, 5_000);
          expect(outcome.finalized).toBe(true);
          if (outcome.error !== undefined) expectTyped(outcome.error, APIUserAbortError);
          if (how.kind === 'abort signal') await sleep(how.ms + 1);
          // Whatever reached the server is over within the bound: sent whole, or closed by the client.
          await sleep(5);
          for (const request of server.requests.slice(before)) {
            await within(request.closed, 1_000, 'the server seeing the exchange end');
            expect(request.completed || request.abortedByClient).toBe(true);
          }
          expect(server.requests.length - before).toBeLessThanOrEqual(1);
        },
      ),
      { seed: SEED, numRuns: RUNS },
    );
  });
});

describe('unsubscribing in each state of a request', () => {
  it('before the headers arrive: the server sees the client leave', async () => {
    const server = await guard.serve([{ ...textReply('late'), delayMs: 2_000 }]);
    const subscription = clientOf(server.baseURL).messages.stream(params).subscribe();
    const request = await server.waitForRequest(0);
    subscription.unsubscribe();
    await within(request.closed, 1_000, 'the server seeing the socket close');
    expect(request.abortedByClient).toBe(true);
  });

  it('while the server stalls after the headers: the socket and the idle watchdog go', async () => {
    const server = await guard.serve([{ ...textReply('never'), hangAfterHeaders: true }]);
    const seen: number[] = [];
    const subscription = clientOf(server.baseURL, { timeout: 60_000 })
      .messages.stream(params, { onResponse: (info) => seen.push(info.status) })
      .subscribe();
    const request = await server.waitForRequest(0);
    while (seen.length === 0) await sleep(2);
    subscription.unsubscribe();
    await within(request.closed, 1_000, 'the server seeing the socket close');
    expect(request.abortedByClient).toBe(true);
  });

  it('during a retry delay: the retry is cancelled and never sent', async () => {
    const server = await guard.serve([errorReply(529, { headers: { 'retry-after': '30' } }), textReply('never sent')]);
    const scheduler = new VirtualTimeScheduler();
    const subscription = clientOf(server.baseURL, { maxRetries: 2, scheduler, timeout: FAR_TIMEOUT_MS }).messages.stream(params).subscribe();
    await within((await server.waitForRequest(0)).closed, 1_000, 'the first exchange ending');
    // The attempt's idle watchdog goes with its response; then the only action is the retry.
    while (!(scheduler.actions.length === 1 && scheduler.actions[0]?.delay === 30_000)) await sleep(2);
    subscription.unsubscribe();
    expect(scheduler.actions).toHaveLength(0);
    scheduler.flush();
    await sleep(20);
    expect(server.requests).toHaveLength(1);
  });

  it('in the middle of the body, after the first text: the rest is not read', async () => {
    const server = await guard.serve([textReply('one two three four five six', { chunkSize: 1, chunkDelayMs: 20 })]);
    const first = await lastValueFrom(clientOf(server.baseURL).messages.stream(params).pipe(textDeltas(), take(2), toArray()));
    expect(first).toEqual(['o', 'n']);
    const request = await server.waitForRequest(0);
    await within(request.closed, 1_000, 'the server seeing the socket close');
    expect(request.abortedByClient).toBe(true);
  });

  it('switchMap to a new request aborts the previous one each time; only the last one finishes', async () => {
    const server = await guard.serve((_, index) => textReply(`answer ${index}`, { chunkSize: 2, chunkDelayMs: 15 }));
    const client = clientOf(server.baseURL);
    const texts = await lastValueFrom(
      timer(0, 40).pipe(
        take(5),
        switchMap(() => client.messages.stream(params).pipe(finalText())),
        toArray(),
      ),
    );
    expect(texts).toEqual(['answer 4']);
    expect(server.requests).toHaveLength(5);
    for (const request of server.requests.slice(0, 4)) {
      await within(request.closed, 1_000, 'the server seeing the socket close');
      expect(request.abortedByClient).toBe(true);
    }
  });

  it('100 streams unsubscribed at once: every socket closes', async () => {
    const server = await guard.serve(() => textReply('slow '.repeat(200), { chunkSize: 3, chunkDelayMs: 50 }));
    // A generous timeout: under --detectOpenHandles (async hooks on) 100 sockets start slowly.
    const client = clientOf(server.baseURL, { timeout: 60_000 });
    const errors: unknown[] = [];
    const subscriptions = Array.from({ length: 100 }, () => client.messages.stream(params).subscribe({ error: (error: unknown) => errors.push(error) }));
    for (let i = 0; i < 100; i += 1) await server.waitForRequest(i);
    await sleep(30);
    subscriptions.forEach((subscription) => subscription.unsubscribe());
    expect(errors).toEqual([]);
    await within(Promise.all(server.requests.map((request) => request.closed)), 2_000, 'every socket closing');
    expect(server.requests.every((request) => request.abortedByClient)).toBe(true);
    const deadline = Date.now() + 2_000;
    while (server.openConnections() > 0 && Date.now() < deadline) await sleep(10);
    expect(server.openConnections()).toBe(0);
  });
});
