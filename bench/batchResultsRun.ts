/**
 * The Message Batches results of `npm run bench` (the `batch-results` workload, issue 26): the
 * batch server (`batchServer.ts`, a process of its own) serves one results file, and
 * rx-anthropic's and the official SDK's `results(id)` read it, each in a child of its own
 * (`child.ts`), taking their runs in turn as the children of every workload do. Besides the time,
 * each run's peak heap growth: V8's used heap (`process.memoryUsage().heapUsed`'s figure, read
 * with `getHeapStatistics()`) sampled every 5 ms during the run and once at its end, less a
 * baseline taken right after a full collection (`gc()`): for the timed runs the child's heap
 * after the collection before its first run, so the garbage of earlier runs not yet collected
 * counts too; for the heap runs the heap right after the collection that starts each.
 */
import { BatchServerProcess } from './batchServerProcess';
import { evaluateOutcome } from './evaluate';
import type { Implementation } from './implementations';
import { mainThreadProfile, MeasuredChild, type RunPlan } from './measure';
import { cpuMedians, heapGrowth } from './report/batchResults';
import type { PairResult } from './report/BenchReport';
import { summariseCpuProfile } from './report/cpuProfile';
import { addServerLoad, loadOf, type ServerLoadTotals } from './report/serverLoad';
import type { ServedWorkload } from './server';
import type { Workload } from './workloads';

export interface BatchResultsRunInput {
  /** The `batch-results` workload. */
  workload: Workload;
  /** The implementations that read it (`rx-batch-results`, `sdk-batch-results`, as selected). */
  impls: readonly Implementation[];
  plan: RunPlan;
  requestedRuns: number;
  chunkBytes: number;
  nodeArgs: readonly string[];
  /** With `--cpu-prof`: the directory each child writes its profile to. */
  profileDirOf?: (impl: string) => string;
  onResult(result: PairResult, failed: boolean): void;
}

export interface BatchResultsRunOutput {
  results: PairResult[];
  failures: string[];
  /** The file as the batch server served it; `undefined` if it did not start. */
  served?: ServedWorkload;
}

export async function measureBatchResults(input: BatchResultsRunInput): Promise<BatchResultsRunOutput> {
  const { workload, plan } = input;
  let server: BatchServerProcess;
  try {
    server = await BatchServerProcess.start({ workload: workload.id, lines: workload.resultLines ?? 0, chunkBytes: input.chunkBytes });
  } catch (error) {
    return { results: [], failures: [`the batch server did not start: ${error instanceof Error ? error.message : String(error)}`] };
  }
  try {
    const pairs = input.impls.map((impl) => {
      const profile = input.profileDirOf?.(impl.id);
      const nodeArgs = [...input.nodeArgs, ...(profile ? ['--cpu-prof', '--cpu-prof-dir', profile] : [])];
      const child = new MeasuredChild({ impl: impl.id, url: server.url, streams: 1 }, plan, nodeArgs);
      return { impl, child, profile, load: { activeMs: 0, wallMs: 0, cpuMs: 0 } as ServerLoadTotals };
    });
    await Promise.all(pairs.map(({ child }) => child.ready));
    while (pairs.some(({ child }) => child.hasNext)) {
      for (const pair of pairs) {
        if (!pair.child.hasNext) continue;
        const before = await server.load();
        await pair.child.next();
        addServerLoad(pair.load, before, await server.load());
      }
    }
    const results: PairResult[] = [];
    const failures: string[] = [];
    for (const pair of pairs) {
      const outcome = await pair.child.stop();
      const evaluated = evaluateOutcome(pair.impl, workload, server.served, outcome, input.requestedRuns);
      Object.assign(evaluated.result, heapGrowth(outcome), cpuMedians(outcome));
      const load = loadOf(pair.load);
      if (load) evaluated.result.server = load;
      const profile = pair.profile ? mainThreadProfile(pair.profile) : undefined;
      if (profile) evaluated.result.profile = summariseCpuProfile(profile);
      results.push(evaluated.result);
      failures.push(...evaluated.failures);
      input.onResult(evaluated.result, evaluated.failures.length > 0);
    }
    return { results, failures, served: server.served };
  } finally {
    server.stop();
  }
}
