import type { OperatorFunction } from 'rxjs';
import { IncompleteStreamError } from '../errors';
import type { Message, RawMessageStreamEvent } from '../schema';
import type { StreamEventLike } from './MessageStreamEvent';
import { withAccumulator } from './withAccumulator';

/**
 * Emits the finished message once, when the stream completes (the SDKs' `finalMessage()` /
 * `get_final_message()`).
 *
 * When the stream holds several messages (the turns of a tool loop), it is the last one. The
 * stream must have delivered that message's `message_stop`; otherwise it fails with
 * `IncompleteStreamError`, which says what did arrive. Fed the output of `messageStreamEvents()`,
 * it takes the finished blocks and the message that its `content_block_stop` and `message_stop`
 * events carry, so the pipeline accumulates, and parses each tool input, once. The message is
 * frozen all the way down when `NODE_ENV` is not `production` (see `docs/snapshots.md`).
 *
 * ## Example
 * ```ts
 * const message = await lastValueFrom(client.messages.stream(params).pipe(finalMessage()));
 * ```
 *
 * @return An operator from raw (or `messageStreamEvents()`) events to the one final `Message`.
 * @see accumulateMessage
 * @see finalText
 */
export function finalMessage<E extends StreamEventLike = RawMessageStreamEvent>(): OperatorFunction<E, Message> {
  return withAccumulator<E, Message>(
    () => undefined,
    (accumulator, events, subscriber) => {
      if (!accumulator.stopped) {
        subscriber.error(new IncompleteStreamError(accumulator.describeProgress(events)));
        return;
      }
      subscriber.next(accumulator.message() as unknown as Message);
      subscriber.complete();
    },
  );
}
