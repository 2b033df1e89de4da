import { filter, map, type OperatorFunction } from 'rxjs';
import type { MessageStopEvent } from '../operators/MessageStreamEvent';
import { messageStreamEvents } from '../operators/messageStreamEvents';
import type { Message, RawMessageStreamEvent } from '../schema';
import type { ToolLoopEvent } from './ToolLoopEvent';

/**
 * One finished assistant message per turn of a tool loop: what iterating the official runner
 * yields, next to the streamed events.
 *
 * Each turn's message is emitted at its `message_stop`, as soon as the turn has streamed (before
 * its tools run); tool events and the loop's end pass by. It works on any stream of raw events
 * too, one message per `message_start` … `message_stop`; a turn cut short before its
 * `message_stop` gives none (the loop itself fails with `IncompleteStreamError`).
 *
 * ## Example
 * ```ts
 * client.messages.toolLoop(params, { tools: [getWeather] }).pipe(turnMessages())
 *   .subscribe((message) => console.log(message.stop_reason, message.content.map((block) => block.type)));
 * // tool_use [ 'text', 'tool_use' ]
 * // end_turn [ 'text' ]
 * ```
 *
 * @return An operator from the loop's (or raw) events to each turn's finished `Message`.
 * @see toolLoop
 * @see finalMessage
 */
export function turnMessages(): OperatorFunction<ToolLoopEvent | RawMessageStreamEvent, Message> {
  return (events) =>
    events.pipe(
      messageStreamEvents(),
      filter((event): event is MessageStopEvent => event.type === 'message_stop'),
      map((event) => event.message),
    );
}
