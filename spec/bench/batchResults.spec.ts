import { from, lastValueFrom, reduce } from 'rxjs';
import type { ChildOutcome, RunMessage } from '../../bench/measure';
import { parseOptions } from '../../bench/options';
import { BATCH_WORKLOAD, heapGrowth, RX_BATCH_IMPL, SDK_BATCH_IMPL } from '../../bench/report/batchResults';
import type { PairResult } from '../../bench/report/BenchReport';
import { resultsMarkdown } from '../../bench/report/resultsMarkdown';
import { checkTargets, targetLines, TARGETS } from '../../bench/report/targets';
import { BatchResultsTally, batchResultsFile, type BatchResultLine } from '../../bench/workloads/batchResults';
import { decodeBatchResultLine } from '../../lib/client/decodeBatchResultLine';
import { decodeJSONLines } from '../../lib/client/decodeJSONLines';
import { benchReportOf } from './benchReportOf';

/** Issue 26's target, as the issue writes it; RESULTS.md must quote it exactly. */
const REQUIREMENT =
  "`results()` on a 200,000-line result file: peak heap growth under 50 MB, and its time at most 1.2× the official SDK's `results()` on the same file, both measured in `npm run bench` in one run.";

const row = (impl: string, ms: number, growth: { timed?: number; collected?: number; afterMs?: number } = {}): PairResult => ({
  workload: BATCH_WORKLOAD,
  impl,
  status: 'ok',
  runs: 5,
  fromWarmup: false,
  timesMs: [ms],
  warmupTimesMs: [ms],
  medianMs: ms,
  eventsPerSec: 1,
  mbPerSec: 1,
  ...(growth.afterMs !== undefined ? { afterCollectionTimesMs: [growth.afterMs], afterCollectionMedianMs: growth.afterMs } : {}),
  ...(growth.timed !== undefined ? { heapGrowthMB: growth.timed } : {}),
  ...(growth.collected !== undefined ? { heapGrowthAfterCollectionMB: growth.collected } : {}),
});

const reportOf = (results: PairResult[]) => benchReportOf(parseOptions([]), [{ id: BATCH_WORKLOAD, description: 'the results file' }], results);
const batchTarget = (results: PairResult[]) => checkTargets(reportOf(results)).find((c) => c.target === TARGETS.batchResults)!;

describe('the batch results file of the benchmark', () => {
  const file = batchResultsFile(2000);

  it('has one JSON line per request, in order, of every result type, and is deterministic', () => {
    const lines = file.bytes.toString('utf8').split('\n');
    expect(lines.pop()).toBe('');
    expect(lines).toHaveLength(2000);
    const parsed = lines.map((line) => JSON.parse(line) as BatchResultLine);
    expect(parsed.map((line) => line.custom_id)).toEqual(Array.from({ length: 2000 }, (_, i) => `request-${i}`));
    expect(new Set(parsed.map((line) => line.result.type))).toEqual(new Set(['succeeded', 'errored', 'canceled', 'expired']));
    expect(batchResultsFile(2000).bytes.equals(file.bytes)).toBe(true);
  });

  it("gives rx-anthropic's results decoding (every line checked) the tally the generator expects, cut in 16 KiB pieces", async () => {
    const chunks: Uint8Array[] = [];
    for (let at = 0; at < file.bytes.length; at += 16_384) chunks.push(file.bytes.subarray(at, at + 16_384));
    const tally = await lastValueFrom(
      from(chunks).pipe(
        decodeJSONLines(decodeBatchResultLine('msgbatch_bench')),
        reduce((t, line) => (t.add(line as BatchResultLine), t), new BatchResultsTally()),
      ),
    );
    expect(tally.result()).toEqual(file.expected);
    expect(file.expected.text).toMatch(/^2000 results: \d+ succeeded, \d+ errored, \d+ canceled, \d+ expired, 0 other; hash [0-9a-f]+$/);
  });

  it('tallies a dropped, repeated or reordered line differently', () => {
    const lines = file.bytes.toString('utf8').trim().split('\n').map((line) => JSON.parse(line) as BatchResultLine);
    const tallyOf = (subset: BatchResultLine[]) => {
      const tally = new BatchResultsTally();
      for (const line of subset) tally.add(line);
      return tally.result().text;
    };
    expect(tallyOf(lines)).toBe(file.expected.text);
    expect(tallyOf(lines.slice(1))).not.toBe(file.expected.text);
    expect(tallyOf([...lines.slice(0, 10), lines[9]!, ...lines.slice(11)])).not.toBe(file.expected.text);
    expect(tallyOf([lines[1]!, lines[0]!, ...lines.slice(2)])).not.toBe(file.expected.text);
  });
});

