import type { BenchReport, PairResult } from './BenchReport';
import { formatRatio } from './format';

/**
 * The issue's targets, each checked against this run's figures: one line per target that the
 * run has the data for, saying what was measured and whether it meets the target. Computed, never
 * written by hand, so that `RESULTS.md` cannot claim more than the run showed.
 */
export function targetLines(report: BenchReport): string[] {
  const find = (impl: string, workload: string): PairResult | undefined => report.results.find((r) => r.impl === impl && r.workload === workload);
  const lines: string[] = [];

  const raw = find('rx-raw', 'text');
  if (raw?.ratioToFloor && !raw.ratioToFloor.bound) {
    const value = raw.ratioToFloor.value;
    lines.push(`rx-raw on text is ${formatRatio(raw.ratioToFloor)} the floor (target: within ~1.5–2×): ${value <= 2 ? 'met' : 'NOT met'}.`);
  }

  const tools = report.workloads.filter((w) => /^tool-/.test(w.id));
  const kb = (id: string): number => Number(/^tool-(\d+(?:\.\d+)?)k$/.exec(id)?.[1]);
  const perKB = tools.map((w) => {
    const r = find('rx-events', w.id);
    return r?.status === 'ok' ? (r.medianMs as number) / kb(w.id) : undefined;
  });
  if (tools.length >= 2 && perKB.every((v) => v !== undefined)) {
    const values = perKB as number[];
    const growth = (values[values.length - 1] as number) / (values[0] as number);
    lines.push(
      `rx-events (snapshot read on every tool delta): ${values.map((v) => v.toFixed(2)).join(' / ')} ms per KiB at ${tools.map((w) => w.id.slice(5)).join(' / ')}, ` +
        `${growth.toFixed(2)}× from the smallest to the largest (target: roughly flat, i.e. linear in size): ${growth <= 1.5 ? 'met' : 'NOT met'}.`,
    );
  }
  const versusSdk = tools.map((w) => [w.id.slice(5), find('rx-events', w.id)?.ratioToSdkStream] as const).filter(([, r]) => r);
  if (versusSdk.length > 0) {
    const far = versusSdk.every(([, r]) => (r?.value as number) < 0.1);
    lines.push(`rx-events / sdk-stream on the tool workloads: ${versusSdk.map(([size, r]) => `${formatRatio(r)} at ${size}`).join(', ')} (target: far below the official SDK): ${far ? 'met' : 'NOT met'}.`);
  }

  const many = find('rx-events', 'many');
  const floorMany = find('floor', 'many');
  if (many?.heapPerStreamKB !== undefined) {
    const floorText = floorMany?.heapPerStreamKB !== undefined ? ` (floor: ${floorMany.heapPerStreamKB.toFixed(0)} KiB)` : '';
    lines.push(
      `many: rx-events peaks at ${many.heapPerStreamKB.toFixed(0)} KiB of heap per concurrent stream${floorText}, ${many.peakHeapMB?.toFixed(0)} MiB in all for ` +
        `${report.workloads.find((w) => w.id === 'many')?.streams} streams (target: bounded memory per stream).`,
    );
  }
  return lines;
}
