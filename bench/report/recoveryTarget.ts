import type { BenchReport, PairResult } from './BenchReport';
import { formatMs } from './format';

/** The two implementations issue 25's cost compares: the pipeline without the recovery options, and with all of them on. */
export const RECOVERY_PAIR: readonly string[] = ['rx-events', 'rx-events-recovery'];

/** The quartile `q` (0 to 1) of `values`, interpolated between the two nearest. */
function quantile(values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (sorted.length - 1) * q;
  const below = Math.floor(at);
  const above = Math.ceil(at);
  return sorted[below]! + (sorted[above]! - sorted[below]!) * (at - below);
}

/** The interquartile range of `values`: the spread of the middle half of the runs. */
function interquartileRange(values: readonly number[]): number {
  return values.length < 2 ? 0 : quantile(values, 0.75) - quantile(values, 0.25);
}

/**
 * Issue 25's cost target: on every workload, `rx-events-recovery` (every recovery option on, no
 * fault) against `rx-events` (the same pipeline without them), in the same run. "No change
 * (within noise)" is judged as: the recovery run's median is slower than the plain one's by no more
 * than the run-to-run spread of either (the larger interquartile range of their runs).
 *
 * @param report The run.
 * @param afterCollection Judge the runs made right after a full collection instead of the timed runs.
 * @return One line per workload, and whether each passes.
 */
export function recoveryTargetFigures(report: BenchReport, afterCollection: boolean): { figures: string[]; passes: boolean[] } {
  const figures: string[] = [];
  const passes: boolean[] = [];
  const find = (impl: string, workload: string): PairResult | undefined => report.results.find((r) => r.impl === impl && r.workload === workload && r.status === 'ok');
  for (const workload of report.workloads) {
    const [plain, recovery] = RECOVERY_PAIR.map((impl) => find(impl, workload.id));
    if (plain === undefined || recovery === undefined) continue;
    const times = (r: PairResult) => (afterCollection ? (r.afterCollectionTimesMs ?? []) : r.timesMs);
    const median = (r: PairResult) => (afterCollection ? r.afterCollectionMedianMs : r.medianMs);
    const [a, b] = [median(plain), median(recovery)];
    if (a === undefined || b === undefined) continue;
    const noise = Math.max(interquartileRange(times(plain)), interquartileRange(times(recovery)));
    passes.push(b - a <= noise);
    figures.push(
      `${workload.id}: rx-events-recovery ${formatMs(b)}, rx-events ${formatMs(a)}: ${(b / a).toFixed(2)}×, ` +
        `${b >= a ? `${formatMs(b - a)} slower` : `${formatMs(a - b)} faster`} (run-to-run spread ${formatMs(noise)})`,
    );
  }
  return { figures, passes };
}
