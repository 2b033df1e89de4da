import { median } from '../evaluate';
import type { ChildOutcome } from '../measure';
import type { BenchReport, PairResult } from './BenchReport';
import { formatMedian, formatMs, formatRate, formatRatio, formatRuns } from './format';
import type { TableData } from './tables';

/** The workload and the two readers of the Message Batches results target (issue 26). */
export const BATCH_WORKLOAD = 'batch-results';
export const RX_BATCH_IMPL = 'rx-batch-results';
export const SDK_BATCH_IMPL = 'sdk-batch-results';

/** The bounds: peak heap growth under this many MB (taken as MiB, the stricter), and a time at most this many times the SDK's. */
export const BATCH_HEAP_BOUND_MB = 50;
export const BATCH_TIME_BOUND = 1.2;

function batchRow(report: BenchReport, impl: string): PairResult | undefined {
  return report.results.find((r) => r.workload === BATCH_WORKLOAD && r.impl === impl);
}

const growthOf = (r: PairResult | undefined, afterCollection: boolean): number | undefined => (afterCollection ? r?.heapGrowthAfterCollectionMB : r?.heapGrowthMB);
const mib = (value: number | undefined): string => (value === undefined ? '—' : `${value.toFixed(1)} MiB`);

/** The two readers' rows: runs, median, lines/s, median after a collection, peak heap growth of each kind, and the time over the SDK's. */
export function batchResultsTable(report: BenchReport): TableData | null {
  const rows = [RX_BATCH_IMPL, SDK_BATCH_IMPL].map((impl) => [impl, batchRow(report, impl)] as const).filter((entry) => entry[1] !== undefined);
  if (rows.length === 0) return null;
  const sdk = batchRow(report, SDK_BATCH_IMPL);
  const headers = ['reader', 'runs', 'median', 'lines/s', 'MB/s', 'median after GC', 'CPU median', 'CPU after GC', 'peak heap growth', 'peak heap growth after GC', 'peak RSS MiB', '÷ SDK', '÷ SDK after GC', 'CPU ÷ SDK'];
  return {
    headers,
    rows: rows.map(([impl, r]) => {
      const row = r as PairResult;
      const ok = row.status === 'ok';
      const timed = ok && sdk?.status === 'ok' ? (row.medianMs as number) / (sdk.medianMs as number) : undefined;
      const collected = row.afterCollectionMedianMs !== undefined && sdk?.afterCollectionMedianMs !== undefined ? row.afterCollectionMedianMs / sdk.afterCollectionMedianMs : undefined;
      const cpu = row.cpuMedianMs !== undefined && sdk?.cpuMedianMs !== undefined ? row.cpuMedianMs / sdk.cpuMedianMs : undefined;
      return [
        impl,
        formatRuns(row),
        formatMedian(row, report.options.budgetSeconds),
        ok ? formatRate(row.eventsPerSec as number) : '—',
        ok ? (row.mbPerSec as number).toFixed(1) : '—',
        row.afterCollectionMedianMs !== undefined ? formatMs(row.afterCollectionMedianMs) : '—',
        row.cpuMedianMs !== undefined ? formatMs(row.cpuMedianMs) : '—',
        row.afterCollectionCpuMedianMs !== undefined ? formatMs(row.afterCollectionCpuMedianMs) : '—',
        mib(row.heapGrowthMB),
        mib(row.heapGrowthAfterCollectionMB),
        row.peakRssMB !== undefined ? row.peakRssMB.toFixed(0) : '—',
        timed !== undefined ? formatRatio({ value: timed }) : '—',
        collected !== undefined ? formatRatio({ value: collected }) : '—',
        cpu !== undefined ? formatRatio({ value: cpu }) : '—',
      ];
    }),
    right: headers.map((_, i) => i >= 1),
  };
}

/**
 * The figures of the Message Batches results target: rx-anthropic's time over the official SDK's
 * on the same file (judged: at most {@link BATCH_TIME_BOUND}) and its peak heap growth (judged:
 * under {@link BATCH_HEAP_BOUND_MB}), the SDK's growth beside it. With `afterCollection`, the
 * medians and the growth of the runs each made right after a full collection. `passes` is empty
 * when the run has not rx-anthropic's row.
 */
