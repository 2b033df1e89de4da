/**
 * Writes one section of `bench/RESULTS.md` from the JSON report of a run of some workloads
 * alone (a full run takes a quarter of an hour on shared cores): the section as
 * `resultsMarkdown()` renders it from that report, under its heading, with a line naming the run.
 * A section of that heading already in the file is replaced; a new one goes before `## Notes`.
 *
 * `npx tsx bench/spliceSection.ts <report.json> "<### heading>" "<the command that made the report>"`
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BenchReport } from './report/BenchReport';
import { resultsMarkdown } from './report/resultsMarkdown';

const [jsonPath, heading, command] = process.argv.slice(2);
if (!jsonPath || !heading?.startsWith('### ') || !command) {
  console.error('usage: npx tsx bench/spliceSection.ts <report.json> "### <heading>" "<command>"');
  process.exit(2);
}
const report = JSON.parse(readFileSync(jsonPath, 'utf8')) as BenchReport;
/** A section: from its heading to the next heading of its level or above. */
const sectionOf = (text: string): string | undefined => {
  const start = text.indexOf(`${heading}\n`);
  if (start < 0) return undefined;
  const rest = text.slice(start + heading.length + 1);
  const end = rest.search(/^#{2,3} /m);
  return text.slice(start, start + heading.length + 1 + (end < 0 ? rest.length : end));
};
const rendered = sectionOf(resultsMarkdown(report));
if (rendered === undefined) {
  console.error(`the report renders no section "${heading}" (was the target measured?)`);
  process.exit(1);
}
const minutes = Math.floor(report.durationSeconds / 60);
const load = report.machine.loadAverage;
const line = `From \`${command}\` on ${report.startedAt.slice(0, 10)} (these workloads alone: ${minutes > 0 ? `${minutes} min ` : ''}${Math.round(report.durationSeconds % 60)} s; 1-minute load average ${load.start.toFixed(2)} at its start, ${load.end.toFixed(2)} at its end), not the full run of the rest of this file.`;
const section = rendered.replace(`${heading}\n\n`, `${heading}\n\n${line}\n\n`);
const file = resolve(dirname(fileURLToPath(import.meta.url)), 'RESULTS.md');
const text = readFileSync(file, 'utf8');
const existing = sectionOf(text);
const next = existing !== undefined ? text.replace(existing, section) : text.replace('\n## Notes\n', `\n${section.trimEnd()}\n\n## Notes\n`);
writeFileSync(file, next);
console.log(`${existing !== undefined ? 'replaced' : 'added'} "${heading}" in bench/RESULTS.md`);
