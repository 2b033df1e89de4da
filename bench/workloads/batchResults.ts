import { sentence } from './prose';
import { createRandom } from './random';
import type { StreamResult } from './StreamResult';

/** The id of the batch whose results file the batch server serves. */
export const BENCH_BATCH_ID = 'msgbatch_bench_results';

/** Lines of the results file: the 200,000, and 5,000 in a `--quick` run. */
export const BATCH_RESULT_LINES = { full: 200_000, quick: 5_000 } as const;

/** What a client reads of one line of a results file (the fields the tally looks at). */
export interface BatchResultLine {
  custom_id: string;
  result: { type: string; message?: { content: ReadonlyArray<{ type: string; text?: string }> } };
}

/**
 * A running account of a results file as a client reads it: how many results of each type, and
 * one hash of every `custom_id` in order with the length of each succeeded message's first text,
 * so that a result dropped, repeated, reordered or read wrong changes it. It keeps nothing of the
 * lines it is given, so it adds nothing to the reader's heap.
 */
export class BatchResultsTally {
  private readonly counts: Record<string, number> = { succeeded: 0, errored: 0, canceled: 0, expired: 0, other: 0 };
  private lines = 0;
  private hash = 0x811c9dc5;

  add(line: BatchResultLine): void {
    this.lines += 1;
    const id = line.custom_id;
    let hash = this.hash;
    for (let i = 0; i < id.length; i++) hash = Math.imul(hash ^ id.charCodeAt(i), 0x01000193);
    const type = line.result.type;
    const kind = type in this.counts ? type : 'other';
    this.counts[kind] = (this.counts[kind] ?? 0) + 1;
    const first = type === 'succeeded' ? line.result.message?.content[0] : undefined;
    hash = Math.imul(hash ^ (first?.text?.length ?? type.length), 0x01000193);
    this.hash = hash;
  }

  /** The tally as the bench compares results: its one line in `text`. */
  result(): StreamResult {
    const { succeeded, errored, canceled, expired, other } = this.counts;
    return {
      text: `${this.lines} results: ${succeeded} succeeded, ${errored} errored, ${canceled} canceled, ${expired} expired, ${other} other; hash ${(this.hash >>> 0).toString(16)}`,
      thinking: '',
      toolInputs: [],
    };
  }
}

/** A results file: its bytes (JSON Lines, `\n` after each line) and what a correct reader makes of them. */
export interface BatchResultsFile {
  bytes: Buffer;
  lines: number;
  expected: StreamResult;
}

/**
 * The results file of a batch of `lines` requests, as the API writes it: one JSON object per
 * line, in the order of the requests, 94% `succeeded` (a message of 8–40 words of the bench's
 * prose, accents, CJK and emoji included, so characters cross chunk boundaries; one in ten also
 * with a `tool_use` block), 3% `errored`, 2% `canceled`, 1% `expired`. Deterministic (seeded).
 */
export function batchResultsFile(lines: number): BatchResultsFile {
  const random = createRandom(26);
  const tally = new BatchResultsTally();
  const parts: string[] = [];
  for (let i = 0; i < lines; i++) {
    const line = { custom_id: `request-${i}`, result: resultOf(i, random) };
    tally.add(line as BatchResultLine);
    parts.push(JSON.stringify(line));
  }
  return { bytes: Buffer.from(`${parts.join('\n')}\n`), lines, expected: tally.result() };
}

function resultOf(i: number, random: ReturnType<typeof createRandom>): Record<string, unknown> {
  const roll = random.next();
  if (roll < 0.01) return { type: 'expired' };
  if (roll < 0.03) return { type: 'canceled' };
  if (roll < 0.06) {
    return {
      type: 'errored',
      error: { type: 'error', error: { type: 'invalid_request_error', message: `messages.0.content: ${sentence(random, random.int(4, 10))}` }, request_id: `req_bench_${i.toString(36)}` },
    };
  }
  const content: Array<Record<string, unknown>> = [{ type: 'text', text: sentence(random, random.int(8, 40)) }];
  if (random.next() < 0.1) content.push({ type: 'tool_use', id: `toolu_bench_${i.toString(36)}`, name: 'lookup', input: { query: sentence(random, 3), limit: random.int(1, 20) } });
  return {
    type: 'succeeded',
    message: {
      id: `msg_bench_${i.toString(36).padStart(8, '0')}`,
      type: 'message',
      role: 'assistant',
      model: 'claude-sonnet-4-6',
      content,
      stop_reason: content.length > 1 ? 'tool_use' : 'end_turn',
      stop_sequence: null,
      usage: { input_tokens: random.int(10, 400), cache_creation_input_tokens: 0, cache_read_input_tokens: 0, output_tokens: random.int(5, 200), service_tier: 'batch' },
    },
  };
}
