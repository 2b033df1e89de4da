import type { IncomingMessage } from 'node:http';
import { BENCH_REQUEST } from '../../bench/implementations/benchRequest';
import { parseOptions } from '../../bench/options';
import type { BenchReport, PairResult } from '../../bench/report/BenchReport';
import { perStreamKB, RELAYED_IMPL, relayMemoryTable, relayTable, type RelayFigures } from '../../bench/report/relay';
import { resultsMarkdown } from '../../bench/report/resultsMarkdown';
import { checkTargets, targetLines, TARGETS } from '../../bench/report/targets';
import { RELAY_ACCESS, RELAY_BASE_PATH, RELAY_USER, relayOptions, type RelayCounters } from '../../bench/relayOptions';
import { benchReportOf } from './benchReportOf';

/** The requirement as issue 21 writes it; RESULTS.md must quote it exactly. */
const REQUIREMENT =
  "In `npm run bench`, one run: a client streaming the text workload through the relay (in a process of its own, every check above on) takes at most 1.3× the time of the same client reading the upstream directly; report the relay's events/s and memory per open stream.";

const row = (impl: string, ms: number, afterCollectionMs?: number): PairResult => ({
  workload: 'relay',
  impl,
  status: 'ok',
  runs: 15,
  fromWarmup: false,
  timesMs: [ms],
  warmupTimesMs: [ms],
  medianMs: ms,
  // benchReportOf serves 1,000 events per stream.
  eventsPerSec: 1000 / (ms / 1000),
  mbPerSec: 1,
  ...(afterCollectionMs !== undefined ? { afterCollectionTimesMs: [afterCollectionMs], afterCollectionMedianMs: afterCollectionMs } : {}),
});

const figures: RelayFigures = {
  checks: ['authorize (bearer → identity)', 'allowedModels'],
  openStreams: 200,
  opened: 200,
  before: { heapMB: 10, rssMB: 100, externalMB: 4 },
  open: { heapMB: 20, rssMB: 110, externalMB: 4.5 },
  afterClose: { heapMB: 11, rssMB: 111, externalMB: 4 },
  heapPerStreamKB: perStreamKB(10, 20, 200),
  rssPerStreamKB: perStreamKB(100, 110, 200),
  load: { loopBusy: 0.5, cpuPerSecond: 0.45 },
  usageRecords: 220,
  relayErrors: 0,
};

function reportOf(results: PairResult[], relay: RelayFigures | null = figures): BenchReport {
  return { ...benchReportOf(parseOptions([]), [{ id: 'relay', description: 'the text stream through the relay' }], results), ...(relay ? { relay } : {}) };
}

const relayCheck = (report: BenchReport) => checkTargets(report).find((c) => c.target === TARGETS.relay)!;

describe('the relay target', () => {
  it('is quoted exactly as issue 21 writes it', () => {
    expect(TARGETS.relay).toBe(REQUIREMENT);
  });

  it('is met at 1.3× the direct time or less, with the events/s and the memory per open stream beside it', () => {
    const check = relayCheck(reportOf([row('rx-events', 100, 120), row(RELAYED_IMPL, 130, 180)]));
    expect(check.verdict).toBe('met');
    expect(check.figures).toEqual([
      'the text stream by rx-events through the relay 130 ms, directly 100 ms: 1.30× the time (bound 1.3×; the two take their runs in turn)',
      "the relay's events/s: 8 k (the SSE events of one stream relayed per second, while that one stream ran)",
      'memory per open stream: 51.2 KiB of heap, 51.2 KiB of RSS (200 streams held open through the relay, after gc(): heap 10.0 → 20.0 MiB, RSS 100.0 → 110.0 MiB)',
    ]);
    // After a collection: the heap runs' medians (1.5×), and the memory is not repeated.
    expect(check.afterCollection?.verdict).toBe('missed');
    expect(check.afterCollection?.figures).toEqual([
      'the text stream by rx-events through the relay 180 ms, directly 120 ms: 1.50× the time (bound 1.3×; the two take their runs in turn)',
      "the relay's events/s: 6 k (the SSE events of one stream relayed per second, while that one stream ran)",
    ]);
  });

  it('is missed past 1.3×, or when the run through the relay did not finish', () => {
    expect(relayCheck(reportOf([row('rx-events', 100), row(RELAYED_IMPL, 131)])).verdict).toBe('missed');
    const dnf: PairResult = { workload: 'relay', impl: RELAYED_IMPL, status: 'dnf', runs: 0, fromWarmup: false, timesMs: [], warmupTimesMs: [] };
    const check = relayCheck(reportOf([row('rx-events', 100), dnf]));
    expect(check.verdict).toBe('missed');
    expect(check.figures[0]).toBe('through the relay: did not finish in 60 s; directly: 100 ms');
  });

  it('is not measured by a run without the relay, and stays out of the console lines then', () => {
    const report = reportOf([{ ...row('rx-events', 100), workload: 'text' }], null);
    expect(relayCheck(report).verdict).toBe('not measured');
    expect(targetLines(report).some((line) => line.includes('through the relay'))).toBe(false);
  });
});

