import type { RunMessage } from '../../bench/measure';
import { evaluateOutcome } from '../../bench/evaluate';
import { IMPLEMENTATIONS } from '../../bench/implementations';
import { parseOptions } from '../../bench/options';
import { benchReportOf } from './benchReportOf';
import type { BenchReport, PairResult } from '../../bench/report/BenchReport';
import { addRatios } from '../../bench/report/ratios';
import { resultsMarkdown } from '../../bench/report/resultsMarkdown';
import { checkTargets, TARGETS } from '../../bench/report/targets';
import type { ServedWorkload } from '../../bench/server';
import { defineWorkloads, FULL_SCALE, type Workload } from '../../bench/workloads';

// The timed runs follow one another without a forced collection; the heap runs come after them,
// each after a full collection, and give the peak heap and a second figure per target.

const run = (phase: RunMessage['phase'], ms: number, peakHeapMB: number): RunMessage => ({
  type: 'run',
  phase,
  ms,
  peakHeapMB,
  startHeapMB: 10,
  cpuMs: ms,
  peakRssMB: 80,
  digest: 'expected',
  summary: 'text',
  snapshotReads: 0,
});

const workloads = defineWorkloads({ ...FULL_SCALE, toolSizesKB: [50] });
const workload = (id: string): Workload => workloads.find((w) => w.id === id) as Workload;
const served = (id: string, streams = 1): ServedWorkload => ({ id, events: 1000, bytes: 100_000, streams, expectedDigest: 'expected', expectedSummary: 'text' });
const impl = (id: string) => IMPLEMENTATIONS.find((candidate) => candidate.id === id)!;

describe('the heap runs of a pair', () => {
  it('give the peak heap and the time after a collection; the median is of the measured runs only', () => {
    const runs = [run('warmup', 90, 400), run('measure', 10, 300), run('measure', 12, 310), run('measure', 11, 305), run('heap', 30, 40), run('heap', 20, 42), run('heap', 25, 41)];
    const { result, failures } = evaluateOutcome(impl('rx-events'), workload('text'), served('text'), { baseHeapMB: 10, baseRssMB: 50, error: undefined, killedAtBudget: false, runs }, 3);
    expect(failures).toEqual([]);
    expect(result.medianMs).toBe(11);
    expect(result.timesMs).toEqual([10, 12, 11]);
    expect(result.peakHeapMB).toBe(42);
    expect(result.heapFromCollectedRuns).toBe(true);
    expect(result.afterCollectionTimesMs).toEqual([30, 20, 25]);
    expect(result.afterCollectionMedianMs).toBe(25);
  });

  it('give the heap per stream of concurrent streams, from the median of their peaks', () => {
    const runs = [run('measure', 100, 900), run('heap', 120, 60), run('heap', 130, 70), run('heap', 125, 80)];
    const { result } = evaluateOutcome(impl('rx-events'), workload('many'), served('many', 1000), { baseHeapMB: 10, baseRssMB: 50, error: undefined, killedAtBudget: false, runs }, 1);
    expect(result.heapPerStreamKB).toBeCloseTo(((70 - 10) * 1024) / 1000);
  });

  it('leave the peak heap to the timed runs when there were none, and say so', () => {
    const runs = [run('measure', 10, 300), run('measure', 12, 310)];
    const { result } = evaluateOutcome(impl('rx-events'), workload('text'), served('text'), { baseHeapMB: 10, baseRssMB: 50, error: undefined, killedAtBudget: false, runs }, 2);
    expect(result.peakHeapMB).toBe(310);
    expect(result.heapFromCollectedRuns).toBe(false);
    expect(result.afterCollectionMedianMs).toBeUndefined();
  });

  it('are asked for with --heap-runs (3 by default, 1 in a quick run)', () => {
    expect(parseOptions([]).heapRuns).toBe(3);
    expect(parseOptions(['--quick']).heapRuns).toBe(1);
    expect(parseOptions(['--heap-runs', '0']).heapRuns).toBe(0);
    expect(() => parseOptions(['--heap-runs', '-1'])).toThrow('--heap-runs needs a number ≥ 0');
  });
});

