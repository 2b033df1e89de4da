/**
 * `resumeStreams` and the stop on unsubscribe, against a relay of the protocol `rx-anthropic/proxy`
 * speaks (`support/resumableRelay.ts`: a real loopback server that numbers its events, answers
 * `GET`/`DELETE /streams/:id`, and cuts its responses where told). Resume waits run on virtual
 * time (skipped, and recorded), the sockets are real; every test is bounded.
 */
import * as vm from 'node:vm';
import * as t from 'io-ts';
import { VirtualTimeScheduler, forkJoin, from, last, lastValueFrom, map, share, takeWhile, toArray, type Observable } from 'rxjs';
import {
  APIConnectionError,
  APITimeoutError,
  NotFoundError,
  accumulateMessage,
  createClient,
  decodeEvents,
  defineTool,
  finalMessage,
  fromSSE,
  textDeltas,
  type ClientOptions,
  type MessageCreateParams,
  type RawMessageStreamEvent,
} from 'rx-anthropic';
import { loadFixtures, seededRandom } from '../support/fixtures';
import { runInVirtualTime } from '../support/runInVirtualTime';
import { startResumableRelay, type RelayRequest, type ResumableRelay, type ResumableRelayOptions } from './support/resumableRelay';
import { sequenceNumberOf } from '../../lib/client/relayedEvents';

const params: MessageCreateParams = { model: 'claude-test', max_tokens: 1024, messages: [{ role: 'user', content: 'Tell me about eclipses' }] };
const API_KEY = 'sk-ant-relay-test-key';
const sdkFixture = (name: string): Buffer => loadFixtures('sdk-sse').find((fixture) => fixture.name === name)!.sse;
/** 21 events, a long text in 15 deltas: what is cut. */
const recorded = sdkFixture('text-long-end-turn');

/** Virtual time is only skipped up to here: the client's timeout lies far beyond, so only resume waits are skipped. */
const HORIZON_MS = 60_000;
const FAR_TIMEOUT_MS = 10 * HORIZON_MS;
const BOUND_MS = 5_000;
const realProcess = vm.runInThisContext('process') as NodeJS.Process;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let relays: ResumableRelay[] = [];
afterEach(async () => {
  await Promise.all(relays.map((relay) => relay.close()));
  relays = [];
});

async function relayOf(options: Partial<ResumableRelayOptions> & { now?: () => number } = {}): Promise<ResumableRelay> {
  const relay = await startResumableRelay({ streams: [recorded], ...options });
  relays.push(relay);
  return relay;
}

const clientOf = (relay: ResumableRelay, options: ClientOptions = {}) =>
  createClient({ baseURL: relay.baseURL, apiKey: API_KEY, maxRetries: 0, resumeStreams: true, timeout: FAR_TIMEOUT_MS, ...options });

/** Runs `source` in virtual time up to the horizon (resume waits skipped, the client's timeout not). */
const runOn = <T>(scheduler: VirtualTimeScheduler, source: Observable<T>) => runInVirtualTime(scheduler, source, HORIZON_MS, BOUND_MS);

/** Waits (at most 2 s) until the relay has got `count` requests that `match`. */
async function requestsOf(relay: ResumableRelay, match: (request: RelayRequest) => boolean, count: number): Promise<RelayRequest[]> {
  const deadline = Date.now() + 2_000;
  while (relay.requests.filter(match).length < count && Date.now() < deadline) await sleep(5);
  return relay.requests.filter(match);
}
const isDelete = (request: RelayRequest) => request.method === 'DELETE';
const isGet = (request: RelayRequest) => request.method === 'GET';

/** What every operator makes of one subscription's events, the operators sharing it. */
function underOperators(events: Observable<RawMessageStreamEvent>) {
  const shared = events.pipe(share());
  return forkJoin({
    events: shared.pipe(toArray()),
    text: shared.pipe(
      textDeltas(),
      toArray(),
      map((parts) => parts.join('')),
    ),
    final: shared.pipe(finalMessage()),
    accumulated: shared.pipe(accumulateMessage(), last()),
  });
}

let reference: { events: RawMessageStreamEvent[]; text: string; final: unknown };
beforeAll(async () => {
  const whole = await lastValueFrom(underOperators(from([recorded]).pipe(fromSSE(), decodeEvents())));
  reference = { events: whole.events, text: whole.text, final: whole.final };
  expect(whole.events.filter((event) => event.type === 'message_stop')).toHaveLength(1);
  expect(whole.text.length).toBeGreaterThan(1000);
});

