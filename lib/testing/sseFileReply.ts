import { readFileSync } from 'node:fs';
import { sseReply } from './sseReply';
import type { MockReplyOptions, MockSSETurn } from './types';

/**
 * A turn that sends the bytes of a recorded `.sse` file, unchanged. The file is read now, not
 * when the request comes, so a wrong path fails at the line that names it.
 *
 * ## Example
 * ```ts
 * const server = await createMockServer([
 *   sseFileReply('recordings/docs-basic-text.sse', { chunkDelayMs: 5 }),
 * ]);
 * ```
 * @param path The file's path (relative to the working directory, or absolute).
 * @param options Delivery and faults.
 * @return A turn for the script.
 * @see sseReply
 */
export function sseFileReply(path: string, options: MockReplyOptions = {}): MockSSETurn {
  return sseReply(readFileSync(path), options);
}
