import type { BenchReport, PairResult } from './BenchReport';
import { formatMedian, formatMs, formatRate, formatRuns } from './format';
import { RELAY_PIPELINE } from './relay';
import type { TableData } from './tables';

/** The `stores` rows: the text stream through a relay without a stream store, and with each store (the tee). */
export const TEE_NONE_IMPL = `${RELAY_PIPELINE}+relay`;
export const TEE_MEMORY_IMPL = `${RELAY_PIPELINE}+tee-memory`;
export const TEE_REDIS_IMPL = `${RELAY_PIPELINE}+tee-redis`;

/** The bounds: the tee costs at most this share of the relay's throughput (in memory, on Redis). */
export const TEE_BOUNDS = { memory: 0.1, redis: 0.25 } as const;
/** The bound on what the Redis limit store adds to a relayed request at p99, in ms. */
export const LIMIT_STORE_P99_BOUND_MS = 2;

/** Percentiles of the times of a series of requests, in ms. */
export interface LatencySummary {
  requests: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
}

/** What the `stores` workload measured besides its rows (the tee's times are the rows). */
export interface StoresFigures {
  /** Where its Redis came from (`REDIS_URL`, or a redis-server it started); `undefined` when it had none. */
  redis?: string;
  /** Why the Redis half was not run. */
  notRun?: string;
  /**
   * The limit store's cost: the same small stream relayed `requests` times through a relay whose
   * per-user limits live in memory and through one whose live on Redis, the requests alternating.
   */
  latency?: { upstreamEvents: number; memory: LatencySummary; redis: LatencySummary };
  /** The CPU time each tee row's relay process used per run of its client (user + system, in ms), by row. */
  relayCpuMsPerRun?: Record<string, number>;
  /** In how many blocks the tee's runs were taken, each with relays and clients of its own (`--tee-blocks`); 1 before there were blocks. */
  teeBlocks?: number;
  /** Each block's measured runs: each tee row's median and its relay process's CPU per run (median), by row. */
  byBlock?: Array<Record<string, { medianMs: number; relayCpuMs: number }>>;
}

/** `, in N blocks of new relays and clients` when the tee's runs were taken in more than one. */
const inBlocks = (report: BenchReport): string => ((report.stores?.teeBlocks ?? 1) > 1 ? `, in ${report.stores?.teeBlocks} blocks of new relay and client processes` : '');

/** The p-th percentile (nearest rank) of `times`. */
export function percentile(times: readonly number[], p: number): number {
  if (times.length === 0) throw new RangeError('percentile of no times');
  const sorted = [...times].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] as number;
}

/** p50, p90, p99 and the largest of `times`. */
export function summariseLatency(times: readonly number[]): LatencySummary {
  return { requests: times.length, p50: percentile(times, 50), p90: percentile(times, 90), p99: percentile(times, 99), max: Math.max(...times) };
}

function storesRow(report: BenchReport, impl: string): PairResult | undefined {
  return report.results.find((r) => r.workload === 'stores' && r.impl === impl);
}

/** 1 − (events/s with the tee) ÷ (events/s without): the share of the relay's throughput the tee costs; `undefined` where a row is missing. */
export function teeCost(report: BenchReport, impl: string, afterCollection = false): number | undefined {
  const none = storesRow(report, TEE_NONE_IMPL);
  const tee = storesRow(report, impl);
  const time = (r: PairResult | undefined): number | undefined => (r?.status !== 'ok' ? undefined : afterCollection ? r.afterCollectionMedianMs : r.medianMs);
  const [base, teed] = [time(none), time(tee)];
  return base === undefined || teed === undefined ? undefined : 1 - base / teed;
}

const percent = (share: number | undefined): string => (share === undefined ? '—' : `${(100 * share).toFixed(1)}%`);

/** The tee's rows: each relay's runs, median, events/s, median after a collection, and the share of throughput the tee costs. */
export function teeTable(report: BenchReport): TableData | null {
  const rows = [
    [TEE_NONE_IMPL, 'no stream store (`streamStore: false`)'],
    [TEE_MEMORY_IMPL, '`memoryStreamStore()`'],
    [TEE_REDIS_IMPL, '`redisStreamStore()`'],
  ] as const;
  if (!rows.some(([impl]) => storesRow(report, impl))) return null;
  const headers = ['client', 'through a relay with', 'runs', 'median', 'events/s', 'median after GC', 'tee cost', 'tee cost after GC'];
  return {
    headers,
    rows: rows.map(([impl, label]) => {
      const r = storesRow(report, impl);
      const base = impl === TEE_NONE_IMPL;
      return [
        impl,
        label,
        r ? formatRuns(r) : '—',
        r ? formatMedian(r, report.options.budgetSeconds) : impl === TEE_REDIS_IMPL && report.stores?.notRun ? `not run (${report.stores.notRun})` : 'not run',
        r?.status === 'ok' ? formatRate(r.eventsPerSec as number) : '—',
        r?.afterCollectionMedianMs !== undefined ? formatMs(r.afterCollectionMedianMs) : '—',
        base ? '—' : percent(teeCost(report, impl)),
        base ? '—' : percent(teeCost(report, impl, true)),
      ];
    }),
    right: headers.map((_, i) => i >= 2),
  };
}

