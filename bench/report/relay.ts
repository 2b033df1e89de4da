import type { BenchReport, PairResult } from './BenchReport';
import type { ProfileSummary } from './cpuProfile';
import { formatMedian, formatMs, formatRate, formatRatio, formatRuns } from './format';
import type { TableData } from './tables';

/** The pipeline the relay comparison runs, directly and through the relay: the one of the text target. */
export const RELAY_PIPELINE = 'rx-events';

/** The id of {@link RELAY_PIPELINE}'s row through the relay (the direct row keeps the pipeline's id). */
export const RELAYED_IMPL = `${RELAY_PIPELINE}+relay`;

/** The relay's bound: a client through it takes at most this many times the time of the same client reading the upstream directly. */
export const RELAY_BOUND = 1.3;

/** The relay process's memory at one moment, right after a full collection (`gc()`). */
export interface RelayMemorySample {
  heapMB: number;
  rssMB: number;
  /** Memory of C++ objects bound to JavaScript ones (buffers, sockets' buffers). */
  externalMB: number;
}

/** What the relay comparison measured of the relay process itself (the times are the two rows of the `relay` workload). */
export interface RelayFigures {
  /** The options of `createProxyServer` the relay ran with that check a request (every one there is). */
  checks: string[];
  /** Streams opened through the relay at once for the memory figure, each held open by the upstream after its first events. */
  openStreams: number;
  /** How many of them the relay let through and started (all of them, or the run failed). */
  opened: number;
  before: RelayMemorySample;
  /** With the `openStreams` streams open. */
  open: RelayMemorySample;
  /** After the clients left again (each upstream request aborted by the relay). */
  afterClose?: RelayMemorySample;
  /** (heap with the streams open − heap before) / streams. */
  heapPerStreamKB: number;
  /** The same of the RSS. */
  rssPerStreamKB: number;
  /** The relay's event loop: the share of the time it was busy while the stream through it ran, and the CPU it used per wall second. */
  load?: { loopBusy: number; cpuPerSecond: number };
  /** Calls of the relay's `onUsage` over the whole comparison (one per stream relayed to its end or cut off, once the hook is wired). */
  usageRecords: number;
  /** Failures the relay reported to `onError`. */
  relayErrors: number;
  /** With `--cpu-prof`: the relay process's profile over the whole comparison. */
  profile?: ProfileSummary;
}

/**
 * Memory per open stream: what the streams added to the relay between two collected samples,
 * divided among them, in KiB.
 *
 * @param beforeMB The figure before the streams were opened (after `gc()`).
 * @param openMB The figure with them open (after `gc()`).
 * @param streams How many were open.
 * @return `(openMB − beforeMB) × 1024 / streams`.
 */
export function perStreamKB(beforeMB: number, openMB: number, streams: number): number {
  if (!(streams > 0)) throw new RangeError(`perStreamKB: streams must be positive, got ${streams}`);
  return ((openMB - beforeMB) * 1024) / streams;
}

/** The two rows of the relay comparison in a report: the pipeline read directly, and through the relay. */
export function relayRows(report: BenchReport): { direct: PairResult | undefined; relayed: PairResult | undefined } {
  const find = (impl: string): PairResult | undefined => report.results.find((r) => r.workload === 'relay' && r.impl === impl);
  return { direct: find(RELAY_PIPELINE), relayed: find(RELAYED_IMPL) };
}

/** Through the relay ÷ directly, of the timed medians and of the medians after a full collection; `undefined` where a side is missing. */
export function relayRatios(report: BenchReport): { timed?: number; afterCollection?: number } {
  const { direct, relayed } = relayRows(report);
  const out: { timed?: number; afterCollection?: number } = {};
  if (direct?.status === 'ok' && relayed?.status === 'ok') out.timed = (relayed.medianMs as number) / (direct.medianMs as number);
  if (direct?.afterCollectionMedianMs !== undefined && relayed?.afterCollectionMedianMs !== undefined) {
    out.afterCollection = relayed.afterCollectionMedianMs / direct.afterCollectionMedianMs;
  }
  return out;
}

/**
 * The relay comparison: each row's runs, median, events/s and median after a collection, and
 * its time over the direct row's (the relay's target, ≤ 1.3×). `null` when the run has no
 * relay row.
 */
