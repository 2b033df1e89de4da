import type { Implementation } from './implementations';
import type { ChildOutcome } from './measure';
import type { PairResult, Ratio } from './report/BenchReport';
import type { ServedWorkload } from './server';
import type { Workload } from './workloads';

/** The median of `values` (the mean of the two middle ones for an even count). */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/**
 * Turns what a child reported into a result, and lists what is wrong with it: a digest that is
 * not the generator's (the implementation disagrees), a child error, a snapshot consumer that
 * read no snapshot.
 */
export function evaluateOutcome(
  impl: Implementation,
  workload: Workload,
  served: ServedWorkload,
  outcome: ChildOutcome,
  requestedRuns: number,
): { result: PairResult; failures: string[] } {
  const failures: string[] = [];
  const pair = `${impl.id} on ${workload.id}`;
  for (const run of outcome.runs) {
    if (run.digest !== served.expectedDigest) {
      failures.push(`${pair} disagrees: got ${run.summary} (digest ${run.digest}), expected ${served.expectedSummary} (digest ${served.expectedDigest})`);
      break;
    }
  }
  const readsSnapshots = impl.snapshotsPerDelta && (workload.family === 'tool' || workload.family === 'nested' || workload.family === 'mixed' || workload.family === 'structured');
  if (readsSnapshots && outcome.runs.some((run) => run.snapshotReads === 0)) failures.push(`${pair} read no ${workload.family === 'structured' ? 'partial object' : 'input_json snapshot'}`);
  if (outcome.error !== undefined) failures.push(`${pair} failed: ${outcome.error}`);

  const measured = outcome.runs.filter((run) => run.phase === 'measure');
  const timed = outcome.runs.filter((run) => run.phase !== 'heap');
  const counted = measured.length > 0 ? measured : timed;
  // The peak heap comes from the runs after a full collection; without any, from the timed runs (with the garbage of the runs before).
  const heapRuns = outcome.runs.filter((run) => run.phase === 'heap');
  const forHeap = heapRuns.length > 0 ? heapRuns : counted;
  const base: PairResult = {
    workload: workload.id,
    impl: impl.id,
    status: 'ok',
    runs: counted.length,
    fromWarmup: measured.length === 0 && counted.length > 0,
    timesMs: measured.map((run) => run.ms),
    warmupTimesMs: outcome.runs.filter((run) => run.phase === 'warmup').map((run) => run.ms),
    ...(outcome.baseHeapMB !== undefined ? { baseHeapMB: outcome.baseHeapMB } : {}),
  };
  if (outcome.runs.length > 0) {
    base.peakRssMB = Math.max(...outcome.runs.map((run) => run.peakRssMB));
    if (forHeap.length > 0) base.peakHeapMB = Math.max(...forHeap.map((run) => run.peakHeapMB));
    base.heapFromCollectedRuns = heapRuns.length > 0;
  }
  if (heapRuns.length > 0) {
    base.afterCollectionTimesMs = heapRuns.map((run) => run.ms);
    base.afterCollectionMedianMs = median(base.afterCollectionTimesMs);
  }
  if (outcome.error !== undefined) return { result: { ...base, status: 'error', note: outcome.error.split('\n')[0] as string }, failures };
  if (counted.length === 0) return { result: { ...base, status: 'dnf', runs: 0 }, failures };

  const ms = median(counted.map((run) => run.ms));
  const seconds = ms / 1000;
  const result: PairResult = {
    ...base,
    medianMs: ms,
    eventsPerSec: (served.events * served.streams) / seconds,
    mbPerSec: (served.bytes * served.streams) / 1e6 / seconds,
  };
  if (workload.streams > 1 && result.baseHeapMB !== undefined) {
    // The median of the runs' peaks: a peak is sampled between collections, and one run's peak says as much about when the collector ran.
    result.heapPerStreamKB = ((median(forHeap.map((run) => run.peakHeapMB)) - result.baseHeapMB) * 1024) / workload.streams;
  }
  const sequential = counted.map((run) => run.sequentialMs).filter((ms): ms is number => ms !== undefined);
  if (workload.sequential && sequential.length > 0) {
    result.singleStreamEventsPerSec = (served.events * workload.sequential) / (median(sequential) / 1000);
  }
  const notes: string[] = [];
  if (result.fromWarmup) {
    notes.push(
      outcome.killedAtBudget
        ? 'the figure is the warm-up run: the measured run after it did not end within the budget and was killed'
        : 'the figure is the warm-up run: no time was left in the budget for a measured run',
    );
  } else if (measured.length < requestedRuns) {
    notes.push(`${measured.length} of ${requestedRuns} measured runs (slow: stopped at the time target or the budget)`);
    if (outcome.killedAtBudget) notes.push('a further run was killed at the end of the budget');
  }
  if (notes.length > 0) result.note = notes.join('; ');
  return { result, failures };
}

/**
 * The ratio of the two results' medians of the runs after a full collection (the heap runs), when
 * both have them.
 */
export function ratioAfterCollection(result: PairResult, reference: PairResult | undefined): Ratio | undefined {
  if (result.afterCollectionMedianMs === undefined || reference?.afterCollectionMedianMs === undefined) return undefined;
  return { value: result.afterCollectionMedianMs / reference.afterCollectionMedianMs };
}

/** The ratio of `result`'s median to `reference`'s, or a bound when one did not finish in `budgetMs`. */
export function ratio(result: PairResult, reference: PairResult | undefined, budgetMs: number): Ratio | undefined {
  if (!reference) return undefined;
  const unfinished = (r: PairResult): boolean => r.status === 'dnf' || r.status === 'skipped';
  if (result.status === 'ok' && reference.status === 'ok') return { value: (result.medianMs as number) / (reference.medianMs as number) };
  if (result.status === 'ok' && unfinished(reference)) return { value: (result.medianMs as number) / budgetMs, bound: '<' };
  if (unfinished(result) && reference.status === 'ok') return { value: budgetMs / (reference.medianMs as number), bound: '>' };
  return undefined;
}
