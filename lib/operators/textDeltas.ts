import { Observable, type OperatorFunction } from 'rxjs';
import type { RawMessageStreamEvent } from '../schema';
import { blockNeverStarted } from './blockNeverStarted';
import { wholeMessageError } from './wholeMessageError';
import type { StreamEventLike } from './MessageStreamEvent';
import { subscribeWhileOpen } from './withAccumulator';

/**
 * Emits the text of each `text_delta` as it arrives (the SDKs' `text_stream`).
 *
 * Only deltas on `text` blocks count. It keeps nothing but the type of each block, so it is
 * the cheapest way to print a reply as it streams. A delta for a block that was never started
 * fails with `StreamDecodeError`.
 *
 * ## Example
 * ```ts
 * client.messages.stream(params).pipe(textDeltas()).subscribe((text) => process.stdout.write(text));
 * ```
 *
 * @return An operator from raw (or `messageStreamEvents()`) events to text fragments.
 * @see finalText
 * @see messageStreamEvents
 */
export function textDeltas<E extends StreamEventLike = RawMessageStreamEvent>(): OperatorFunction<E, string> {
  return (source) =>
    new Observable<string>((subscriber) => {
      let blockTypes: string[] = [];
      return subscribeWhileOpen(source, subscriber, {
        next: (input) => {
          const event = input as unknown as RawMessageStreamEvent | { type: 'message' };
          switch (event.type) {
            case 'message':
              subscriber.error(wholeMessageError());
              return;
            case 'message_start':
              blockTypes = [];
              break;
            case 'content_block_start':
              blockTypes[event.index] = event.content_block.type;
              break;
            case 'content_block_delta': {
              const blockType = blockTypes[event.index];
              if (blockType === undefined) {
                subscriber.error(blockNeverStarted(event));
                return;
              }
              if (event.delta.type === 'text_delta' && blockType === 'text') subscriber.next(event.delta.text);
              break;
            }
          }
        },
        error: (error: unknown) => subscriber.error(error),
        complete: () => subscriber.complete(),
      });
    });
}
