/**
 * Measures one implementation on one workload, in a process of its own (so its memory figures
 * are its own): loads the implementation, says it is ready, then makes one run each time `run.ts`
 * asks for one and reports it over IPC as soon as it ends. `run.ts` asks the children of one
 * workload in turn, a run each, so that a machine whose load changes during the benchmark slows
 * every implementation alike and the ratios between them hold.
 *
 * Started with `--expose-gc`. The timed runs (`warmup`, `measure`) follow one another as an
 * application's requests do, with no collection forced between them. The `heap` runs come last,
 * each after a full collection, so that each one's peak heap is its own; their times are kept
 * too, as the time after a full collection.
 */
import { performance } from 'node:perf_hooks';
import { getHeapStatistics } from 'node:v8';
import { IMPLEMENTATIONS, type RelayAccess } from './implementations';
import { snapshotSink } from './implementations/resultFromMessage';
import { describeResult, digestResults, type StreamResult } from './workloads/StreamResult';

/** What `run.ts` passes as the first argument (JSON). */
export interface ChildConfig {
  impl: string;
  /** The workload's base URL, `http://127.0.0.1:<port>/w/<workload>`. */
  url: string;
  /** Concurrent streams per run. */
  streams: number;
  /**
   * With concurrent streams: after each run, this many streams one after another, timed apart
   * (the single-stream rate the concurrent one is compared with, measured in the same process and
   * round, so under the same load).
   */
  sequential?: number;
  /** `url` is the relay's (`relay.ts`), reached as a browser would, with this token and origin. */
  relay?: RelayAccess;
}

/**
 * What a run is for: `warmup` (not counted), `measure` (timed: the median), `heap` (after a full
 * collection: the peak heap, and the time after a collection).
 */
export type RunPhase = 'warmup' | 'measure' | 'heap';

/** What `run.ts` asks of a child: one run, or to end. */
export type ChildRequest = { type: 'run'; phase: RunPhase } | { type: 'stop' };

export type ChildMessage =
  | { type: 'ready'; baseHeapMB: number; baseRssMB: number }
  | {
      type: 'run';
      phase: RunPhase;
      ms: number;
      peakHeapMB: number;
      /** V8's used heap when the run started (right after the collection of a `heap` run). */
      startHeapMB: number;
      /** The process's CPU time (user and system, every thread) over the run. */
      cpuMs: number;
      /** The process's peak RSS so far (`maxRSS`), which includes every run before. */
      peakRssMB: number;
      digest: string;
      summary: string;
      snapshotReads: number;
      /** The time of the `sequential` streams after the run, if asked for. */
      sequentialMs?: number;
    }
  | { type: 'error'; message: string };

const MB = 1024 * 1024;
const SAMPLE_EVERY_MS = 5;

function send(message: ChildMessage): Promise<void> {
  return new Promise((resolve) => (process.send ? process.send(message, () => resolve()) : resolve()));
}

/**
 * A full collection. Before a `heap` run only: it frees the hidden classes that only the previous
 * run's objects used, and V8 throws away the optimised code that relied on them, so the run after
 * it warms up again (NOTES.md, "The forced collection"). An application collects that way far
 * less often than once per request, so the timed runs do without it.
 */
function collectGarbage(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

async function main(): Promise<void> {
  const config = JSON.parse(process.argv[2] ?? '{}') as ChildConfig;
  const impl = IMPLEMENTATIONS.find((candidate) => candidate.id === config.impl);
  if (!impl) throw new Error(`unknown implementation ${config.impl}`);
  const consume = (await impl.load())(config.url, config.relay);

  const runOnce = async (phase: RunPhase): Promise<void> => {
    if (phase === 'heap') collectGarbage();
    const startHeap = getHeapStatistics().used_heap_size;
    let peakHeap = startHeap;
    const sampler = setInterval(() => {
      peakHeap = Math.max(peakHeap, getHeapStatistics().used_heap_size);
    }, SAMPLE_EVERY_MS);
    const reads = snapshotSink.reads;
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    try {
      const results: StreamResult[] = config.streams === 1 ? [await consume()] : await Promise.all(Array.from({ length: config.streams }, () => consume()));
      const ms = performance.now() - t0;
      const cpu = process.cpuUsage(cpu0);
      peakHeap = Math.max(peakHeap, getHeapStatistics().used_heap_size);
      clearInterval(sampler);
      let sequentialMs: number | undefined;
      if (config.sequential) {
        const t1 = performance.now();
        for (let i = 0; i < config.sequential; i++) await consume();
        sequentialMs = performance.now() - t1;
      }
      await send({
        type: 'run',
        phase,
        ms,
        peakHeapMB: peakHeap / MB,
        startHeapMB: startHeap / MB,
        cpuMs: (cpu.user + cpu.system) / 1000,
        peakRssMB: process.resourceUsage().maxRSS / 1024,
        digest: digestResults(results),
        summary: describeResult(results[0] as StreamResult),
        snapshotReads: snapshotSink.reads - reads,
        ...(sequentialMs !== undefined ? { sequentialMs } : {}),
      });
    } finally {
      clearInterval(sampler);
    }
  };

  // Runs one at a time, in the order asked; a failed run ends the child with its error.
  let queue = Promise.resolve();
  process.on('message', (request: ChildRequest) => {
    queue = queue.then(async () => {
      if (request.type === 'stop') process.exit(0);
      await runOnce(request.phase);
    });
    queue.catch(fail);
  });
  process.on('disconnect', () => process.exit(0));
  collectGarbage();
  await send({ type: 'ready', baseHeapMB: getHeapStatistics().used_heap_size / MB, baseRssMB: process.memoryUsage.rss() / MB });
}

async function fail(error: unknown): Promise<void> {
  await send({ type: 'error', message: error instanceof Error ? (error.stack ?? error.message) : String(error) });
  process.exit(1);
}

main().catch(fail);