describe('resumeStreams: a dropped stream goes on where it broke off', () => {
  /**
   * 30 cuts: before any byte, at frame ends, one byte short of them, and seeded points in between;
   * every third run cut again on resume, every other one resent events it had whole.
   */
  function cutPoints(relay: ResumableRelay): number[] {
    const ends = relay.frameEnds(0);
    const length = relay.numbered(0).length;
    const random = seededRandom(20_251_206);
    const points = new Set<number>([0, 1, ends[0]!, ends[0]! - 1, ends[5]!, ends[5]! - 1, ends[12]!, ends[ends.length - 2]!, ends[ends.length - 2]! + 3, length - 1]);
    while (points.size < 30) points.add(Math.floor(random() * length));
    return [...points].sort((a, b) => a - b);
  }

  it('gives, for a cut at any of 30 points (mid-event and between events), the events, text and message of the uncut stream', async () => {
    const probe = await relayOf();
    const cuts = cutPoints(probe);
    const ends = probe.frameEnds(0);
    const random = seededRandom(7);
    expect(cuts).toHaveLength(30);
    for (const [run, cut] of cuts.entries()) {
      const wholeBefore = ends.filter((end) => end <= cut).length;
      // Every other run, the relay sends the last three events again: they must be dropped.
      const overlap = run % 2 === 1 ? 3 : 0;
      const resent = Math.max(0, wholeBefore - overlap);
      const remaining = probe.numbered(0).length - (resent === 0 ? 0 : ends[resent - 1]!);
      const again = run % 3 === 2 ? [{ cutAfter: Math.floor(random() * remaining) }] : [];
      const relay = await relayOf({ responses: [{ cutAfter: cut }, ...again], overlap });
      const scheduler = new VirtualTimeScheduler();
      const outcome = await runOn(scheduler, underOperators(clientOf(relay, { scheduler }).messages.stream(params)));

      const context = `cut after byte ${cut}${again.length ? `, then after byte ${again[0]!.cutAfter} of the resume` : ''}, overlap ${overlap}`;
      expect([context, outcome.error]).toEqual([context, undefined]);
      const result = outcome.values[0]!;
      expect(result.events).toEqual(reference.events);
      expect(result.events.filter((event) => event.type === 'message_stop')).toHaveLength(1);
      expect(Buffer.from(result.text).equals(Buffer.from(reference.text))).toBe(true);
      expect(result.final).toEqual(reference.final);
      expect(result.accumulated).toEqual(reference.final);

      const gets = relay.requests.filter(isGet);
      expect(relay.requests[0]).toMatchObject({ method: 'POST', path: '/v1/messages' });
      expect(gets[0]).toMatchObject({ path: '/streams/s0', lastEventId: String(wholeBefore), apiKey: API_KEY });
      expect(gets.length).toBe(1 + again.length);
      expect(Number(gets[gets.length - 1]!.lastEventId)).toBeGreaterThanOrEqual(wholeBefore);
      // One wait per reconnection, within the backoff of a first (or, after a resume that brought nothing, a second) attempt.
      expect(outcome.delays).toHaveLength(gets.length);
      for (const delay of outcome.delays) expect(delay >= 375 && delay <= 1_000).toBe(true);
      // The stream ended: nothing to stop.
      expect(relay.requests.filter(isDelete)).toHaveLength(0);
    }
  }, 30_000);

  it('counts attempts from the last new event: seven drops in a row, each after progress, still end well', async () => {
    const probe = await relayOf();
    const ends = probe.frameEnds(0);
    // The POST is cut 5 bytes into frame 3; each resume brings one whole frame more and 5 bytes of the next.
    const responses = [{ cutAfter: ends[2]! + 5 }];
    for (let resume = 0; resume < 6; resume += 1) {
      const from = ends[2 + resume]!;
      responses.push({ cutAfter: ends[3 + resume]! - from + 5 });
    }
    const relay = await relayOf({ responses });
    const scheduler = new VirtualTimeScheduler();
    const outcome = await runOn(scheduler, clientOf(relay, { scheduler }).messages.stream(params).pipe(toArray()));
    expect(outcome.error).toBeUndefined();
    expect(outcome.values[0]).toEqual(reference.events);
    expect(relay.requests.filter(isGet).map((request) => request.lastEventId)).toEqual(['3', '4', '5', '6', '7', '8', '9']);
    // Every one a first attempt again: 0.5 s less up to a quarter.
    expect(outcome.delays).toHaveLength(7);
    for (const delay of outcome.delays) expect(delay >= 375 && delay <= 500).toBe(true);
  });

  it('caps the attempts at 5, spaced 0.5, 1, 2, 4 and 8 s (up to a quarter less), then fails with the original drop', async () => {
    const scheduler = new VirtualTimeScheduler();
    const probe = await relayOf();
    const cut = probe.frameEnds(0)[4]! + 9;
    const relay = await relayOf({ responses: [{ cutAfter: cut }], resume: 'drop', now: () => scheduler.now() });
    const outcome = await runOn(scheduler, clientOf(relay, { scheduler }).messages.stream(params));

    expect(outcome.delays).toHaveLength(5);
    outcome.delays.forEach((delay, attempt) => {
      const full = 500 * 2 ** attempt;
      expect([attempt, delay >= 0.75 * full && delay <= full]).toEqual([attempt, true]);
    });
    // Each GET went out when its wait was over, on the client's scheduler.
    const gets = relay.requests.filter(isGet);
    let elapsed = 0;
    expect(gets.map((request) => request.at)).toEqual(outcome.delays.map((delay) => (elapsed += delay)));
    expect(new Set(gets.map((request) => request.lastEventId))).toEqual(new Set(['5']));

    expect(outcome.values).toEqual(reference.events.slice(0, outcome.values.length));
    expect(outcome.values.length).toBeGreaterThan(0);
    const error = outcome.error as APIConnectionError;
    expect(error).toBeInstanceOf(APIConnectionError);
    expect(error).not.toBeInstanceOf(APITimeoutError);
    expect(error.message).toMatch(/^Connection error: .*The stream was not resumed: 5 attempts to reconnect to GET \/streams\/s0 brought no new event \(the last: Connection error: /s);
    expect(error.cause).toBeInstanceOf(APIConnectionError);
    expect(error.cause).not.toBe(error);
    // Given up while the relay still runs it: stopped.
    expect(await requestsOf(relay, isDelete, 1)).toMatchObject([{ path: '/streams/s0', apiKey: API_KEY }]);
  });

  it('fails at once with the original drop error on a 404, saying why, the 404 as its cause', async () => {
    const probe = await relayOf();
    const relay = await relayOf({ responses: [{ cutAfter: probe.frameEnds(0)[6]! + 20 }], resume: 'not-found' });
    const scheduler = new VirtualTimeScheduler();
    const outcome = await runOn(scheduler, clientOf(relay, { scheduler }).messages.stream(params));

    const error = outcome.error as APIConnectionError;
    expect(error).toBeInstanceOf(APIConnectionError);
    expect(error.name).toBe('APIConnectionError');
    expect(error.message).toMatch(/^Connection error: .* The stream was not resumed: GET \/streams\/s0 answered 404: /s);
    expect(error.stack).toContain('The stream was not resumed');
    expect(error.cause).toBeInstanceOf(NotFoundError);
    expect((error.cause as NotFoundError).status).toBe(404);
    expect(outcome.values.length).toBeGreaterThan(0);
    expect(outcome.values).toEqual(reference.events.slice(0, outcome.values.length));
    expect(outcome.delays).toHaveLength(1);
    expect(relay.requests.filter(isGet)).toHaveLength(1);
    // The relay does not know the stream: nothing to stop.
    await sleep(50);
    expect(relay.requests.filter(isDelete)).toHaveLength(0);
  });

  it('resumes when the idle timeout fires in the middle of the body', async () => {
    const probe = await relayOf();
    const relay = await relayOf({ responses: [{ holdAfter: probe.frameEnds(0)[3]! + 7 }] });
    const started = Date.now();
    const events = await lastValueFrom(clientOf(relay, { timeout: 200 }).messages.stream(params).pipe(toArray()));
    expect(events).toEqual(reference.events);
    expect(relay.requests.filter(isGet)).toMatchObject([{ lastEventId: '4' }]);
    // 200 ms of silence, then the wait of a first attempt (375 to 500 ms).
    expect(Date.now() - started).toBeGreaterThanOrEqual(550);
  });

  it('with resumeStreams off (the client’s, or the request’s), a drop fails as before, and the relay is told to stop', async () => {
    for (const [clientOption, requestOption] of [
      [false, undefined],
      [true, false],
    ] as const) {
      const probe = await relayOf();
      const relay = await relayOf({ responses: [{ cutAfter: probe.frameEnds(0)[6]! + 20 }] });
      const client = clientOf(relay, { resumeStreams: clientOption });
      const outcome = await runOn(new VirtualTimeScheduler(), client.messages.stream(params, requestOption === undefined ? {} : { resumeStreams: requestOption }));
      const error = outcome.error as APIConnectionError;
      expect(error).toBeInstanceOf(APIConnectionError);
      expect(error.message).toMatch(/^Connection error: /);
      expect(error.message).not.toMatch(/resumed/);
      expect(outcome.values).toEqual(reference.events.slice(0, 7 - 1));
      expect(relay.requests.filter(isGet)).toHaveLength(0);
      expect(await requestsOf(relay, isDelete, 1)).toMatchObject([{ path: '/streams/s0' }]);
    }
    // And a request may turn it on for itself.
    const probe = await relayOf();
    const relay = await relayOf({ responses: [{ cutAfter: probe.frameEnds(0)[6]! + 20 }] });
    const scheduler = new VirtualTimeScheduler();
    const outcome = await runOn(scheduler, clientOf(relay, { resumeStreams: false, scheduler }).messages.stream(params, { resumeStreams: true }).pipe(toArray()));
    expect(outcome.values[0]).toEqual(reference.events);
  });

  it('without x-stream-id there is nothing to resume: the drop fails as before, and nothing is stopped', async () => {
    const probe = await relayOf();
    const relay = await relayOf({ streamIds: false, responses: [{ cutAfter: probe.frameEnds(0)[6]! + 20 }] });
    const outcome = await runOn(new VirtualTimeScheduler(), clientOf(relay).messages.stream(params));
    expect(outcome.error).toBeInstanceOf(APIConnectionError);
    expect((outcome.error as Error).message).not.toMatch(/resumed/);
    expect(outcome.delays).toHaveLength(0);
    await sleep(50);
    expect(relay.requests.map((request) => request.method)).toEqual(['POST']);
  });

  it('runs a tool loop whose two turns are both cut and resumed', async () => {
    const turns = [sdkFixture('tool-runner-streaming.turn1.py'), sdkFixture('tool-runner-streaming.turn2.py')];
    const getWeather = defineTool({
      name: 'get_weather',
      description: 'The weather in a city',
      input: t.type({ location: t.string, units: t.string }),
      run: ({ location, units }) => `Sunny and 20°${units === 'c' ? 'C' : 'F'} in ${location}`,
    });
    const loopParams: MessageCreateParams = { model: 'claude-haiku-4-5', max_tokens: 1024, messages: [{ role: 'user', content: 'What is the weather in SF?' }] };
    const run = async (relay: ResumableRelay) => {
      const scheduler = new VirtualTimeScheduler();
      return runOn(scheduler, clientOf(relay, { scheduler }).messages.toolLoop(loopParams, { tools: [getWeather] }).pipe(toArray()));
    };

    const whole = await run(await relayOf({ streams: turns }));
    expect(whole.error).toBeUndefined();
    const probe = await relayOf({ streams: turns });
    const [first, second] = [probe.frameEnds(0), probe.frameEnds(1)];
    // POST 1 cut inside its tool input, its resume whole; POST 2 cut inside its text, its resume whole.
    const relay = await relayOf({ streams: turns, responses: [{ cutAfter: first[7]! + 30 }, {}, { cutAfter: second[5]! + 11 }, {}] });
    const cut = await run(relay);

    expect(cut.error).toBeUndefined();
    expect(JSON.stringify(cut.values[0])).toBe(JSON.stringify(whole.values[0]));
    expect((cut.values[0] as { type: string }[]).filter((event) => event.type === 'message_stop')).toHaveLength(2);
    expect(relay.requests.map((request) => `${request.method} ${request.path} ${request.lastEventId ?? ''}`)).toEqual([
      'POST /v1/messages ',
      'GET /streams/s0 8',
      'POST /v1/messages ',
      'GET /streams/s1 6',
    ]);
  });
});

describe('the resumeStreams option', () => {
  it('is a boolean, checked by createClient', () => {
    expect(() => createClient({ apiKey: null, resumeStreams: 'yes' as unknown as boolean })).toThrow(
      expect.objectContaining({ name: 'InvalidArgumentError', argument: 'resumeStreams', message: 'The resumeStreams option must be true or false, not a string.' }),
    );
  });
});

describe('the stop: leaving a relayed stream before its end sends DELETE /streams/{id}', () => {
  it('sends exactly one DELETE, with the client’s key, when unsubscribed mid-stream', async () => {
    const probe = await relayOf();
    const relay = await relayOf({ responses: [{ holdAfter: probe.frameEnds(0)[4]! }] });
    const received: RawMessageStreamEvent[] = [];
    const subscription = clientOf(relay, { resumeStreams: false }).messages.stream(params).subscribe((event) => received.push(event));
    const deadline = Date.now() + 2_000;
    while (received.length < 4 && Date.now() < deadline) await sleep(5);
    expect(received).toHaveLength(4); // the ping is not an event
    subscription.unsubscribe();
    expect(await requestsOf(relay, isDelete, 1)).toMatchObject([{ path: '/streams/s0', apiKey: API_KEY }]);
    await sleep(50);
    expect(relay.requests.map((request) => request.method)).toEqual(['POST', 'DELETE']);
  });

  it('sends none after a stream that ended, nor when left at its message_stop', async () => {
    const relay = await relayOf();
    const client = clientOf(relay);
    expect(await lastValueFrom(client.messages.stream(params).pipe(finalMessage()))).toEqual(reference.final);
    const atStop = await lastValueFrom(client.messages.stream(params).pipe(takeWhile((event) => event.type !== 'message_stop', true), toArray()));
    expect(atStop).toEqual(reference.events);
    await sleep(100);
    expect(relay.requests.map((request) => request.method)).toEqual(['POST', 'POST']);
  });

  it('sends none when the response had no x-stream-id', async () => {
    const probe = await relayOf();
    const relay = await relayOf({ streamIds: false, responses: [{ holdAfter: probe.frameEnds(0)[4]! }] });
    const received: unknown[] = [];
    const subscription = clientOf(relay).messages.stream(params).subscribe((event) => received.push(event));
    const deadline = Date.now() + 2_000;
    while (received.length < 4 && Date.now() < deadline) await sleep(5);
    subscription.unsubscribe();
    await sleep(100);
    expect(relay.requests.map((request) => request.method)).toEqual(['POST']);
  });

  it('stops a streamBody() too, and only when left before the end', async () => {
    const probe = await relayOf();
    const relay = await relayOf({ responses: [{ holdAfter: probe.frameEnds(0)[4]! }] });
    const client = clientOf(relay);
    const chunks: Uint8Array[] = [];
    const subscription = client.messages.streamBody(params).subscribe((chunk) => chunks.push(chunk));
    const deadline = Date.now() + 2_000;
    while (chunks.length === 0 && Date.now() < deadline) await sleep(5);
    subscription.unsubscribe();
    expect(await requestsOf(relay, isDelete, 1)).toMatchObject([{ path: '/streams/s0' }]);
    const whole = Buffer.concat(await lastValueFrom(client.messages.streamBody(params).pipe(toArray())));
    expect(whole.equals(relay.numbered(0))).toBe(true);
    await sleep(100);
    expect(relay.requests.map((request) => request.method)).toEqual(['POST', 'DELETE', 'POST']);
  });

  it('swallows a DELETE that fails, rejected or thrown: no unhandled rejection, the consumer sees nothing of it', async () => {
    const probe = await relayOf();
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    realProcess.on('unhandledRejection', onUnhandled);
    try {
      for (const failure of ['reject', 'throw'] as const) {
        const relay = await relayOf({ responses: [{ holdAfter: probe.frameEnds(0)[4]! }] });
        let deletes = 0;
        const fetch: typeof globalThis.fetch = (input, init) => {
          if (init?.method !== 'DELETE') return globalThis.fetch(input, init);
          deletes += 1;
          expect(init.keepalive).toBe(true);
          if (failure === 'throw') throw new TypeError('refused at once');
          return Promise.reject(new TypeError('network down'));
        };
        const received: unknown[] = [];
        const subscription = clientOf(relay, { fetch }).messages.stream(params).subscribe({ next: (event) => received.push(event), error: (error) => received.push(error) });
        const deadline = Date.now() + 2_000;
        while (received.length < 4 && Date.now() < deadline) await sleep(5);
        expect(() => subscription.unsubscribe()).not.toThrow();
        expect(deletes).toBe(1);
        expect(received.every((value) => !(value instanceof Error))).toBe(true);
      }
      await sleep(50);
      expect(unhandled).toEqual([]);
    } finally {
      realProcess.off('unhandledRejection', onUnhandled);
    }
  });
});

describe('sequenceNumberOf', () => {
  it('reads 1 to 15 digits as a whole number, and nothing else', () => {
    expect(['1', '0', '42', '007', '999999999999999'].map(sequenceNumberOf)).toEqual([1, 0, 42, 7, 999_999_999_999_999]);
    expect([undefined, '', ' 1', '1 ', '+1', '-1', '1e3', '0x10', '1.5', '１', '1000000000000000'].map(sequenceNumberOf)).toEqual(Array(11).fill(undefined));
  });
});
