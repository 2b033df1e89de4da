import { sentence } from './prose';
import type { Random } from './random';

const TAGS = ['alpha', 'beta', 'gamma', 'urgent', 'review', 'ops', 'ui', 'data'];

/**
 * A tool input of about `targetBytes` of JSON, shaped like what a model writes to a tool that
 * saves a report: a few scalars, an array of records (objects with strings, numbers, booleans,
 * `null` and nested arrays; about 60% of the bytes) and one long text field (the rest, with
 * quotes, escapes and non-ASCII). Both shapes matter to a partial-JSON parser: many finished
 * values inside an open container, and one long open string.
 */
export function buildToolInput(random: Random, targetBytes: number): Record<string, unknown> {
  const records: Record<string, unknown>[] = [];
  let recordBytes = 0;
  for (let id = 1; recordBytes < targetBytes * 0.6; id++) {
    const record = buildRecord(random, id);
    records.push(record);
    recordBytes += byteLength(JSON.stringify(record)) + 1;
  }
  const input: Record<string, unknown> = { path: 'reports/quarterly.json', mode: 'overwrite', records, content: '' };
  const room = targetBytes - byteLength(JSON.stringify(input));
  let content = '';
  let contentBytes = 0;
  while (contentBytes < room) {
    const piece = `${sentence(random, random.int(4, 12))}.${random.next() < 0.2 ? '\n' : ' '}`;
    content += piece;
    contentBytes += byteLength(JSON.stringify(piece)) - 2;
  }
  input['content'] = content;
  return input;
}

/** Rows per group in {@link nestRows}: every array of the nested input holds at most this many values. */
export const NEST_WIDTH = 32;

/**
 * The same input with its rows nested in groups of {@link NEST_WIDTH}, groups of groups and so
 * on until the top array is that narrow too: every container that is open while the input streams
 * holds at most 32 finished values, so a partial-JSON snapshot copies little, however large the
 * input (where the wide input's one array of rows makes every snapshot copy all the rows so far).
 */
export function nestRows(input: Record<string, unknown>): Record<string, unknown> {
  let level = input['records'] as unknown[];
  while (level.length > NEST_WIDTH) {
    const groups: unknown[][] = [];
    for (let at = 0; at < level.length; at += NEST_WIDTH) groups.push(level.slice(at, at + NEST_WIDTH));
    level = groups;
  }
  return { ...input, records: level };
}

function buildRecord(random: Random, id: number): Record<string, unknown> {
  const tagCount = random.int(0, 3);
  const tags: string[] = [];
  for (let i = 0; i < tagCount; i++) tags.push(random.pick(TAGS));
  return {
    id,
    name: sentence(random, 2),
    email: `user${id}@example.com`,
    score: Math.round(random.next() * 100_000) / 100,
    active: random.next() < 0.5,
    tags,
    parent: random.next() < 0.3 ? null : random.int(1, id),
    note: sentence(random, random.int(2, 6)),
  };
}

function byteLength(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}
