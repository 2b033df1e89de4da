/**
 * Faults of the connection itself: refused, dropped or reset before the headers, cut or reset
 * after N bytes (N sampled across the whole response), a server that stalls, one that drips a
 * byte at a time. Each ends in the typed error within the configured timeout, or in success when
 * a retry was allowed (nothing of the body emitted yet); once an event was emitted, there is no
 * silent retry and no event is repeated.
 */
import { connect } from 'node:net';
import { VirtualTimeScheduler, from, lastValueFrom, tap, toArray } from 'rxjs';
import { accumulateMessage, APIConnectionError, APITimeoutError, type RawMessageStreamEvent } from 'rx-anthropic';
import { createMockServer, sseReply, textReply, type MockTurn } from 'rx-anthropic/testing';
import { seededRandom } from '../support/fixtures';
import { faultProxy, refusedBaseURL, type ConnectionPlan } from './support/faultServers';
import { guardLeaks, within } from './support/guard';
import { expectTyped, runBounded, type Outcome } from './support/outcome';
import { FaultTally, recordFigures } from './support/recordFigures';
import { clientOf, decodeWhole, fixture, frameEnds, isPrefixOf, params } from './support/streams';
import { FAR_TIMEOUT_MS, skipRetryDelays } from './support/virtualTime';

const guard = guardLeaks();
const faults = new FaultTally();
/** How the sampled cuts and resets ended, to show both branches (retried, or failed after data) were taken. */
const outcomes = new FaultTally();
afterAll(() =>
  recordFigures('connectionFaults', {
    faults: faults.toJSON(),
    faultsTotal: faults.total,
    outcomes: outcomes.toJSON(),
    recordedBodyBytes: recorded.byteLength,
    responseBytes,
    leakChecks: guard.checks.count,
  }),
);

const BOUND_MS = 5_000;
/** The recorded stream that is cut: text with emoji (multi-byte characters to cut through) and a tool call. */
const recorded = fixture('llm-anthropic-tool-result-answer-emoji').sse;
let wholeEvents: RawMessageStreamEvent[];
beforeAll(async () => {
  wholeEvents = await decodeWhole(recorded);
});

/** Runs a stream on virtual time, skipping its retry delays; gives its outcome and the delays. */
async function runSkippingDelays(baseURL: string, maxRetries: number, fetchImpl?: typeof fetch) {
  const scheduler = new VirtualTimeScheduler();
  const client = clientOf(baseURL, { maxRetries, scheduler, timeout: FAR_TIMEOUT_MS, ...(fetchImpl ? { fetch: fetchImpl } : {}) });
  let outcome: Outcome<RawMessageStreamEvent> | undefined;
  const running = runBounded(client.messages.stream(params), BOUND_MS).then((result) => (outcome = result));
  const delays = await skipRetryDelays(scheduler, () => outcome !== undefined);
  await running;
  return { outcome: outcome as Outcome<RawMessageStreamEvent>, delays };
}

describe('no connection', () => {
  it('a refused connection is retried maxRetries times, then fails with APIConnectionError and its cause', async () => {
    faults.add('connection refused', 3);
    const baseURL = await refusedBaseURL();
    let calls = 0;
    const counting: typeof fetch = (input, init) => {
      calls += 1;
      return globalThis.fetch(input, init);
    };
    const { outcome, delays } = await runSkippingDelays(baseURL, 2, counting);
    const error = expectTyped(outcome.error, APIConnectionError);
    expect(error).not.toBeInstanceOf(APITimeoutError);
    expect(error.message).toMatch(/^Connection error: /);
    expect(String((error.cause as Error & { cause?: { code?: string } }).cause?.code)).toBe('ECONNREFUSED');
    expect(calls).toBe(3);
    expect(delays).toHaveLength(2);
    expect(outcome.finalized).toBe(true);
  });

  it.each(['fin', 'rst'] as const)('a connection dropped (%s) before the headers is retried, then succeeds', async (how) => {
    faults.add(`dropped before headers (${how})`, 2);
    const server = await guard.serve([textReply('third time lucky')]);
    const proxy = await faultProxy(server.baseURL, [
      { kind: 'drop-before-headers', how },
      { kind: 'drop-before-headers', how },
      { kind: 'pass' },
    ]);
    guard.onCleanup(() => proxy.close());
    const { outcome, delays } = await runSkippingDelays(proxy.baseURL, 2);
    expect(outcome.error).toBeUndefined();
    expect(outcome.values.filter((event) => event.type === 'message_start')).toHaveLength(1);
    expect(proxy.connections()).toBe(3);
    expect(server.requests).toHaveLength(1);
    expect(delays).toHaveLength(2);
  });

  it.each(['fin', 'rst'] as const)('a connection dropped (%s) before the headers on every attempt fails with APIConnectionError', async (how) => {
    faults.add(`dropped before headers (${how})`, 2);
    const proxy = await faultProxy('http://127.0.0.1:9', [{ kind: 'drop-before-headers', how }]);
    guard.onCleanup(() => proxy.close());
    const { outcome } = await runSkippingDelays(proxy.baseURL, 1);
    expectTyped(outcome.error, APIConnectionError);
    expect(outcome.values).toEqual([]);
    expect(proxy.connections()).toBe(2);
  });
});

