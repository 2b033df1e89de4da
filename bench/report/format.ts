import type { PairResult, Ratio } from './BenchReport';

export function formatMs(ms: number): string {
  if (ms >= 10_000) return `${(ms / 1000).toFixed(1)} s`;
  if (ms >= 1000) return `${(ms / 1000).toFixed(2)} s`;
  if (ms >= 100) return `${ms.toFixed(0)} ms`;
  if (ms >= 10) return `${ms.toFixed(1)} ms`;
  return `${ms.toFixed(2)} ms`;
}

export function formatDuration(seconds: number): string {
  const minutes = Math.floor(seconds / 60);
  return minutes > 0 ? `${minutes} min ${Math.round(seconds - minutes * 60)} s` : `${seconds.toFixed(1)} s`;
}

export function formatRate(perSecond: number): string {
  if (perSecond >= 1e6) return `${(perSecond / 1e6).toFixed(2)} M`;
  if (perSecond >= 1e3) return `${(perSecond / 1e3).toFixed(0)} k`;
  return perSecond.toFixed(0);
}

export function formatRatio(ratio: Ratio | undefined): string {
  if (!ratio) return '—';
  const { value } = ratio;
  // Small ratios keep two significant digits: 0.0046×, not 0.00×.
  const text = value >= 100 ? value.toFixed(0) : value >= 10 ? value.toFixed(1) : value >= 0.1 ? value.toFixed(2) : value.toPrecision(2);
  return `${ratio.bound ?? ''}${text}×`;
}

/** The "median" cell: the time, or why there is none. */
export function formatMedian(result: PairResult, budgetSeconds: number): string {
  switch (result.status) {
    case 'ok':
      return formatMs(result.medianMs as number);
    case 'dnf':
      return `did not finish in ${budgetSeconds} s`;
    case 'skipped':
      return 'not run';
    case 'error':
      return 'ERROR';
  }
}

/** The "runs" cell: how many runs the median is from, and why fewer than asked. */
export function formatRuns(result: PairResult): string {
  if (result.status !== 'ok') return '—';
  if (result.fromWarmup) return `${result.runs} (warm-up)`;
  return String(result.runs);
}

/** A plain-text table with columns padded; `right` says which columns are right-aligned. */
export function renderTextTable(headers: readonly string[], rows: ReadonlyArray<readonly string[] | null>, right: readonly boolean[]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((row) => (row ? (row[i] as string).length : 0))));
  const line = (cells: readonly string[]): string =>
    cells.map((cell, i) => (right[i] ? cell.padStart(widths[i] as number) : cell.padEnd(widths[i] as number))).join('  ').trimEnd();
  const out = [line(headers), widths.map((w) => '-'.repeat(w)).join('  ')];
  for (const row of rows) out.push(row ? line(row) : '');
  return out.join('\n');
}

/** A Markdown table; `null` rows are left out (Markdown tables cannot hold a blank line). */
export function renderMarkdownTable(headers: readonly string[], rows: ReadonlyArray<readonly string[] | null>, right: readonly boolean[]): string {
  const escape = (cell: string): string => cell.replace(/\|/g, '\\|');
  const out = [`| ${headers.map(escape).join(' | ')} |`, `| ${right.map((r) => (r ? '---:' : '---')).join(' | ')} |`];
  for (const row of rows) if (row) out.push(`| ${row.map(escape).join(' | ')} |`);
  return out.join('\n');
}
