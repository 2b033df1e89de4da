import { parseOptions } from '../../bench/options';
import { benchReportOf } from './benchReportOf';
import type { BenchReport, PairResult } from '../../bench/report/BenchReport';
import { addRatios } from '../../bench/report/ratios';
import { resultsMarkdown } from '../../bench/report/resultsMarkdown';
import { checkTargets, linearBound, structuredSizeOf, targetLines, TARGETS } from '../../bench/report/targets';
import { defineWorkloads, FULL_SCALE } from '../../bench/workloads';

/** The requirement as it was given; RESULTS.md must quote it exactly. */
const REQUIREMENT =
  "Add a structured-output workload to `npm run bench` (a 100 KB and a 400 KB JSON answer in ~8-character text deltas, partial object read on every delta; its open containers narrow, e.g. records in groups of 32): linear in size, and at most 2× the floor (the floor here: concatenate the text and `JSON.parse` once at the end). The official SDK's `parse()`/stream with a format is the anchor to compare.";

type Medians = Record<string, Record<string, number | 'dnf'>>;

/** A finished run's report with the given medians (ms) per workload and implementation, its ratios computed as `run.ts` does. */
function reportOf(medians: Medians): BenchReport {
  const options = parseOptions([]);
  const ids = Object.keys(medians);
  const families = defineWorkloads({ ...FULL_SCALE, structuredSizesKB: [100, 400], toolSizesKB: [50] });
  const workloads = ids.map((id) => {
    const w = families.find((candidate) => candidate.id === id);
    if (!w) throw new Error(`no workload ${id} in the fixture's scale`);
    return w;
  });
  const results: PairResult[] = ids.flatMap((workload) =>
    Object.entries(medians[workload] as Record<string, number | 'dnf'>).map(([impl, ms]): PairResult =>
      ms === 'dnf'
        ? { workload, impl, status: 'dnf', runs: 0, fromWarmup: false, timesMs: [], warmupTimesMs: [] }
        : { workload, impl, status: 'ok', runs: 15, fromWarmup: false, timesMs: [ms], warmupTimesMs: [ms], medianMs: ms, eventsPerSec: 1, mbPerSec: 1 },
    ),
  );
  addRatios(results, workloads, options.budgetSeconds * 1000);
  return benchReportOf(options, workloads, results);
}

const structuredTarget = (report: BenchReport) => checkTargets(report).find((c) => c.target === TARGETS.structuredOutput)!;
const result = (report: BenchReport, impl: string, workload: string) => report.results.find((r) => r.impl === impl && r.workload === workload)!;