/** Offsets to cut at: around every frame end, inside multi-byte characters, and seeded random ones. */
function cutOffsets(bytes: Uint8Array, randomCount: number, seed: number): number[] {
  const offsets = new Set<number>([0, 1, 2, bytes.length - 1, bytes.length]);
  for (const end of frameEnds(bytes)) for (const offset of [end - 1, end, end + 1]) offsets.add(offset);
  for (let i = 0; i < bytes.length; i += 1) if ((bytes[i] ?? 0) >= 0xf0) offsets.add(i + 2); // inside a 4-byte character
  const random = seededRandom(seed);
  for (let i = 0; i < randomCount; i += 1) offsets.add(Math.floor(random() * bytes.length));
  return [...offsets].filter((offset) => offset >= 0 && offset <= bytes.length).sort((a, b) => a - b);
}

describe('the body cut after N bytes (the server closes the connection)', () => {
  const offsets = cutOffsets(recorded, 12, 0x5eed);

  it.each(offsets)('N = %i', async (cutAfterBytes) => {
    faults.add('body cut after N bytes');
    const server = await guard.serve([sseReply(recorded, { cutAfterBytes }), sseReply(recorded)]);
    const events: RawMessageStreamEvent[] = [];
    const outcome = await runBounded(
      clientOf(server.baseURL, { maxRetries: 2, timeout: 2_000 })
        .messages.stream(params)
        .pipe(
          tap((event) => events.push(event)),
          accumulateMessage(),
        ),
      BOUND_MS,
    );
    expect(outcome.finalized).toBe(true);
    if (cutAfterBytes === 0) {
      // Not a byte of the body was emitted: the retry is safe and invisible.
      outcomes.add('N = 0: retried, then complete');
      expect(outcome.error).toBeUndefined();
      expect(events).toEqual(wholeEvents);
      expect(server.requests).toHaveLength(2);
      return;
    }
    // Bytes were emitted: the error surfaces, nothing is retried behind the caller's back.
    outcomes.add('APIConnectionError, no retry');
    expectTyped(outcome.error, APIConnectionError);
    expect(server.requests).toHaveLength(1);
    // Exactly the events whose frames arrived whole, each once.
    const arrived = frameEnds(recorded).filter((end) => end <= cutAfterBytes).at(-1) ?? 0;
    expect(events).toEqual(await decodeWhole(recorded.subarray(0, arrived)));
    expect(isPrefixOf(events, wholeEvents)).toBe(true);
    // The snapshots emitted before the error hold everything those events carried.
    const expected = await lastValueFrom(from(events).pipe(accumulateMessage(), toArray()));
    expect(outcome.values).toEqual(expected);
  });
});

/** The length of the whole response (headers and chunked body) that the resets are sampled across. */
let responseBytes = 0;

