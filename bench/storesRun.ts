/**
 * The stores of issue 22 in `npm run bench` (the `stores` workload), in one run:
 *
 * - The tee: `rx-events` reads the text stream through three relays (`relay.ts`, each a process
 *   of its own, every check on): one without a stream store, one teeing into
 *   `memoryStreamStore()`, one into `redisStreamStore()`; the three take their runs in turn.
 *   What the tee costs is the share of the relay's throughput it takes.
 * - The limit store: a small stream relayed `latencyRequests` times through a relay whose per-user
 *   limits live in memory and through one whose live on Redis (`redisLimitStore()`), the requests
 *   alternating between the two (each one a slot taken and given back, a rate window, a budget
 *   checked and added to); the percentiles of each, and what Redis adds at p99.
 *
 * Redis is `REDIS_URL`'s, or a `redis-server` started for the run (`benchRedis.ts`); without one,
 * the Redis half is not run and the report says why.
 */
import * as http from 'node:http';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { benchRedis } from './benchRedis';
import { evaluateOutcome, median } from './evaluate';
import { IMPLEMENTATIONS } from './implementations';
import { BENCH_REQUEST } from './implementations/benchRequest';
import { MeasuredChild, type ChildOutcome, type RunPlan } from './measure';
import { mergeOutcomes, shareOf } from './teeBlocks';
import type { PairResult } from './report/BenchReport';
import { RELAY_PIPELINE } from './report/relay';
import { summariseLatency, TEE_MEMORY_IMPL, TEE_NONE_IMPL, TEE_REDIS_IMPL, type StoresFigures } from './report/stores';
import { addServerLoad, cpuMsBetween, loadOf, type ServerLoadTotals } from './report/serverLoad';
import { RelayProcess } from './relayProcess';
import { RELAY_ACCESS, RELAY_BASE_PATH, type RelayConfig } from './relayOptions';
import type { RelayBenchServer } from './relayRun';
import type { ServedWorkload } from './server';
import type { Workload } from './workloads';

export interface StoresRunInput {
  server: RelayBenchServer;
  /** The `stores` workload (the small stream of the latency requests). */
  workload: Workload;
  /** The text workload as the server plays it (the tee's upstream). */
  text: ServedWorkload;
  /** The `stores` workload as the server plays it. */
  small: ServedWorkload;
  plan: RunPlan;
  requestedRuns: number;
  nodeArgs: readonly string[];
  /** Extra Node flags for the relay processes. */
  relayNodeArgs: readonly string[];
  /** Requests through each of the two relays of the limit store's latency. */
  latencyRequests: number;
  /** The tee's runs in this many blocks, each with relays and clients of its own. */
  blocks: number;
  /** With `--cpu-prof`: each relay process writes its profile under this directory, in a directory named for its store (`none`, `memory`, `redis`, `latency-memory`, `latency-redis`). */
  relayProfileDir?: string;
  onResult(result: PairResult, failed: boolean): void;
}

export interface StoresRunOutput {
  results: PairResult[];
  failures: string[];
  figures: StoresFigures;
}

/** Unmeasured requests through each relay before the latency's. */
const LATENCY_WARMUP = 50;