describe('the peak heap growth of the batch readers', () => {
  const run = (phase: RunMessage['phase'], peakHeapMB: number, startHeapMB: number): RunMessage => ({ type: 'run', phase, ms: 1, peakHeapMB, startHeapMB, cpuMs: 1, peakRssMB: 100, digest: 'd', summary: 's', snapshotReads: 0 });

  it('is the largest peak of the measured runs over the heap after the first collection, and of each heap run over its own start', () => {
    const outcome: ChildOutcome = {
      baseHeapMB: 10,
      baseRssMB: 50,
      error: undefined,
      killedAtBudget: false,
      runs: [run('warmup', 90, 10), run('measure', 30, 25), run('measure', 42, 28), run('heap', 26, 11), run('heap', 24, 9)],
    };
    expect(heapGrowth(outcome)).toEqual({ heapGrowthMB: 32, heapGrowthAfterCollectionMB: 15 });
  });
});

describe("issue 26's target for results()", () => {
  it('is quoted exactly as the issue writes it', () => {
    expect(TARGETS.batchResults).toBe(REQUIREMENT);
  });

  it('is met when rx-anthropic takes at most 1.2× the SDK and its peak heap grows under 50 MB, judged again on the runs after a collection', () => {
    const check = batchTarget([row(RX_BATCH_IMPL, 2400, { timed: 20, collected: 18, afterMs: 2600 }), row(SDK_BATCH_IMPL, 2000, { timed: 19, collected: 17, afterMs: 2000 })]);
    expect(check.verdict).toBe('met');
    expect(check.figures[0]).toBe('1,000 lines, 0.1 MB: rx-batch-results 2.40 s, sdk-batch-results 2.00 s: 1.20× the SDK\'s time (bound 1.2×; the two take their runs in turn)');
    expect(check.figures[1]).toContain('rx-batch-results 20.0 MiB, sdk-batch-results 19.0 MiB (bound 50 MB)');
    expect(check.afterCollection?.verdict).toBe('missed');
    expect(check.afterCollection?.figures[0]).toContain('1.30× the SDK');
    expect(check.afterCollection?.figures[1]).toContain('rx-batch-results 18.0 MiB');
  });

  it('is missed when the time is over 1.2× the SDK, or the heap grows by 50 MB or more', () => {
    expect(batchTarget([row(RX_BATCH_IMPL, 2500, { timed: 20 }), row(SDK_BATCH_IMPL, 2000, { timed: 20 })]).verdict).toBe('missed');
    expect(batchTarget([row(RX_BATCH_IMPL, 2000, { timed: 50 }), row(SDK_BATCH_IMPL, 2000, { timed: 20 })]).verdict).toBe('missed');
  });

  it('is not measured without the rx-anthropic row', () => {
    expect(batchTarget([row(SDK_BATCH_IMPL, 2000)]).verdict).toBe('not measured');
  });

  it('is quoted in RESULTS.md under issue 26 with its figures and verdict, beside its table, and on the console', () => {
    const report = reportOf([row(RX_BATCH_IMPL, 2200, { timed: 20 }), row(SDK_BATCH_IMPL, 2000, { timed: 19 })]);
    const markdown = resultsMarkdown(report);
    const section = markdown.slice(markdown.indexOf('### Message Batches results (issue 26)'));
    expect(section).toMatch(new RegExp(`^### Message Batches results \\(issue 26\\)\\n\\n> ${REQUIREMENT.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\n\\n- 1,000 lines, .+ 1\\.10× the SDK's time .+\\n- peak heap growth .+\\n- \\*\\*met\\*\\*\\n`));
    expect(markdown).toContain('## Message Batches results (`batch-results`)');
    expect(markdown).toMatch(/\| rx-batch-results \| 5 \| 2\.20 s \|/);
    expect(targetLines(report)).toContainEqual(expect.stringMatching(/^MET: results\(\) on a 200,000-line result file/));
  });
});