/** Sends one streaming request over a raw socket and counts the bytes of the whole response. */
async function measureResponseBytes(turn: MockTurn): Promise<number> {
  const server = await createMockServer([turn]);
  const body = JSON.stringify({ ...params, stream: true });
  try {
    return await new Promise<number>((resolve) => {
      let count = 0;
      const socket = connect(Number(new URL(server.baseURL).port), '127.0.0.1', () => {
        socket.write(
          `POST /v1/messages HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: application/json\r\nconnection: close\r\ncontent-length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
        );
      });
      socket.on('data', (chunk: Buffer) => (count += chunk.byteLength));
      socket.on('close', () => resolve(count));
    });
  } finally {
    await server.close();
  }
}

describe('the response reset (RST) after N bytes, headers included', () => {
  beforeAll(async () => {
    responseBytes = await measureResponseBytes(sseReply(recorded));
  });

  const random = seededRandom(0xc0ffee);
  const fractions = [0, 0.05, 0.1, 0.2, 0.25, ...Array.from({ length: 19 }, () => random())].sort((a, b) => a - b);

  it.each(fractions.map((fraction, i) => [i, fraction] as const))('sample %i (N = %f of the response)', async (_, fraction) => {
    faults.add('response reset after N bytes');
    const afterBytes = Math.max(1, Math.floor(fraction * responseBytes));
    const server = await guard.serve([sseReply(recorded), sseReply(recorded)]);
    const plans: ConnectionPlan[] = [{ kind: 'reset-response', afterBytes }, { kind: 'pass' }];
    const proxy = await faultProxy(server.baseURL, plans);
    guard.onCleanup(() => proxy.close());
    const { outcome } = await runSkippingDelays(proxy.baseURL, 1);
    expect(outcome.finalized).toBe(true);
    if (outcome.error === undefined) {
      // Reset before a byte of the body was emitted: retried on a new connection, the events once.
      outcomes.add('RST: retried (or all bytes in), then complete');
      expect(outcome.values).toEqual(wholeEvents);
    } else {
      outcomes.add('RST: APIConnectionError after data, no retry');
      expectTyped(outcome.error, APIConnectionError);
      expect(isPrefixOf(outcome.values, wholeEvents)).toBe(true);
      expect(server.requests).toHaveLength(1);
    }
  });
});

describe('a server that stalls', () => {
  it('after the headers: APITimeoutError once the idle timeout passes, and the socket is closed', async () => {
    faults.add('stall after headers');
    const server = await guard.serve([{ ...textReply('never'), hangAfterHeaders: true }]);
    const outcome = await runBounded(clientOf(server.baseURL, { timeout: 150 }).messages.stream(params), BOUND_MS);
    const error = expectTyped(outcome.error, APITimeoutError);
    expect(error.timeout).toBe(150);
    expect(outcome.ms).toBeGreaterThanOrEqual(145);
    expect(outcome.ms).toBeLessThan(150 + 1_000);
    const request = await server.waitForRequest(0);
    await within(request.closed, 1_000, 'the server seeing the socket close');
    expect(request.abortedByClient).toBe(true);
  });

  it('after the headers, with a retry allowed: no byte was emitted, so it is retried and succeeds', async () => {
    faults.add('stall after headers');
    const server = await guard.serve([{ ...textReply('never'), hangAfterHeaders: true }, textReply('second try')]);
    const outcome = await runBounded(
      clientOf(server.baseURL, { timeout: 150, maxRetries: 1 }).messages.stream(params).pipe(accumulateMessage()),
      BOUND_MS,
    );
    expect(outcome.error).toBeUndefined();
    expect(outcome.values.at(-1)?.content).toEqual([{ type: 'text', text: 'second try' }]);
    expect(server.requests).toHaveLength(2);
  });

  it('before the headers: APITimeoutError within the timeout', async () => {
    faults.add('no response');
    const server = await guard.serve([{ ...textReply('never'), hang: true }]);
    const outcome = await runBounded(clientOf(server.baseURL, { timeout: 150 }).messages.stream(params), BOUND_MS);
    expectTyped(outcome.error, APITimeoutError);
    expect(outcome.ms).toBeLessThan(150 + 1_000);
    await within((await server.waitForRequest(0)).closed, 1_000, 'the server seeing the socket close');
  });

  it('after the first event: APITimeoutError, that event once, and no silent retry', async () => {
    faults.add('stall after first event');
    // The first frame goes out with the headers; the timeout leaves room for a loaded CI machine to read it.
    const server = await guard.serve([textReply('slow', { chunkDelayMs: 3_000 }), textReply('unused')]);
    const outcome = await runBounded(clientOf(server.baseURL, { timeout: 400, maxRetries: 2 }).messages.stream(params), BOUND_MS);
    expectTyped(outcome.error, APITimeoutError);
    expect(outcome.values.map((event) => event.type)).toEqual(['message_start']);
    expect(server.requests).toHaveLength(1);
    const request = await server.waitForRequest(0);
    await within(request.closed, 1_000, 'the server seeing the socket close');
    expect(request.abortedByClient).toBe(true);
  });
});

describe('a server that drips one byte at a time', () => {
  /** A short but complete stream, so that a byte every 3 ms stays quick. */
  const small = [
    'data: {"type":"message_start","message":{"id":"msg_drip","type":"message","role":"assistant","model":"m","content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":1,"output_tokens":1}}}',
    'data: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}',
    'data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"drip ✓"}}',
    'data: {"type":"content_block_stop","index":0}',
    'data: {"type":"message_stop"}',
    '',
  ].join('\n\n');

  it('succeeds when the timeout is longer than the gap between bytes, with the same events as whole', async () => {
    faults.add('drip 1 byte / 3 ms');
    const server = await guard.serve([sseReply(small, { splitBytes: 1, chunkDelayMs: 3 })]);
    // A timeout far above the 3 ms gap (but far below the whole stream's time), so an event-loop stall on CI cannot fire it.
    const outcome = await runBounded(clientOf(server.baseURL, { timeout: 1_000 }).messages.stream(params), 10_000);
    expect(outcome.error).toBeUndefined();
    expect(outcome.values).toEqual(await decodeWhole(Buffer.from(small)));
  });

  it('fails with APITimeoutError, without a retry, when the gap is longer than the timeout', async () => {
    faults.add('drip slower than the timeout');
    // The first byte goes out with the headers, the second a second later: the 300 ms timeout falls in the gap.
    const server = await guard.serve([sseReply(small, { splitBytes: 1, chunkDelayMs: 1_000 }), sseReply(small)]);
    const outcome = await runBounded(clientOf(server.baseURL, { timeout: 300, maxRetries: 2 }).messages.stream(params), BOUND_MS);
    expectTyped(outcome.error, APITimeoutError);
    expect(outcome.ms).toBeLessThan(1_000);
    expect(server.requests).toHaveLength(1);
    await within((await server.waitForRequest(0)).closed, 1_000, 'the server seeing the socket close');
  });
});