describe('the structured-output target', () => {
  it('is quoted exactly as the requirement is written', () => {
    expect(TARGETS.structuredOutput).toBe(REQUIREMENT);
  });

  it('divides the structured rows by structured-floor and the others by floor', () => {
    const report = reportOf({
      'tool-50k': { floor: 10, 'rx-events': 15, 'sdk-stream': 30 },
      'structured-100k': { floor: 1, 'structured-floor': 20, 'rx-partial': 30, 'sdk-format': 40 },
    });
    expect(result(report, 'rx-events', 'tool-50k').ratioToFloor).toEqual({ value: 1.5 });
    expect(result(report, 'rx-events', 'tool-50k').ratioToSdkStream).toEqual({ value: 0.5 });
    // A `floor` row on a structured workload (which run.ts never makes) is still not its floor.
    expect(result(report, 'rx-partial', 'structured-100k').ratioToFloor).toEqual({ value: 1.5 });
    expect(result(report, 'structured-floor', 'structured-100k').ratioToFloor).toEqual({ value: 1 });
    expect(result(report, 'sdk-format', 'structured-100k').ratioToFloor).toEqual({ value: 2 });
    expect(result(report, 'rx-partial', 'structured-100k').ratioToSdkStream).toBeUndefined();
  });

  it('is met when rx-partial is at most 2× structured-floor at both sizes and grows linearly, with the anchor beside it', () => {
    const report = reportOf({
      'structured-100k': { 'structured-floor': 10, 'rx-partial': 18, 'rx-final-output': 12, 'sdk-format': 15, 'sdk-partial': 3000 },
      'structured-400k': { 'structured-floor': 40, 'rx-partial': 70, 'rx-final-output': 45, 'sdk-format': 60, 'sdk-partial': 'dnf' },
    });
    const check = structuredTarget(report);
    expect(check.verdict).toBe('met');
    expect(check.figures).toEqual([
      'structured-100k: rx-partial 18.0 ms = 1.80× the floor (structured-floor 10.0 ms)',
      'structured-400k: rx-partial 70.0 ms = 1.75× the floor (structured-floor 40.0 ms)',
      "linear: rx-partial's structured-400k time is 3.89× its structured-100k time, for 4× the size (linear up to 4.60×: 15% over proportional, the nested tool input's bound)",
      'structured-100k, the anchor (compared, not judged): sdk-format 15.0 ms, sdk-partial 3.00 s; rx-partial 18.0 ms = 1.20× sdk-format, 0.0060× sdk-partial; rx-final-output 12.0 ms = 0.80× sdk-format, 0.0040× sdk-partial',
      'structured-400k, the anchor (compared, not judged): sdk-format 60.0 ms, sdk-partial did not finish in 60 s; rx-partial 70.0 ms = 1.17× sdk-format, <0.0012× sdk-partial; rx-final-output 45.0 ms = 0.75× sdk-format, <0.00075× sdk-partial',
    ]);
  });

  it('is missed when rx-partial is over 2× structured-floor at one size', () => {
    const check = structuredTarget(
      reportOf({
        'structured-100k': { 'structured-floor': 10, 'rx-partial': 25 },
        'structured-400k': { 'structured-floor': 40, 'rx-partial': 70 },
      }),
    );
    expect(check.verdict).toBe('missed');
    expect(check.figures[0]).toBe('structured-100k: rx-partial 25.0 ms = 2.50× the floor (structured-floor 10.0 ms)');
  });

  it('is missed when rx-partial grows faster than linearly, even within 2× the floor', () => {
    const check = structuredTarget(
      reportOf({
        'structured-100k': { 'structured-floor': 10, 'rx-partial': 15 },
        'structured-400k': { 'structured-floor': 100, 'rx-partial': 80 },
      }),
    );
    expect(check.verdict).toBe('missed');
    expect(check.figures).toContain("linear: rx-partial's structured-400k time is 5.33× its structured-100k time, for 4× the size (linear up to 4.60×: 15% over proportional, the nested tool input's bound)");
  });

  it('is missed when rx-partial does not finish', () => {
    const check = structuredTarget(reportOf({ 'structured-100k': { 'structured-floor': 10, 'rx-partial': 'dnf' } }));
    expect(check.verdict).toBe('missed');
    expect(check.figures).toEqual(['structured-100k: rx-partial did not finish in 60 s = >6000× the floor (structured-floor 10.0 ms)']);
  });

  it('is not measured without rx-partial and structured-floor on a structured workload', () => {
    expect(structuredTarget(reportOf({ 'tool-50k': { floor: 10, 'rx-events': 15 } })).verdict).toBe('not measured');
    expect(structuredTarget(reportOf({ 'structured-100k': { 'rx-partial': 10, 'sdk-format': 12 } })).verdict).toBe('not measured');
  });

  it('is quoted in RESULTS.md with its figures and verdict, and on the console', () => {
    const report = reportOf({
      'structured-100k': { 'structured-floor': 10, 'rx-partial': 18 },
      'structured-400k': { 'structured-floor': 40, 'rx-partial': 70 },
    });
    const markdown = resultsMarkdown(report);
    const section = markdown.slice(markdown.indexOf(`> ${REQUIREMENT}\n`));
    expect(section).toMatch(/^> .+\n\n- structured-100k: rx-partial 18\.0 ms = 1\.80× the floor \(structured-floor 10\.0 ms\)\n- structured-400k: .+\n- linear: .+\n- \*\*met\*\*\n/);
    expect(targetLines(report)).toContainEqual(expect.stringMatching(/^MET: Add a structured-output workload to npm run bench .+… — structured-100k: rx-partial 18\.0 ms/));
  });
});

describe('linearity', () => {
  it('allows 15% over proportional, the nested tool input’s 2.3× for twice the size', () => {
    expect(linearBound(2)).toBeCloseTo(2.3);
    expect(linearBound(4)).toBeCloseTo(4.6);
  });

  it('holds the nested tool input to that bound', () => {
    const report = reportOf({
      'nested-200k': { floor: 10, 'rx-events': 15 },
      'nested-400k': { floor: 20, 'rx-events': 35 },
    });
    const linear = checkTargets(report).find((c) => c.target === TARGETS.linear)!;
    expect(linear.verdict).toBe('missed');
    expect(linear.figures).toContain('nested: the 400k time is 2.33× the 200k time (bound 2.30×)');
  });

  it('reads the size of a structured workload from its id', () => {
    expect(structuredSizeOf('structured-400k')).toBe(400);
    expect(structuredSizeOf('structured-2.5k')).toBe(2.5);
    expect(structuredSizeOf('nested-400k')).toBeUndefined();
  });
});