export async function measureStores(input: StoresRunInput): Promise<StoresRunOutput> {
  const { server, workload, plan } = input;
  const failures: string[] = [];
  const redis = await benchRedis();
  const prefix = `rx-bench:${process.pid}:${Date.now().toString(36)}:`;
  const figures: StoresFigures = redis.url !== undefined ? { redis: redis.origin } : { notRun: redis.reason };
  const relays: RelayProcess[] = [];
  const start = async (config: Omit<RelayConfig, 'basePath' | 'access' | 'maxOpenStreams'>, name: string): Promise<RelayProcess> => {
    const profiled = [...input.relayNodeArgs, ...(input.relayProfileDir ? ['--cpu-prof', '--cpu-prof-dir', path.join(input.relayProfileDir, name)] : [])];
    const relay = await RelayProcess.start({ basePath: RELAY_BASE_PATH, access: RELAY_ACCESS, maxOpenStreams: 16, ...config }, profiled);
    relays.push(relay);
    return relay;
  };
  const results: PairResult[] = [];
  try {
    const impl = IMPLEMENTATIONS.find((candidate) => candidate.id === RELAY_PIPELINE);
    if (!impl) throw new Error(`no implementation ${RELAY_PIPELINE}`);
    const textURL = `http://127.0.0.1:${server.port}/w/text`;
    const variants = [
      { id: TEE_NONE_IMPL, streamStore: 'none' as const },
      { id: TEE_MEMORY_IMPL, streamStore: 'memory' as const },
      ...(redis.url !== undefined ? [{ id: TEE_REDIS_IMPL, streamStore: 'redis' as const }] : []),
    ];
    // Each block starts new relays and new clients: a process's collector settles early into a state
    // that then holds for its life (bench/NOTES.md, the stores), so the blocks sample several of each.
    const blocks = Math.max(1, Math.min(input.blocks, plan.runs));
    const totals = variants.map((variant) => ({ impl: { ...impl, id: variant.id }, outcomes: [] as ChildOutcome[], load: { activeMs: 0, wallMs: 0, cpuMs: 0 } as ServerLoadTotals, relayLoad: { activeMs: 0, wallMs: 0, cpuMs: 0 } as ServerLoadTotals, runs: 0 }));
    const byBlock: NonNullable<StoresFigures['byBlock']> = [];
    for (let block = 0; block < blocks; block++) {
      const runs = shareOf(plan.runs, blocks, block);
      const blockPlan: RunPlan = { ...plan, runs, heapRuns: shareOf(plan.heapRuns, blocks, block), minRuns: Math.min(plan.minRuns, runs) };
      const pairs: Array<{ total: (typeof totals)[number]; child: MeasuredChild; relay: RelayProcess }> = [];
      for (const [index, variant] of variants.entries()) {
        const relay = await start({ upstreamURL: textURL, streamStore: variant.streamStore, ...(redis.url !== undefined ? { redisURL: redis.url, redisPrefix: `${prefix}${variant.streamStore}:` } : {}) }, variant.streamStore);
        const child = new MeasuredChild({ impl: impl.id, url: `${relay.url}${RELAY_BASE_PATH}`, streams: 1, relay: RELAY_ACCESS }, blockPlan, input.nodeArgs);
        pairs.push({ total: totals[index] as (typeof totals)[number], child, relay });
      }
      await Promise.all(pairs.map(({ child }) => child.ready));
      const measured = new Map(variants.map((variant) => [variant.id, { ms: [] as number[], relayCpuMs: [] as number[] }]));
      while (pairs.some(({ child }) => child.hasNext)) {
        for (const { total, child, relay } of pairs) {
          if (!child.hasNext) continue;
          const [before, relayBefore] = await Promise.all([server.load(), relay.load()]);
          const message = await child.next();
          const [after, relayAfter] = await Promise.all([server.load(), relay.load()]);
          addServerLoad(total.load, before, after);
          addServerLoad(total.relayLoad, relayBefore, relayAfter);
          total.runs += 1;
          if (message?.phase === 'measure') {
            measured.get(total.impl.id)?.ms.push(message.ms);
            measured.get(total.impl.id)?.relayCpuMs.push(cpuMsBetween(relayBefore, relayAfter));
          }
        }
      }
      byBlock.push(Object.fromEntries([...measured].filter(([, runs]) => runs.ms.length > 0).map(([id, runs]) => [id, { medianMs: median(runs.ms), relayCpuMs: median(runs.relayCpuMs) }])));
      for (const { total, child, relay } of pairs) {
        total.outcomes.push(await child.stop());
        await relay.stop();
        relays.splice(relays.indexOf(relay), 1);
      }
    }
    figures.relayCpuMsPerRun = Object.fromEntries(totals.map((total) => [total.impl.id, total.relayLoad.cpuMs / Math.max(1, total.runs)]));
    figures.teeBlocks = blocks;
    figures.byBlock = byBlock;
    const served: ServedWorkload = { ...input.text, id: workload.id };
    for (const total of totals) {
      const evaluated = evaluateOutcome(total.impl, workload, served, mergeOutcomes(total.outcomes), input.requestedRuns);
      const load = loadOf(total.load);
      if (load) evaluated.result.server = load;
      results.push(evaluated.result);
      failures.push(...evaluated.failures);
      input.onResult(evaluated.result, evaluated.failures.length > 0);
    }

    if (redis.url !== undefined) {
      const smallURL = `http://127.0.0.1:${server.port}/w/${input.small.id}`;
      const inMemory = await start({ upstreamURL: smallURL }, 'latency-memory');
      const onRedis = await start({ upstreamURL: smallURL, limitStore: 'redis', redisURL: redis.url, redisPrefix: `${prefix}latency:` }, 'latency-redis');
      const times = await alternateRequests([`${inMemory.url}${RELAY_BASE_PATH}/v1/messages`, `${onRedis.url}${RELAY_BASE_PATH}/v1/messages`], input.latencyRequests);
      figures.latency = { upstreamEvents: input.small.events, memory: summariseLatency(times[0] as number[]), redis: summariseLatency(times[1] as number[]) };
    }
  } catch (error) {
    failures.push(`stores: ${error instanceof Error ? error.message : String(error)}`);
  } finally {
    await Promise.all(relays.map((relay) => relay.stop()));
    if (redis.url !== undefined) {
      await redis.deleteKeys(prefix).catch(() => undefined);
      await redis.stop();
    }
  }
  return { results, failures, figures };
}