/** A report whose results have the given timed medians and medians after a collection. */
function reportOf(medians: Record<string, Record<string, [timed: number, afterCollection: number]>>): BenchReport {
  const options = parseOptions([]);
  const ids = Object.keys(medians);
  const results: PairResult[] = ids.flatMap((id) =>
    Object.entries(medians[id]!).map(([implId, [timed, collected]]): PairResult => ({
      workload: id,
      impl: implId,
      status: 'ok',
      runs: 15,
      fromWarmup: false,
      timesMs: [timed],
      warmupTimesMs: [],
      medianMs: timed,
      eventsPerSec: 1000 / timed,
      mbPerSec: 1,
      afterCollectionTimesMs: [collected],
      afterCollectionMedianMs: collected,
    })),
  );
  addRatios(results, ids.map(workload), options.budgetSeconds * 1000);
  return benchReportOf(options, ids.map(workload), results);
}

describe('a target judged twice', () => {
  const report = reportOf({
    text: { floor: [10, 20], 'rx-events': [11, 30], 'sdk-stream': [20, 45] },
    thinking: { floor: [10, 20], 'rx-events': [11, 22], 'sdk-stream': [20, 40] },
  });
  const textTarget = checkTargets(report).find((c) => c.target === TARGETS.textAndThinking)!;

  it('divides the medians after a collection by the floor’s median after a collection', () => {
    const events = report.results.find((r) => r.impl === 'rx-events' && r.workload === 'text')!;
    expect(events.ratioToFloor).toEqual({ value: 1.1 });
    expect(events.ratioToFloorAfterCollection).toEqual({ value: 1.5 });
  });

  it('keeps the verdict of the timed runs and gives the one after a collection beside it', () => {
    expect(textTarget.verdict).toBe('met');
    expect(textTarget.figures[0]).toBe('text: rx-events 11.0 ms = 1.10× the floor; sdk-stream 20.0 ms, so rx-events is 1.82× faster');
    expect(textTarget.afterCollection).toEqual({
      verdict: 'missed',
      figures: [
        'text: rx-events 30.0 ms = 1.50× the floor; sdk-stream 45.0 ms, so rx-events is 1.50× faster',
        'thinking: rx-events 22.0 ms = 1.10× the floor; sdk-stream 40.0 ms, so rx-events is 1.82× faster',
      ],
    });
  });

  it('writes both verdicts into RESULTS.md', () => {
    const markdown = resultsMarkdown(report);
    const section = markdown.slice(markdown.indexOf(`> ${TARGETS.textAndThinking}`));
    expect(section).toMatch(/- \*\*met\*\*\n\nAfter a full collection before the run \(the heap runs, median of up to 3 each\):\n\n- text: rx-events 30\.0 ms = 1\.50× the floor.+\n- thinking: .+\n- \*\*missed\*\* after a collection\n/);
  });

  it("says so when rx-events took the recovery pair's nine runs after a collection", () => {
    const nine = Array.from({ length: 9 }, () => 30);
    const nined = report.results.map((r) => (r.impl === 'rx-events' ? { ...r, afterCollectionTimesMs: nine } : r));
    // The pair: rx-events-recovery beside rx-events on the same workloads.
    const withNine: BenchReport = { ...report, results: [...nined, ...nined.filter((r) => r.impl === 'rx-events').map((r) => ({ ...r, impl: 'rx-events-recovery' }))] };
    expect(resultsMarkdown(withNine)).toContain('After a full collection before the run (the heap runs, median of up to 3 each, 9 for `rx-events`):');
    expect(resultsMarkdown(report)).not.toContain('for `rx-events`):');
    // The relay's rx-events row takes runs of its own (15 after a collection): not the message workloads' figure.
    const relayRow = { ...(withNine.results.find((r) => r.impl === 'rx-events') as (typeof withNine.results)[number]), workload: 'relay', afterCollectionTimesMs: Array.from({ length: 15 }, () => 30) };
    expect(resultsMarkdown({ ...withNine, results: [...withNine.results, relayRow] })).toContain('(the heap runs, median of up to 3 each, 9 for `rx-events`):');
  });

  it('has no second verdict without heap runs', () => {
    const timedOnly: BenchReport = { ...report, results: report.results.map(({ afterCollectionMedianMs: _a, afterCollectionTimesMs: _t, ratioToFloorAfterCollection: _r, ...r }) => r) };
    expect(checkTargets(timedOnly).find((c) => c.target === TARGETS.textAndThinking)!.afterCollection).toBeUndefined();
  });
});
