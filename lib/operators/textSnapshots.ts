import { Observable, type OperatorFunction } from 'rxjs';
import type { RawMessageStreamEvent } from '../schema';
import { blockNeverStarted } from './blockNeverStarted';
import { wholeMessageError } from './wholeMessageError';
import type { StreamEventLike } from './MessageStreamEvent';
import { subscribeWhileOpen } from './withAccumulator';

/**
 * Emits the reply's text so far at each `text_delta`: what a UI binds to while a reply streams.
 *
 * For each `text_delta` on a `text` block it emits the text of the current message: all its
 * text blocks joined with `''`, as {@link finalText} joins them, so the last value of a message
 * is its final text. Each `message_start` starts again from `''`, so across the turns of a tool
 * loop it gives each turn's text. It keeps only the text of each block and appends to one
 * string, with no message snapshot, so it costs little more than {@link textDeltas}. A delta for
 * a block that was never started fails with `StreamDecodeError`.
 *
 * Unlike the official SDK's `stream.on('text', (delta, snapshot) => …)`, whose `snapshot` is the
 * text of the current block only, this is the text of the whole message: a reply whose text is
 * split by a tool call or a citation block reads as one string. For the block's own text, use
 * the `snapshot` of the `text` events of {@link messageStreamEvents}.
 *
 * ## Example
 * ```ts
 * client.messages.stream(params).pipe(textSnapshots()).subscribe((text) => (output.textContent = text));
 * // Angular: readonly reply = toSignal(client.messages.stream(params).pipe(textSnapshots()), { initialValue: '' });
 * ```
 *
 * @return An operator from raw (or `messageStreamEvents()`, or tool loop) events to the text so far.
 * @see textDeltas
 * @see finalText
 * @see messageStreamEvents
 */
export function textSnapshots<E extends StreamEventLike = RawMessageStreamEvent>(): OperatorFunction<E, string> {
  return (source) =>
    new Observable<string>((subscriber) => {
      // Per block index: its text for a text block, null for any other kind, a hole if never started.
      let blocks: (string | null)[] = [];
      // Always the join of `blocks`; extended in place when the highest text block grows.
      let text = '';
      let lastTextIndex = -1;

      // Blocks stream one after another in practice; this is for a stream that goes back to an earlier one.
      const rejoin = (): void => {
        text = '';
        lastTextIndex = -1;
        blocks.forEach((block, index) => {
          if (typeof block !== 'string') return;
          text += block;
          lastTextIndex = index;
        });
      };

      return subscribeWhileOpen(source, subscriber, {
        next: (input) => {
          const event = input as unknown as RawMessageStreamEvent | { type: 'message' };
          switch (event.type) {
            case 'message':
              subscriber.error(wholeMessageError());
              return;
            case 'message_start':
              blocks = [];
              text = '';
              lastTextIndex = -1;
              break;
            case 'content_block_start': {
              const block = event.content_block as { readonly type: string; readonly text?: unknown };
              const started = block.type === 'text' ? (typeof block.text === 'string' ? block.text : '') : null;
              const replaced = blocks[event.index] !== undefined;
              blocks[event.index] = started;
              if (replaced || (started !== null && event.index < lastTextIndex)) rejoin();
              else if (started !== null) {
                text += started;
                lastTextIndex = event.index;
              }
              break;
            }
            case 'content_block_delta': {
              const block = blocks[event.index];
              if (block === undefined) {
                subscriber.error(blockNeverStarted(event));
                return;
              }
              if (event.delta.type !== 'text_delta' || block === null) break;
              blocks[event.index] = block + event.delta.text;
              if (event.index === lastTextIndex) text += event.delta.text;
              else rejoin();
              subscriber.next(text);
              break;
            }
          }
        },
        error: (error: unknown) => subscriber.error(error),
        complete: () => subscriber.complete(),
      });
    });
}
