import { createHash } from 'node:crypto';

/**
 * What every implementation must make of a stream, and what the generators say it is: the
 * text of the text blocks, the thinking of the thinking blocks (each concatenated in block
 * order) and the parsed input of each tool use, in order.
 */
export interface StreamResult {
  text: string;
  thinking: string;
  toolInputs: unknown[];
}

/**
 * One hash of the results of a run (one per stream, in order), so that a child process reports
 * a few bytes and the runner compares them with what the generator expects. Tool inputs are
 * hashed as `JSON.stringify` of the parsed value, so formatting and number spelling do not count.
 */
export function digestResults(results: readonly StreamResult[]): string {
  const hash = createHash('sha256');
  for (const result of results) {
    hash.update(result.text).update('\u0000').update(result.thinking).update('\u0000');
    for (const input of result.toolInputs) hash.update(JSON.stringify(input)).update('\u0001');
    hash.update('\u0002');
  }
  return hash.digest('hex').slice(0, 16);
}

/** A one-line account of a result, to show next to a digest that does not match. */
export function describeResult(result: StreamResult): string {
  const inputs = result.toolInputs.map((input) => `${JSON.stringify(input).length} chars`).join(', ');
  return `text ${result.text.length} chars, thinking ${result.thinking.length} chars, tool inputs [${inputs}]`;
}