describe('the relay tables', () => {
  it('give each row and its time over the direct one, timed and after a collection', () => {
    const table = relayTable(reportOf([row('rx-events', 100, 120), row(RELAYED_IMPL, 125, 150)]))!;
    expect(table.rows).toEqual([
      ['rx-events', 'the upstream directly', '15', '100 ms', '10 k', '120 ms', '—', '1.00×', '1.00×'],
      [RELAYED_IMPL, 'through the relay', '15', '125 ms', '8 k', '150 ms', '—', '1.25×', '1.25×'],
    ]);
    expect(relayTable(reportOf([], null))).toBeNull();
  });

  it('give the memory before, open and after, and per open stream', () => {
    const table = relayMemoryTable(reportOf([]))!;
    expect(table.headers[2]).toBe('200 streams open MiB');
    expect(table.rows).toEqual([
      ['heap (used)', '10.0', '20.0', '11.0', '51.2'],
      ['external', '4.0', '4.5', '4.0', '2.6'],
      ['RSS', '100.0', '110.0', '111.0', '51.2'],
    ]);
    expect(relayMemoryTable(reportOf([], null))).toBeNull();
  });

  it('per open stream: the growth over the streams, in KiB', () => {
    expect(perStreamKB(12, 14, 100)).toBeCloseTo(20.48);
    expect(perStreamKB(12, 11, 256)).toBe(-4);
    expect(() => perStreamKB(1, 2, 0)).toThrow(RangeError);
  });

  it('RESULTS.md quotes the target under its issue and has a section of its own', () => {
    const markdown = resultsMarkdown(reportOf([row('rx-events', 100, 120), row(RELAYED_IMPL, 125, 150)]));
    expect(markdown).toContain(`### The relay (issue 21)\n\n> ${REQUIREMENT}\n`);
    expect(markdown).toContain('## The relay (`relay`)');
    expect(markdown).toContain('onUsage was called 220 times');
    expect(markdown.indexOf('### The relay (issue 21)')).toBeGreaterThan(markdown.indexOf(`> ${TARGETS.contract}`));
  });
});

describe('the relay the bench runs', () => {
  const counters = (): RelayCounters => ({ usageRecords: 0, usageTokens: 0, filesAsked: 0, errors: 0 });
  const config = { upstreamURL: 'http://127.0.0.1:1/w/text', basePath: RELAY_BASE_PATH, access: RELAY_ACCESS, maxOpenStreams: 200 };
  const client = {} as never;
  const request = (headers: Record<string, string>) => ({ headers }) as unknown as IncomingMessage;

  it('has every check on', () => {
    const options = relayOptions(config, client, counters());
    for (const name of ['authorize', 'allowedModels', 'maxTokens', 'allowedHosts', 'allowedOrigins', 'authorizeFile', 'maxConcurrentRequests', 'bodyTimeoutMs', 'maxStreamMs', 'perUser', 'onUsage'] as const) {
      expect(options[name]).toBeDefined();
    }
    expect(Object.keys(options.perUser!).sort()).toEqual(['maxConcurrentRequests', 'requestsPerMinute', 'tokenBudget']);
    // The closed defaults stay: nothing widens them.
    for (const name of ['allowedContentTypes', 'allowedToolTypes', 'allowedParams', 'allowedBetas', 'maxBodyBytes'] as const) expect(options[name]).toBeUndefined();
    expect(options.host).toBe('127.0.0.1');
    expect(options.basePath).toBe(RELAY_BASE_PATH);
  });

  it('lets in the bench request and its token only, as one user', async () => {
    const seen = counters();
    const options = relayOptions(config, client, seen);
    const authorize = options.authorize as (request: IncomingMessage) => unknown;
    expect(authorize(request({ authorization: `Bearer ${RELAY_ACCESS.token}` }))).toEqual({ user: RELAY_USER });
    expect(authorize(request({ authorization: 'Bearer other' }))).toBe(false);
    expect(authorize(request({}))).toBe(false);
    expect(options.allowedModels).toEqual([BENCH_REQUEST.model]);
    expect(options.maxTokens).toBeGreaterThanOrEqual(BENCH_REQUEST.max_tokens);
    expect(options.allowedOrigins).toEqual([RELAY_ACCESS.origin]);
    expect(await options.authorizeFile!('file_1', { user: RELAY_USER })).toBe(false);
    expect(seen.filesAsked).toBe(1);
  });

  it('sets its limits above what the bench asks at once (the held streams and one measured), and counts its usage', async () => {
    const seen = counters();
    const options = relayOptions(config, client, seen);
    expect(options.maxConcurrentRequests).toBeGreaterThan(config.maxOpenStreams + 1);
    expect(options.perUser?.maxConcurrentRequests).toBeGreaterThan(config.maxOpenStreams + 1);
    expect(options.perUser?.requestsPerMinute).toBeGreaterThan(10 * (config.maxOpenStreams + 20));
    expect(options.perUser?.tokenBudget?.tokens).toBeGreaterThan(1e9);
    const usage = { input_tokens: 472, output_tokens: 20_000, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 };
    await options.onUsage!({ identity: { user: RELAY_USER }, route: 'stream', model: BENCH_REQUEST.model, usage: usage as never, requestId: 'req_1', durationMs: 5, stopReason: 'end_turn' });
    expect(seen).toMatchObject({ usageRecords: 1, usageTokens: 20_472 });
  });

  it('--relay-streams: how many streams it holds open (200; 100 in a quick run)', () => {
    expect(parseOptions([]).relayStreams).toBe(200);
    expect(parseOptions(['--quick']).relayStreams).toBe(100);
    expect(parseOptions(['--relay-streams', '50']).relayStreams).toBe(50);
    expect(() => parseOptions(['--relay-streams', '0'])).toThrow(/--relay-streams/);
  });
});
