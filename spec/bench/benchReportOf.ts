import type { BenchOptions } from '../../bench/options';
import type { BenchReport, PairResult } from '../../bench/report/BenchReport';

/**
 * A finished run's report around the given results, for the report specs: a fixed machine, each
 * workload served as 1,000 events of 100 kB in one stream.
 *
 * ## Example
 * ```ts
 * const report = benchReportOf(parseOptions([]), [{ id: 'text', description: 'text' }], results);
 * ```
 */
export function benchReportOf(options: BenchOptions, workloads: ReadonlyArray<{ id: string; description: string }>, results: PairResult[]): BenchReport {
  return {
    startedAt: '2025-01-01T00:00:00.000Z',
    durationSeconds: 60,
    command: 'npm run bench',
    options,
    machine: { cpuModel: 'test CPU', cores: 2, memoryGiB: 4, node: 'v20', os: 'Linux', loadAverage: { start: 1, end: 1 } },
    versions: {},
    workloads: workloads.map((w) => ({ id: w.id, events: 1000, bytes: 100_000, streams: 1, expectedDigest: 'x', expectedSummary: 'x', description: w.description })),
    implementations: [...new Set(results.map((r) => r.impl))].map((id) => ({ id, description: id, snapshotsPerDelta: false })),
    results,
    failures: [],
  };
}
