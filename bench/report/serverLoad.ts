import type { ServerLoad } from '../server';
import type { BenchReport } from './BenchReport';

/** A process's load (the server's, the relay's) summed over the runs of one child. */
export interface ServerLoadTotals {
  activeMs: number;
  wallMs: number;
  cpuMs: number;
}

/** The CPU time (user and system) a process used between two readings of its counters, in ms. */
export function cpuMsBetween(before: ServerLoad, after: ServerLoad): number {
  return (after.cpu.user - before.cpu.user + after.cpu.system - before.cpu.system) / 1000;
}

/** Adds the load between two readings of a process's counters to `totals`. */
export function addServerLoad(totals: ServerLoadTotals, before: ServerLoad, after: ServerLoad): void {
  const active = after.elu.active - before.elu.active;
  totals.activeMs += active;
  totals.wallMs += active + after.elu.idle - before.elu.idle;
  totals.cpuMs += cpuMsBetween(before, after);
}

/** The share of the time the loop was busy and the CPU seconds per wall second, or `undefined` for no time at all. */
export function loadOf(totals: ServerLoadTotals): { loopBusy: number; cpuPerSecond: number } | undefined {
  return totals.wallMs > 0 ? { loopBusy: totals.activeMs / totals.wallMs, cpuPerSecond: totals.cpuMs / totals.wallMs } : undefined;
}

/** One line on the server's load: the busiest its event loop was while any child ran. */
export function serverLoadSummary(report: BenchReport): string {
  const loads = report.results.filter((r) => r.server);
  if (loads.length === 0) return 'The server\'s load was not measured.';
  const busiest = loads.reduce((a, b) => ((a.server?.loopBusy ?? 0) >= (b.server?.loopBusy ?? 0) ? a : b));
  return `The server's event loop was busy at most ${(100 * (busiest.server?.loopBusy ?? 0)).toFixed(0)}% of the time while a client ran (${busiest.impl} on ${busiest.workload})`;
}