/**
 * Sends `count` streamed requests to each URL, alternating (one to each, then the next round),
 * each read to its end over a kept-alive connection, after {@link LATENCY_WARMUP} unmeasured
 * rounds; each request's time, per URL. A request that is not answered 200 fails the run.
 */
async function alternateRequests(urls: readonly string[], count: number): Promise<number[][]> {
  const body = JSON.stringify({ ...BENCH_REQUEST, stream: true });
  const headers = {
    'content-type': 'application/json',
    'content-length': String(Buffer.byteLength(body)),
    authorization: `Bearer ${RELAY_ACCESS.token}`,
    origin: RELAY_ACCESS.origin,
    'anthropic-version': '2023-06-01',
    accept: 'text/event-stream',
  };
  const agents = urls.map(() => new http.Agent({ keepAlive: true, maxSockets: 1 }));
  const one = (url: string, agent: http.Agent): Promise<number> =>
    new Promise((resolve, reject) => {
      const started = performance.now();
      const request = http.request(url, { method: 'POST', agent, headers }, (response) => {
        let text = '';
        if (response.statusCode !== 200) response.setEncoding('utf8');
        response.on('data', (chunk: string | Buffer) => void (response.statusCode !== 200 && (text += String(chunk))));
        response.on('end', () => (response.statusCode === 200 ? resolve(performance.now() - started) : reject(new Error(`${url} answered ${response.statusCode}: ${text.slice(0, 200)}`))));
        response.on('error', reject);
      });
      request.on('error', reject);
      request.end(body);
    });
  const times = urls.map((): number[] => []);
  try {
    for (let round = 0; round < LATENCY_WARMUP + count; round++) {
      for (const [i, url] of urls.entries()) {
        const ms = await one(url, agents[i] as http.Agent);
        if (round >= LATENCY_WARMUP) (times[i] as number[]).push(ms);
      }
    }
  } finally {
    for (const agent of agents) agent.destroy();
  }
  return times;
}
