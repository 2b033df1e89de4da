import { parseOptions } from '../../bench/options';
import type { ChildOutcome, RunMessage } from '../../bench/measure';
import { storesTargetFigures, teeBlockTable, type StoresFigures, TEE_MEMORY_IMPL, TEE_NONE_IMPL, TEE_REDIS_IMPL } from '../../bench/report/stores';
import { checkTargets, TARGETS } from '../../bench/report/targets';
import type { PairResult } from '../../bench/report/BenchReport';
import { mergeOutcomes, shareOf } from '../../bench/teeBlocks';
import { resultsMarkdown } from '../../bench/report/resultsMarkdown';
import { benchReportOf } from './benchReportOf';

const run = (phase: RunMessage['phase'], ms: number): RunMessage => ({ type: 'run', phase, ms, peakHeapMB: 10, startHeapMB: 5, cpuMs: ms, peakRssMB: 100, digest: 'd', summary: 's', snapshotReads: 0 });
const outcome = (runs: RunMessage[], extra: Partial<ChildOutcome> = {}): ChildOutcome => ({ baseHeapMB: 5, baseRssMB: 50, runs, error: undefined, killedAtBudget: false, ...extra });

describe("the tee's runs in blocks (--tee-blocks)", () => {
  it('shares the runs among the blocks as evenly as whole numbers allow, all of them', () => {
    expect([0, 1, 2, 3].map((i) => shareOf(40, 4, i))).toEqual([10, 10, 10, 10]);
    expect([0, 1, 2, 3].map((i) => shareOf(15, 4, i))).toEqual([4, 4, 4, 3]);
    expect([0, 1, 2].map((i) => shareOf(2, 3, i))).toEqual([1, 1, 0]);
  });

  it("puts one client's blocks back together: every run in order, the first base heap, the first error", () => {
    const merged = mergeOutcomes([
      outcome([run('warmup', 90), run('measure', 50), run('heap', 70)], { baseHeapMB: 4 }),
      outcome([run('warmup', 95), run('measure', 52), run('heap', 72)], { baseHeapMB: 6, error: 'first' }),
      outcome([run('measure', 51)], { error: 'second', killedAtBudget: true }),
    ]);
    expect(merged.runs.map((r) => `${r.phase} ${r.ms}`)).toEqual(['warmup 90', 'measure 50', 'heap 70', 'warmup 95', 'measure 52', 'heap 72', 'measure 51']);
    expect(merged.baseHeapMB).toBe(4);
    expect(merged.error).toBe('first');
    expect(merged.killedAtBudget).toBe(true);
    expect(mergeOutcomes([outcome([run('measure', 1)])]).killedAtBudget).toBe(false);
  });

  it('are 8 by default and 1 in a quick run, and the verdict says how the runs were taken', () => {
    expect(parseOptions([]).teeBlocks).toBe(8);
    expect(parseOptions(['--quick']).teeBlocks).toBe(1);
    expect(parseOptions(['--tee-blocks', '8']).teeBlocks).toBe(8);
    expect(() => parseOptions(['--tee-blocks', '0'])).toThrow('--tee-blocks needs a number ≥ 1');
    const row = (impl: string, ms: number): PairResult => ({ workload: 'stores', impl, status: 'ok', runs: 40, fromWarmup: false, timesMs: [ms], warmupTimesMs: [], medianMs: ms });
    const report = { ...benchReportOf(parseOptions([]), [{ id: 'stores', description: 'stores' }], [row(TEE_NONE_IMPL, 50), row(TEE_MEMORY_IMPL, 54), row(TEE_REDIS_IMPL, 60)]), stores: { teeBlocks: 4 } };
    const { tee } = storesTargetFigures(report, false);
    expect(tee.passes).toEqual([true, true]);
    expect(tee.figures[0]).toBe("the tee in memory: the text stream through the relay 54.0 ms with it, 50.0 ms without: 7.4% of the relay's throughput (bound 10%; the relays take their runs in turn, in 4 blocks of new relay and client processes)");
    expect(storesTargetFigures({ ...report, stores: {} }, false).tee.figures[0]).toMatch(/take their runs in turn\)$/);
    // The verdict after a collection says it too.
    const collected = (r: PairResult): PairResult => ({ ...r, afterCollectionTimesMs: [r.medianMs! * 2], afterCollectionMedianMs: r.medianMs! * 2 });
    const both = { ...report, results: report.results.map(collected) };
    const after = checkTargets(both).find((c) => c.target === TARGETS.tee)!.afterCollection!;
    expect(after.figures[0]).toMatch(/in 4 blocks of new relay and client processes\)$/);
  });

  it('take runs of their own (--tee-runs, --tee-heap-runs): 200 and 40 by default, 2 and 1 in a quick run, apart from the relay\'s', () => {
    expect(parseOptions([])).toMatchObject({ teeRuns: 200, teeHeapRuns: 40, relayRuns: 40, relayHeapRuns: 15 });
    expect(parseOptions(['--quick'])).toMatchObject({ teeRuns: 2, teeHeapRuns: 1 });
    expect(parseOptions(['--tee-runs', '60', '--tee-heap-runs', '12'])).toMatchObject({ teeRuns: 60, teeHeapRuns: 12, relayRuns: 40 });
    expect(parseOptions(['--relay-runs', '10'])).toMatchObject({ teeRuns: 200, relayRuns: 10 });
    expect(() => parseOptions(['--tee-runs', '0'])).toThrow('--tee-runs needs a number ≥ 1');
    expect(() => parseOptions(['--tee-heap-runs', '-1'])).toThrow('--tee-heap-runs needs a number ≥ 0');
  });

  it("are the runs RESULTS.md gives for the stores' verdicts after a collection", () => {
    const row = (impl: string, ms: number): PairResult => ({ workload: 'stores', impl, status: 'ok', runs: 200, fromWarmup: false, timesMs: [ms], warmupTimesMs: [], medianMs: ms, eventsPerSec: 20000 / (ms / 1000), mbPerSec: 40, afterCollectionTimesMs: [ms], afterCollectionMedianMs: ms });
    const report = { ...benchReportOf(parseOptions([]), [{ id: 'stores', description: 'stores' }], [row(TEE_NONE_IMPL, 50), row(TEE_MEMORY_IMPL, 54)]), stores: { teeBlocks: 8 } };
    const stores = resultsMarkdown(report, '').split('### The stores (issue 22)')[1]!.split('###')[0]!;
    expect(stores).toContain('After a full collection before the run (the heap runs, median of up to 40 each):');
  });

  it("are each given in a table: every client's median and its relay's CPU per run, and the tee's share in that block", () => {
    const byBlock: NonNullable<StoresFigures['byBlock']> = [
          { [TEE_NONE_IMPL]: { medianMs: 50, relayCpuMs: 25 }, [TEE_MEMORY_IMPL]: { medianMs: 60, relayCpuMs: 42 }, [TEE_REDIS_IMPL]: { medianMs: 62.5, relayCpuMs: 45 } },
          { [TEE_NONE_IMPL]: { medianMs: 70, relayCpuMs: 44 }, [TEE_MEMORY_IMPL]: { medianMs: 70, relayCpuMs: 43 } },
    ];
    const report = { ...benchReportOf(parseOptions([]), [{ id: 'stores', description: 'stores' }], []), stores: { teeBlocks: 2, byBlock } };
    const table = teeBlockTable(report)!;
    expect(table.headers).toEqual(['block', 'no store', 'relay CPU', 'memory', 'relay CPU', 'tee cost', 'Redis', 'relay CPU', 'tee cost']);
    expect(table.rows).toEqual([
      ['1', '50.0 ms', '25.0 ms', '60.0 ms', '42.0 ms', '16.7%', '62.5 ms', '45.0 ms', '20.0%'],
      ['2', '70.0 ms', '44.0 ms', '70.0 ms', '43.0 ms', '0.0%', '—', '—', '—'],
    ]);
    expect(teeBlockTable({ ...report, stores: { teeBlocks: 1 } })).toBeNull();
    const markdown = resultsMarkdown({ ...report, results: [{ workload: 'stores', impl: TEE_NONE_IMPL, status: 'ok', runs: 2, fromWarmup: false, timesMs: [60], warmupTimesMs: [], medianMs: 60, eventsPerSec: 1, mbPerSec: 1 }] }, '');
    expect(markdown).toContain('| 1 | 50.0 ms | 25.0 ms | 60.0 ms | 42.0 ms | 16.7% | 62.5 ms | 45.0 ms | 20.0% |');
  });
});
