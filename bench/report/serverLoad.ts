import type { BenchReport } from './BenchReport';

/** One line on the server's load: the busiest its event loop was while any child ran. */
export function serverLoadSummary(report: BenchReport): string {
  const loads = report.results.filter((r) => r.server);
  if (loads.length === 0) return 'The server\'s load was not measured.';
  const busiest = loads.reduce((a, b) => ((a.server?.loopBusy ?? 0) >= (b.server?.loopBusy ?? 0) ? a : b));
  return `The server's event loop was busy at most ${(100 * (busiest.server?.loopBusy ?? 0)).toFixed(0)}% of the time while a client ran (${busiest.impl} on ${busiest.workload})`;
}
