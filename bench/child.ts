/**
 * Measures one implementation on one workload, in a process of its own (so its memory figures
 * are its own): loads the implementation, then runs the warm-ups and the measured runs one
 * after the other within the time budget, and reports each run to `run.ts` over IPC as soon as
 * it ends, so that a run killed at the budget still leaves the ones before it.
 *
 * Started with `--expose-gc`: the heap is collected before each run, and its peak sampled every
 * few milliseconds during it.
 */
import { performance } from 'node:perf_hooks';
import { getHeapStatistics } from 'node:v8';
import { IMPLEMENTATIONS } from './implementations';
import { snapshotSink } from './implementations/resultFromMessage';
import { describeResult, digestResults, type StreamResult } from './workloads/StreamResult';

/** What `run.ts` passes as the first argument (JSON). */
export interface ChildConfig {
  impl: string;
  /** The workload's base URL, `http://127.0.0.1:<port>/w/<workload>`. */
  url: string;
  /** Concurrent streams per run. */
  streams: number;
  warmups: number;
  runs: number;
  /** For all the runs together; a run is not started when the last one says it would not end in time. */
  budgetMs: number;
  /** Once `minRuns` measured runs are done, no new run starts after this much time. */
  targetMs: number;
  minRuns: number;
}

export type ChildMessage =
  | { type: 'ready'; baseHeapMB: number; baseRssMB: number }
  | {
      type: 'run';
      phase: 'warmup' | 'measure';
      ms: number;
      peakHeapMB: number;
      /** The process's peak RSS so far (`maxRSS`), which includes every run before. */
      peakRssMB: number;
      digest: string;
      summary: string;
      snapshotReads: number;
    }
  | { type: 'done' }
  | { type: 'error'; message: string };

const MB = 1024 * 1024;
const SAMPLE_EVERY_MS = 5;

function send(message: ChildMessage): Promise<void> {
  return new Promise((resolve) => (process.send ? process.send(message, () => resolve()) : resolve()));
}

function collectGarbage(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

async function main(): Promise<void> {
  const config = JSON.parse(process.argv[2] ?? '{}') as ChildConfig;
  const impl = IMPLEMENTATIONS.find((candidate) => candidate.id === config.impl);
  if (!impl) throw new Error(`unknown implementation ${config.impl}`);
  const consume = (await impl.load())(config.url);

  collectGarbage();
  await send({ type: 'ready', baseHeapMB: getHeapStatistics().used_heap_size / MB, baseRssMB: process.memoryUsage.rss() / MB });

  let peakHeap = 0;
  const sampler = setInterval(() => {
    peakHeap = Math.max(peakHeap, getHeapStatistics().used_heap_size);
  }, SAMPLE_EVERY_MS);

  const phases = [...new Array<'warmup'>(config.warmups).fill('warmup'), ...new Array<'measure'>(config.runs).fill('measure')];
  const started = performance.now();
  let last = 0;
  let skipWarmups = false;
  let measured = 0;
  for (let i = 0; i < phases.length; i++) {
    const phase = phases[i] as 'warmup' | 'measure';
    if (phase === 'warmup' && skipWarmups) continue;
    const elapsed = performance.now() - started;
    if (i > 0 && elapsed + last > config.budgetMs) break;
    if (measured >= config.minRuns && elapsed >= config.targetMs) break;

    collectGarbage();
    peakHeap = getHeapStatistics().used_heap_size;
    const reads = snapshotSink.reads;
    const t0 = performance.now();
    const results: StreamResult[] = config.streams === 1 ? [await consume()] : await Promise.all(Array.from({ length: config.streams }, () => consume()));
    last = performance.now() - t0;
    if (phase === 'measure') measured += 1;
    peakHeap = Math.max(peakHeap, getHeapStatistics().used_heap_size);

    // A run this slow is its own warm-up; more of them would only eat the budget.
    if (phase === 'warmup' && last > config.budgetMs / (config.warmups + config.runs)) skipWarmups = true;
    await send({
      type: 'run',
      phase,
      ms: last,
      peakHeapMB: peakHeap / MB,
      peakRssMB: process.resourceUsage().maxRSS / 1024,
      digest: digestResults(results),
      summary: describeResult(results[0] as StreamResult),
      snapshotReads: snapshotSink.reads - reads,
    });
  }
  clearInterval(sampler);
  await send({ type: 'done' });
}

main().then(
  () => process.exit(0),
  async (error: unknown) => {
    await send({ type: 'error', message: error instanceof Error ? (error.stack ?? error.message) : String(error) });
    process.exit(1);
  },
);
