import { tap, type MonoTypeOperatorFunction } from 'rxjs';
import { attachOutputReader, type OutputReader } from '../accumulate/outputReader';
import type { Message, RawMessageStreamEvent } from '../schema';
import type { ParsedMessage } from './ParsedMessage';

/**
 * What `client.messages.stream()` does, through the format's hooks, to a request whose
 * `output_config.format` was made by `outputFormat`: every raw event passes as it is, and each
 * `message_start` carries (in a registry beside it, since the event is frozen) how its finished
 * message gets `parsed_output`.
 *
 * The operators that finish the message (`finalMessage()`, `accumulateMessage()`,
 * `messageStreamEvents()`, the tool loop) read the output when they fold the `message_stop`, so
 * their message has `parsed_output`, and an output that is not JSON or that the codec refuses
 * fails them with the typed error. A pipeline that finishes no message (`textDeltas()`,
 * `partialOutput()`, `finalOutput()`) pays for nothing but this one look at each event's type.
 * After `messageStreamEvents()`, the message its `message_stop` carries is taken as it is, so
 * the output is read once per pipeline.
 *
 * @param parsedMessageOf The format's reader: the finished message with `parsed_output`.
 * @return An operator that passes the raw events on, each `message_start` with the reader.
 */
export function attachParsedOutput(parsedMessageOf: (message: Message) => ParsedMessage<unknown>): MonoTypeOperatorFunction<RawMessageStreamEvent> {
  const reader = parsedMessageOf as OutputReader;
  // The events are this subscription's own, fresh from decodeEvents(): marking one changes nothing anyone else holds.
  return tap((event) => {
    if (event.type === 'message_start') attachOutputReader(event, reader);
  });
}
