import type { OperatorFunction } from 'rxjs';
import { describeProgress } from '../accumulate/accumulateEvent';
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
 * `IncompleteStreamError`, which says what did arrive.
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
    (state, eventCount, subscriber) => {
      if (!state?.stopped) {
        subscriber.error(new IncompleteStreamError(describeProgress(state, eventCount)));
        return;
      }
      subscriber.next(state.message as unknown as Message);
      subscriber.complete();
    },
  );
}