/**
 * The tee by block: each client's median and its relay's CPU per run, and the tee's share of the
 * throughput in that block alone; `null` for a run without blocks. A relay process settles early
 * into a state of its collector that it keeps, so the blocks show how far apart the processes were.
 */
export function teeBlockTable(report: BenchReport): TableData | null {
  const blocks = report.stores?.byBlock;
  if (!blocks || blocks.length < 2) return null;
  const headers = ['block', 'no store', 'relay CPU', 'memory', 'relay CPU', 'tee cost', 'Redis', 'relay CPU', 'tee cost'];
  return {
    headers,
    rows: blocks.map((block, index) => {
      const none = block[TEE_NONE_IMPL];
      const cells = (impl: string): string[] => {
        const row = block[impl];
        return row ? [formatMs(row.medianMs), formatMs(row.relayCpuMs)] : ['—', '—'];
      };
      const cost = (impl: string): string => {
        const row = block[impl];
        return none && row ? percent(1 - none.medianMs / row.medianMs) : '—';
      };
      return [String(index + 1), ...cells(TEE_NONE_IMPL), ...cells(TEE_MEMORY_IMPL), cost(TEE_MEMORY_IMPL), ...cells(TEE_REDIS_IMPL), cost(TEE_REDIS_IMPL)];
    }),
    right: headers.map(() => true),
  };
}

/** The limit store's latency: the percentiles of each store's requests, and what Redis adds at p99. */
export function latencyTable(report: BenchReport): TableData | null {
  const latency = report.stores?.latency;
  if (!latency) return null;
  const headers = ['per-user limits in', 'requests', 'p50', 'p90', 'p99', 'max'];
  const row = (label: string, s: LatencySummary): string[] => [label, String(s.requests), formatMs(s.p50), formatMs(s.p90), formatMs(s.p99), formatMs(s.max)];
  return {
    headers,
    rows: [row('memoryLimitStore() (the default)', latency.memory), row('redisLimitStore()', latency.redis)],
    right: headers.map((_, i) => i >= 1),
  };
}

/**
 * The figures of the two targets of the stores: the tee's cost in memory and on Redis (judged
 * against {@link TEE_BOUNDS}), and what the Redis limit store adds at p99 (judged against
 * {@link LIMIT_STORE_P99_BOUND_MS}; its requests are timed runs only, so it is judged once).
 */
export function storesTargetFigures(report: BenchReport, afterCollection: boolean): { tee: { figures: string[]; passes: boolean[] }; latency: { figures: string[]; passes: boolean[] } } {
  const tee = { figures: [] as string[], passes: [] as boolean[] };
  for (const [impl, label, bound] of [
    [TEE_MEMORY_IMPL, 'in memory', TEE_BOUNDS.memory],
    [TEE_REDIS_IMPL, 'on Redis', TEE_BOUNDS.redis],
  ] as const) {
    const cost = teeCost(report, impl, afterCollection);
    const none = storesRow(report, TEE_NONE_IMPL);
    const teed = storesRow(report, impl);
    if (cost === undefined || !none || !teed) {
      if (impl === TEE_REDIS_IMPL && report.stores?.notRun) tee.figures.push(`on Redis: not run (${report.stores.notRun})`);
      continue;
    }
    const time = (r: PairResult): number => (afterCollection ? (r.afterCollectionMedianMs as number) : (r.medianMs as number));
    tee.passes.push(cost <= bound);
    tee.figures.push(
      `the tee ${label}: the text stream through the relay ${formatMs(time(teed))} with it, ${formatMs(time(none))} without: ` +
        `${percent(cost)} of the relay's throughput (bound ${100 * bound}%; the relays take their runs in turn${inBlocks(report)})`,
    );
  }
  const latency = { figures: [] as string[], passes: [] as boolean[] };
  const measured = report.stores?.latency;
  if (measured && !afterCollection) {
    const added = measured.redis.p99 - measured.memory.p99;
    latency.passes.push(added <= LIMIT_STORE_P99_BOUND_MS);
    latency.figures.push(
      `p99 of ${measured.redis.requests} relayed requests (${measured.upstreamEvents} events each, per-user limits on): ${formatMs(measured.redis.p99)} with redisLimitStore(), ` +
        `${formatMs(measured.memory.p99)} with the memory store: ${added >= 0 ? '+' : ''}${formatMs(added)} (bound ${LIMIT_STORE_P99_BOUND_MS} ms; the requests alternate between the two relays)`,
    );
  } else if (!measured && report.stores?.notRun && !afterCollection) {
    latency.figures.push(`not run (${report.stores.notRun})`);
  }
  return { tee, latency };
}
