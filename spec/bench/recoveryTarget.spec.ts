import { parseOptions } from '../../bench/options';
import type { PairResult } from '../../bench/report/BenchReport';
import { recoveryTargetFigures } from '../../bench/report/recoveryTarget';
import { resultsMarkdown } from '../../bench/report/resultsMarkdown';
import { checkTargets, TARGETS } from '../../bench/report/targets';
import { benchReportOf } from './benchReportOf';

const median = (times: number[]) => [...times].sort((a, b) => a - b)[Math.floor(times.length / 2)]!;
const result = (impl: string, workload: string, timesMs: number[], afterCollectionTimesMs?: number[]): PairResult => ({
  workload,
  impl,
  status: 'ok',
  runs: timesMs.length,
  fromWarmup: false,
  timesMs,
  warmupTimesMs: [],
  medianMs: median(timesMs),
  eventsPerSec: 1000 / (median(timesMs) / 1000),
  mbPerSec: 0.1 / (median(timesMs) / 1000),
  ...(afterCollectionTimesMs ? { afterCollectionTimesMs, afterCollectionMedianMs: median(afterCollectionTimesMs) } : {}),
});
const reportOf = (results: PairResult[]) =>
  benchReportOf(parseOptions([]), [...new Set(results.map((r) => r.workload))].map((id) => ({ id, description: id })), results);

describe("issue 25's cost target (every recovery option on, no fault)", () => {
  it('passes a workload whose slowdown is within the run-to-run spread, and fails one beyond it', () => {
    const report = reportOf([
      result('rx-events', 'text', [50, 52, 54, 56, 58]),
      result('rx-events-recovery', 'text', [52, 54, 55, 57, 60]),
      result('rx-events', 'thinking', [40, 41, 42, 43, 44]),
      result('rx-events-recovery', 'thinking', [60, 61, 62, 63, 64]),
    ]);
    const { figures, passes } = recoveryTargetFigures(report, false);
    expect(passes).toEqual([true, false]);
    expect(figures[0]).toMatch(/^text: rx-events-recovery 55(\.0)? ms, rx-events 54(\.0)? ms: 1\.02×, 1(\.00)? ms slower \(run-to-run spread 4(\.00)? ms\)$/);
    expect(figures[1]).toMatch(/^thinking: .*1\.48×, 20(\.0)? ms slower/);
  });

  it('counts a faster run as no cost, and judges the runs after a collection on their own times', () => {
    const report = reportOf([
      result('rx-events', 'text', [50, 50, 50], [90, 100, 110]),
      result('rx-events-recovery', 'text', [40, 40, 40], [150, 160, 170]),
    ]);
    expect(recoveryTargetFigures(report, false).passes).toEqual([true]);
    expect(recoveryTargetFigures(report, true).passes).toEqual([false]);
  });

  it('is quoted word for word among the targets, and not measured when either side did not run', () => {
    const measured = checkTargets(reportOf([result('rx-events', 'text', [50, 51, 52]), result('rx-events-recovery', 'text', [50, 51, 52])]));
    expect(measured.find((c) => c.target === TARGETS.recoveryCost)?.verdict).toBe('met');
    const alone = checkTargets(reportOf([result('rx-events', 'text', [50, 51, 52])]));
    expect(alone.find((c) => c.target === TARGETS.recoveryCost)?.verdict).toBe('not measured');
    expect(TARGETS.recoveryCost).toBe('A stream that needs none of it pays nothing: `npm run bench` shows no change (within noise) on every workload with all four options turned on and no fault injected.');
  });

  it('takes its runs after a collection with --recovery-heap-runs (9 by default, 1 in a quick run), and says how many', () => {
    expect(parseOptions([]).recoveryHeapRuns).toBe(9);
    expect(parseOptions(['--quick']).recoveryHeapRuns).toBe(1);
    expect(parseOptions(['--recovery-heap-runs', '15']).recoveryHeapRuns).toBe(15);
    expect(() => parseOptions(['--recovery-heap-runs', '-1'])).toThrow('--recovery-heap-runs needs a number ≥ 0');
    const nine = Array.from({ length: 9 }, (_, i) => 100 + i);
    const markdown = resultsMarkdown(reportOf([result('rx-events', 'text', [50, 51, 52], nine), result('rx-events-recovery', 'text', [50, 51, 52], nine)]));
    const section = markdown.slice(markdown.indexOf('### The recovery options (issue 25)'));
    expect(section).toMatch(/After a full collection before the run \(the heap runs, median of up to 9 each\):\n\n- text: rx-events-recovery 104(\.0)? ms, rx-events 104(\.0)? ms: 1\.00×/);
  });
});