export function relayTable(report: BenchReport): TableData | null {
  const { direct, relayed } = relayRows(report);
  if (!direct && !relayed) return null;
  const ratios = relayRatios(report);
  const headers = ['client', 'reads', 'runs', 'median', 'events/s', 'median after GC', 'peak RSS MiB', '÷ direct', '÷ direct after GC'];
  const row = (r: PairResult | undefined, impl: string, reads: string, ratio: number | undefined, ratioAfter: number | undefined): string[] => [
    impl,
    reads,
    r ? formatRuns(r) : '—',
    r ? formatMedian(r, report.options.budgetSeconds) : 'not run',
    r?.status === 'ok' ? formatRate(r.eventsPerSec as number) : '—',
    r?.afterCollectionMedianMs !== undefined ? formatMs(r.afterCollectionMedianMs) : '—',
    r?.peakRssMB !== undefined ? r.peakRssMB.toFixed(0) : '—',
    ratio !== undefined ? formatRatio({ value: ratio }) : '—',
    ratioAfter !== undefined ? formatRatio({ value: ratioAfter }) : '—',
  ];
  return {
    headers,
    rows: [
      row(direct, RELAY_PIPELINE, 'the upstream directly', direct?.status === 'ok' ? 1 : undefined, direct?.afterCollectionMedianMs !== undefined ? 1 : undefined),
      row(relayed, RELAYED_IMPL, 'through the relay', ratios.timed, ratios.afterCollection),
    ],
    right: headers.map((_, i) => i >= 2),
  };
}

/** The relay process's memory before, with the streams open and after they closed, each after `gc()`, and per open stream. `null` without figures. */
export function relayMemoryTable(report: BenchReport): TableData | null {
  const relay = report.relay;
  if (!relay) return null;
  const headers = ['relay process', 'before MiB', `${relay.opened} streams open MiB`, 'after they closed MiB', 'per open stream KiB'];
  const sample = (pick: (s: RelayMemorySample) => number): string[] => [
    pick(relay.before).toFixed(1),
    pick(relay.open).toFixed(1),
    relay.afterClose ? pick(relay.afterClose).toFixed(1) : '—',
    (relay.opened > 0 ? perStreamKB(pick(relay.before), pick(relay.open), relay.opened) : NaN).toFixed(1),
  ];
  return {
    headers,
    rows: [
      ['heap (used)', ...sample((s) => s.heapMB)],
      ['external', ...sample((s) => s.externalMB)],
      ['RSS', ...sample((s) => s.rssMB)],
    ],
    right: headers.map((_, i) => i >= 1),
  };
}

/** One line on the relay process: its load while the stream through it ran, `onUsage` and `onError`, and the checks it ran with. */
export function relaySummary(report: BenchReport): string | null {
  const relay = report.relay;
  if (!relay) return null;
  const load = relay.load ? `its event loop was busy ${(100 * relay.load.loopBusy).toFixed(0)}% of the time and it used ${relay.load.cpuPerSecond.toFixed(2)} CPU s per s while a stream went through it; ` : '';
  return `The relay (a process of its own): ${load}onUsage was called ${relay.usageRecords} times, onError ${relay.relayErrors}; checks on: ${relay.checks.join(', ')}`;
}

/**
 * The figures of the relay target: the time through the relay over the time directly (judged:
 * at most {@link RELAY_BOUND}), the relay's events/s, and with `memory` its memory per open stream
 * (reported, not judged). `passes` is empty when the run has not both rows.
 */
export function relayTargetFigures(report: BenchReport, memory: boolean): { figures: string[]; passes: boolean[] } {
  const { direct, relayed } = relayRows(report);
  const figures: string[] = [];
  const passes: boolean[] = [];
  if (!direct || !relayed) return { figures, passes };
  const budgetSeconds = report.options.budgetSeconds;
  if (direct.status === 'ok' && relayed.status === 'ok') {
    const value = (relayed.medianMs as number) / (direct.medianMs as number);
    passes.push(value <= RELAY_BOUND);
    figures.push(
      `the text stream by ${RELAY_PIPELINE} through the relay ${formatMs(relayed.medianMs as number)}, directly ${formatMs(direct.medianMs as number)}: ` +
        `${formatRatio({ value })} the time (bound ${RELAY_BOUND}×; the two take their runs in turn)`,
    );
    figures.push(`the relay's events/s: ${formatRate(relayed.eventsPerSec as number)} (the SSE events of one stream relayed per second, while that one stream ran)`);
  } else {
    passes.push(false);
    figures.push(`through the relay: ${formatMedian(relayed, budgetSeconds)}; directly: ${formatMedian(direct, budgetSeconds)}`);
  }
  const relay = report.relay;
  if (memory && relay) {
    figures.push(
      `memory per open stream: ${relay.heapPerStreamKB.toFixed(1)} KiB of heap, ${relay.rssPerStreamKB.toFixed(1)} KiB of RSS ` +
        `(${relay.opened} streams held open through the relay, after gc(): heap ${relay.before.heapMB.toFixed(1)} → ${relay.open.heapMB.toFixed(1)} MiB, ` +
        `RSS ${relay.before.rssMB.toFixed(1)} → ${relay.open.rssMB.toFixed(1)} MiB)`,
    );
  }
  return { figures, passes };
}
