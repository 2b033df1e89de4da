/**
 * Soak: 10,000 sequential streams and 500 concurrent ones against the loopback mock server, every
 * one checked against the final message it must give, with the heap measured after garbage
 * collection along the way. Slow, so it runs only with `RX_SOAK=1` (CI sets it):
 *
 *     RX_SOAK=1 node --expose-gc node_modules/.bin/jest spec/reliability/soak.spec.ts
 *
 * (Without `--expose-gc` it enables `gc` itself through `v8.setFlagsFromString`.) The figures go
 * to `RX_FIGURES_DIR/soak.json` when that is set, and to the test's output in any case.
 */
import * as v8 from 'node:v8';
import * as vm from 'node:vm';
import { lastValueFrom } from 'rxjs';
import { finalMessage, type Message } from 'rx-anthropic';
import { textReply, type MockServer, type RecordedRequest } from 'rx-anthropic/testing';
import { guardLeaks, realProcess, sleep } from './support/guard';
import { recordFigures } from './support/recordFigures';
import { clientOf } from './support/streams';

const SOAK = process.env['RX_SOAK'] === '1';
const SEQUENTIAL = Number(process.env['RX_SOAK_SEQUENTIAL'] ?? 10_000);
const CONCURRENT = Number(process.env['RX_SOAK_CONCURRENT'] ?? 500);
const BATCH = 1_000;
/** Rounds of concurrent streams: the heap after the first is compared with the heap after the last. */
const ROUNDS = 5;
/** The heap may not grow more than this from the first batch to the last (a leak of 1 KB per stream would be ~9 MB). */
const MAX_GROWTH_BYTES = 4 * 1024 * 1024;

// The guard checks, after each test, that every socket and timer is gone and no rejection went unhandled.
const guard = SOAK ? guardLeaks() : { serve: () => Promise.reject(new Error('RX_SOAK is not set')) };

/**
 * The mock keeps every request it got, which is not the client's memory: drop them between
 * batches. One server (one origin) for the whole run, as a client talks to one API: `fetch`
 * keeps a connection pool per origin, so a new server per batch would measure pools, not us.
 */
function forgetRequests(server: MockServer): void {
  (server.requests as RecordedRequest[]).length = 0;
}

/** The `gc` of the real process: from `--expose-gc` if given, else switched on now. */
function garbageCollector(): () => void {
  const exposed = vm.runInThisContext('typeof gc === "function" ? gc : undefined') as (() => void) | undefined;
  if (exposed) return exposed;
  v8.setFlagsFromString('--expose-gc');
  return vm.runInNewContext('gc') as () => void;
}

async function heapAfterGC(gc: () => void): Promise<number> {
  for (let i = 0; i < 3; i += 1) {
    gc();
    await sleep(5);
  }
  return realProcess.memoryUsage().heapUsed;
}

/** The mock echoes the request's text, so each stream knows the exact answer it must get. */
const echo = (request: RecordedRequest) => {
  const body = request.body as { messages: Array<{ content: string }> };
  return textReply(`echo: ${body.messages[0]?.content ?? ''} — a few words more, to have several deltas.`, { chunkSize: 8 });
};
const paramsFor = (tag: string) => ({ model: 'claude-soak', max_tokens: 64, messages: [{ role: 'user' as const, content: tag }] });

function expectAnswer(message: Message, tag: string): void {
  const block = message.content[0];
  if (message.stop_reason !== 'end_turn' || block?.type !== 'text' || block.text !== `echo: ${tag} — a few words more, to have several deltas.`) {
    throw new Error(`stream ${tag} gave the wrong final message: ${JSON.stringify(message)}`);
  }
}

const figures: Record<string, unknown> = { date: new Date().toISOString(), node: process.version, exposeGcFlag: realProcess.execArgv.includes('--expose-gc') };
afterAll(() => {
  if (!SOAK) return;
  recordFigures('soak', figures);
  console.log(`soak figures: ${JSON.stringify(figures)}`);
});

(SOAK ? describe : describe.skip)('soak (RX_SOAK=1)', () => {
  const gc = SOAK ? garbageCollector() : () => undefined;

  it(`${SEQUENTIAL} sequential streams: each right, the heap flat`, async () => {
    const heaps: number[] = [];
    const started = performance.now();
    let completed = 0;
    const server = await guard.serve(echo);
    const client = clientOf(server.baseURL);
    for (let batch = 0; batch * BATCH < SEQUENTIAL; batch += 1) {
      for (let i = 0; i < BATCH && completed < SEQUENTIAL; i += 1) {
        const tag = `sequential ${batch}-${i}`;
        expectAnswer(await lastValueFrom(client.messages.stream(paramsFor(tag)).pipe(finalMessage())), tag);
        completed += 1;
      }
      forgetRequests(server);
      heaps.push(await heapAfterGC(gc));
    }
    const ms = performance.now() - started;
    const growth = (heaps.at(-1) ?? 0) - (heaps[0] ?? 0);
    figures['sequential'] = {
      streams: completed,
      ms: Math.round(ms),
      streamsPerSecond: Math.round((completed / ms) * 1000),
      heapAfterGcPerBatchMiB: heaps.map((bytes) => +(bytes / 1024 / 1024).toFixed(2)),
      heapGrowthBytes: growth,
      heapGrowthBytesPerStream: +(growth / Math.max(1, completed - BATCH)).toFixed(1),
      // A leak grows steadily; warm-up (compiled code, caches) levels off: the second half tells them apart.
      heapGrowthSecondHalfBytes: (heaps.at(-1) ?? 0) - (heaps[Math.floor((heaps.length - 1) / 2)] ?? 0),
    };
    expect(completed).toBe(SEQUENTIAL);
    expect(growth).toBeLessThan(MAX_GROWTH_BYTES);
  }, 900_000);

  it(`${CONCURRENT} concurrent streams, ${ROUNDS} rounds: each right, the heap flat from round to round`, async () => {
    const heaps: number[] = [];
    const rounds: number[] = [];
    let streams = 0;
    const started = performance.now();
    const server = await guard.serve(echo);
    const client = clientOf(server.baseURL, { timeout: 60_000 });
    for (let round = 0; round < ROUNDS; round += 1) {
      const roundStarted = performance.now();
      await Promise.all(
        Array.from({ length: CONCURRENT }, async (_, i) => {
          const tag = `concurrent ${round}-${i}`;
          expectAnswer(await lastValueFrom(client.messages.stream(paramsFor(tag)).pipe(finalMessage())), tag);
        }),
      );
      rounds.push(Math.round(performance.now() - roundStarted));
      streams += server.requests.length;
      forgetRequests(server);
      heaps.push(await heapAfterGC(gc));
    }
    const growth = (heaps.at(-1) ?? 0) - (heaps[0] ?? 0);
    figures['concurrent'] = {
      streamsAtOnce: CONCURRENT,
      rounds: ROUNDS,
      streams,
      msPerRound: rounds,
      ms: Math.round(performance.now() - started),
      heapAfterGcPerRoundMiB: heaps.map((bytes) => +(bytes / 1024 / 1024).toFixed(2)),
      heapGrowthBytes: growth,
    };
    expect(streams).toBe(ROUNDS * CONCURRENT);
    expect(growth).toBeLessThan(MAX_GROWTH_BYTES);
  }, 900_000);
});