export function batchResultsTargetFigures(report: BenchReport, afterCollection: boolean): { figures: string[]; passes: boolean[] } {
  const rx = batchRow(report, RX_BATCH_IMPL);
  const sdk = batchRow(report, SDK_BATCH_IMPL);
  const figures: string[] = [];
  const passes: boolean[] = [];
  if (!rx) return { figures, passes };
  const lines = report.workloads.find((w) => w.id === BATCH_WORKLOAD);
  const file = lines ? `${lines.events.toLocaleString('en-US')} lines, ${(lines.bytes / 1e6).toFixed(1)} MB` : 'the file';
  const time = (r: PairResult | undefined): number | undefined => (r?.status !== 'ok' ? undefined : afterCollection ? r.afterCollectionMedianMs : r.medianMs);
  const [ours, theirs] = [time(rx), time(sdk)];
  if (ours !== undefined && theirs !== undefined) {
    const value = ours / theirs;
    passes.push(value <= BATCH_TIME_BOUND);
    figures.push(`${file}: ${RX_BATCH_IMPL} ${formatMs(ours)}, ${SDK_BATCH_IMPL} ${formatMs(theirs)}: ${formatRatio({ value })} the SDK's time (bound ${BATCH_TIME_BOUND}×; the two take their runs in turn)`);
  } else {
    passes.push(false);
    figures.push(`${file}: ${RX_BATCH_IMPL} ${formatMedian(rx, report.options.budgetSeconds)}; ${SDK_BATCH_IMPL} ${sdk ? formatMedian(sdk, report.options.budgetSeconds) : 'not run'}`);
  }
  const cpu = (r: PairResult | undefined): number | undefined => (afterCollection ? r?.afterCollectionCpuMedianMs : r?.cpuMedianMs);
  const [ourCpu, theirCpu] = [cpu(rx), cpu(sdk)];
  if (ourCpu !== undefined && theirCpu !== undefined) {
    figures.push(`CPU time (each child's, median; reported, not judged): ${RX_BATCH_IMPL} ${formatMs(ourCpu)}, ${SDK_BATCH_IMPL} ${formatMs(theirCpu)}: ${formatRatio({ value: ourCpu / theirCpu })}`);
  }
  const growth = growthOf(rx, afterCollection);
  if (growth !== undefined) {
    passes.push(growth < BATCH_HEAP_BOUND_MB);
    const how = afterCollection ? 'each less the heap right after the collection that starts it' : "less the child's heap after the collection before its first run";
    figures.push(
      `peak heap growth (the largest of the runs: V8's used heap sampled every 5 ms and at the end, ${how}): ${RX_BATCH_IMPL} ${mib(growth)}, ${SDK_BATCH_IMPL} ${mib(growthOf(sdk, afterCollection))} (bound ${BATCH_HEAP_BOUND_MB} MB)`,
    );
  }
  return { figures, passes };
}

/**
 * The largest peak heap growth of a child's timed runs (peak − its heap after the collection
 * before its first run) and of its heap runs (peak − its heap right after the collection that
 * starts the run), in MiB.
 */
export function heapGrowth(outcome: ChildOutcome): Pick<PairResult, 'heapGrowthMB' | 'heapGrowthAfterCollectionMB'> {
  const timed = outcome.runs.filter((run) => run.phase === 'measure');
  const collected = outcome.runs.filter((run) => run.phase === 'heap');
  const growth: Pick<PairResult, 'heapGrowthMB' | 'heapGrowthAfterCollectionMB'> = {};
  if (timed.length > 0 && outcome.baseHeapMB !== undefined) growth.heapGrowthMB = Math.max(...timed.map((run) => run.peakHeapMB)) - outcome.baseHeapMB;
  if (collected.length > 0) growth.heapGrowthAfterCollectionMB = Math.max(...collected.map((run) => run.peakHeapMB - run.startHeapMB));
  return growth;
}

/** The medians of the CPU time of a child's measured runs and of its heap runs, in ms. */
export function cpuMedians(outcome: ChildOutcome): Pick<PairResult, 'cpuMedianMs' | 'afterCollectionCpuMedianMs'> {
  const measured = outcome.runs.filter((run) => run.phase === 'measure').map((run) => run.cpuMs);
  const collected = outcome.runs.filter((run) => run.phase === 'heap').map((run) => run.cpuMs);
  return { ...(measured.length > 0 ? { cpuMedianMs: median(measured) } : {}), ...(collected.length > 0 ? { afterCollectionCpuMedianMs: median(collected) } : {}) };
}
