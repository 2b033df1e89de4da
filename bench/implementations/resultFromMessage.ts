import type { StreamResult } from '../workloads/StreamResult';

type MessageLike = { content: ReadonlyArray<{ type: string } & Record<string, unknown>> };

/** The result from a finished message (text and thinking blocks concatenated, tool inputs in order). */
export function resultFromMessage(message: MessageLike): StreamResult {
  let text = '';
  let thinking = '';
  const toolInputs: unknown[] = [];
  for (const block of message.content) {
    if (block.type === 'text') text += block['text'] as string;
    else if (block.type === 'thinking') thinking += block['thinking'] as string;
    else if (block.type === 'tool_use') toolInputs.push(block['input']);
  }
  return { text, thinking, toolInputs };
}

/**
 * Somewhere to put each snapshot a consumer reads, so that reading it is not dead code, and a
 * count the child can check (a consumer that never read a snapshot would be measuring less).
 */
export const snapshotSink = {
  /** Tool-input snapshots read (and defined). */
  reads: 0,
  /** Length of the last text or thinking snapshot kept, so that reading it is not dead code either. */
  kept: 0,
  read(snapshot: unknown): void {
    if (snapshot !== undefined) this.reads += 1;
  },
  keep(snapshot: string | readonly unknown[]): void {
    this.kept = snapshot.length;
  },
};
