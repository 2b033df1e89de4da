import type { BenchReport, PairResult } from './BenchReport';
import { formatMedian, formatMs, formatRate, formatRatio, formatRuns } from './format';

/** Rows of a table, `null` for a separator between groups, with the alignment of each column. */
export interface TableData {
  headers: string[];
  rows: Array<string[] | null>;
  right: boolean[];
}

/** The main table: every (workload, implementation), grouped by workload. */
export function resultsTable(report: BenchReport): TableData {
  const headers = ['workload', 'implementation', 'runs', 'median', 'events/s', 'MB/s', 'peak RSS MiB', 'peak heap MiB', '× floor', '× floor after GC', '× sdk-stream', '× sdk-lazy', '× sdk-create'];
  const rows: Array<string[] | null> = [];
  let previous: string | undefined;
  for (const r of report.results) {
    if (previous !== undefined && previous !== r.workload) rows.push(null);
    previous = r.workload;
    const ok = r.status === 'ok';
    rows.push([
      r.workload,
      r.impl,
      formatRuns(r),
      formatMedian(r, report.options.budgetSeconds),
      ok ? formatRate(r.eventsPerSec as number) : '—',
      ok ? (r.mbPerSec as number).toFixed(1) : '—',
      r.peakRssMB !== undefined ? r.peakRssMB.toFixed(0) : '—',
      r.peakHeapMB !== undefined ? r.peakHeapMB.toFixed(0) : '—',
      formatRatio(r.ratioToFloor),
      formatRatio(r.ratioToFloorAfterCollection),
      formatRatio(r.ratioToSdkStream),
      formatRatio(r.ratioToSdkLazy),
      formatRatio(r.ratioToSdkCreate),
    ]);
  }
  return { headers, rows, right: headers.map((_, i) => i >= 2) };
}

/**
 * Time per KiB of tool input at each size, per implementation, for the wide and the nested
 * inputs: flat means linear in the input size, growing means worse (doubling per size step means
 * quadratic). A growth column per shape divides the largest size's time per KiB by the smallest's.
 * `null` when there are fewer than two tool workloads.
 */
export function toolScalingTable(report: BenchReport): TableData | null {
  const sizes = report.workloads.filter((w) => sizeOf(w.id) !== undefined);
  if (sizes.length < 2) return null;
  const shapes = ['tool', 'nested'].map((shape) => sizes.filter((w) => w.id.startsWith(`${shape}-`))).filter((group) => group.length >= 2);
  const growthHeader = (group: typeof sizes): string => `${group[0]!.id.split('-')[0]} ${group[group.length - 1]!.id.split('-')[1]} / ${group[0]!.id.split('-')[1]}`;
  const headers = ['implementation', 'snapshots', ...sizes.map((w) => `${w.id} ms/KiB`), ...shapes.map((group) => `growth ${growthHeader(group)}`)];
  const measured = report.implementations.filter((impl) => report.results.some((r) => r.impl === impl.id && sizeOf(r.workload) !== undefined));
  const rows = measured.map((impl) => {
    const perKB = new Map(
      sizes.map((w) => {
        const r = report.results.find((x) => x.impl === impl.id && x.workload === w.id);
        return [w.id, r?.status === 'ok' ? (r.medianMs as number) / (sizeOf(w.id) as number) : r] as const;
      }),
    );
    const cells = sizes.map((w) => {
      const v = perKB.get(w.id);
      return typeof v === 'number' ? v.toFixed(3) : v?.status === 'dnf' ? `DNF >${report.options.budgetSeconds} s` : v?.status === 'skipped' ? 'not run' : '—';
    });
    const growths = shapes.map((group) => {
      const first = perKB.get(group[0]!.id);
      const last = perKB.get(group[group.length - 1]!.id);
      return typeof first === 'number' && typeof last === 'number' ? `${(last / first).toFixed(2)}×` : '—';
    });
    return [impl.id, impl.snapshotsPerDelta ? 'every delta' : 'none', ...cells, ...growths];
  });
  return { headers, rows, right: headers.map((_, i) => i >= 2) };
}

/** The tool input size in KiB of a `tool-…k` or `nested-…k` workload id. */
export function sizeOf(id: string): number | undefined {
  const match = /^(?:tool|nested)-(\d+(?:\.\d+)?)k$/.exec(id);
  return match ? Number(match[1]) : undefined;
}

/** Memory of the `many` workload: peak heap above the idle heap, per concurrent stream. */
export function manyMemoryTable(report: BenchReport): TableData | null {
  const many = report.results.filter((r) => r.workload === 'many');
  if (many.length === 0) return null;
  const headers = ['implementation', 'median', 'peak heap MiB', 'heap before MiB', 'heap per stream KiB', 'peak RSS MiB'];
  const rows = many.map((r: PairResult) => [
    r.impl,
    r.status === 'ok' ? formatMs(r.medianMs as number) : formatMedian(r, report.options.budgetSeconds),
    r.peakHeapMB?.toFixed(1) ?? '—',
    r.baseHeapMB?.toFixed(1) ?? '—',
    r.heapPerStreamKB?.toFixed(1) ?? '—',
    r.peakRssMB?.toFixed(0) ?? '—',
  ]);
  return { headers, rows, right: headers.map((_, i) => i >= 1) };
}
