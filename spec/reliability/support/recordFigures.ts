import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * Figures a reliability spec measured (faults injected, fuzz runs, soak counts, heap), written as
 * `<RX_FIGURES_DIR>/<name>.json` when that variable is set, for `spec/reliability/figures.ts` to
 * put into `docs/reliability.md`. Without it, nothing is written: a plain `npm test` leaves no file.
 */
export function recordFigures(name: string, figures: Record<string, unknown>): void {
  const dir = process.env['RX_FIGURES_DIR'];
  if (!dir) return;
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, `${name}.json`), `${JSON.stringify(figures, null, 2)}\n`);
}

/** A tally of injected faults by kind, recorded at the end of a spec file. */
export class FaultTally {
  private readonly counts = new Map<string, number>();

  add(kind: string, count = 1): void {
    this.counts.set(kind, (this.counts.get(kind) ?? 0) + count);
  }

  get total(): number {
    let total = 0;
    for (const count of this.counts.values()) total += count;
    return total;
  }

  toJSON(): Record<string, number> {
    return Object.fromEntries([...this.counts].sort(([a], [b]) => a.localeCompare(b)));
  }
}
