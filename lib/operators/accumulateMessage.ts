import type { OperatorFunction } from 'rxjs';
import type { Message, RawMessageStreamEvent } from '../schema';
import type { StreamEventLike } from './MessageStreamEvent';
import { withAccumulator } from './withAccumulator';

/**
 * Accumulates the events of a stream into message snapshots: one snapshot per raw event.
 *
 * Every snapshot is a new object, frozen with everything in it when `NODE_ENV` is not
 * `production` (see `docs/snapshots.md`); earlier ones never change, and content blocks
 * that an event did not touch are shared by reference between successive snapshots, so each
 * event costs O(number of blocks) whatever the message's size. A tool-use block's `input` is
 * the partial object so far, computed only when read. A second `message_start` begins a new
 * message, so the operator follows every turn of a tool loop. Pings, derived events (when fed
 * the output of `messageStreamEvents()`) and unknown events produce no snapshot. A stream that
 * ends without `message_stop` simply completes after its last snapshot.
 *
 * ## Example
 * ```ts
 * client.messages.stream(params).pipe(accumulateMessage()).subscribe((message) => render(message.content));
 * ```
 *
 * @return An operator from raw (or `messageStreamEvents()`) events to `Message` snapshots.
 * @see finalMessage
 * @see messageStreamEvents
 */
export function accumulateMessage<E extends StreamEventLike = RawMessageStreamEvent>(): OperatorFunction<E, Message> {
  return withAccumulator<E, Message>((_event, folded, accumulator, subscriber) => {
    if (folded) subscriber.next(accumulator.message(true) as unknown as Message);
  });
}
