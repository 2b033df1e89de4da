/**
 * How the finished message of a request with a structured output format gets its
 * `parsed_output`: `client.messages.stream()` registers the format's reader for each
 * `message_start` it decoded (in a `WeakMap`, since the event is frozen; it serialises and
 * compares as the API sent it), and every accumulator applies it to the message it finishes. A
 * module of its own, so that the accumulator knows the registry without knowing the output code.
 */
export type OutputReader = (message: never) => unknown;

/** The reader of each `message_start` that has one; an event no one holds any more lets go of it. */
const READERS = new WeakMap<object, OutputReader>();

/**
 * Registers `reader` for `event`, a `message_start` this subscription decoded itself (so no one
 * else holds it).
 *
 * @param event The event.
 * @param reader The format's reader of the finished message.
 */
export function attachOutputReader(event: object, reader: OutputReader): void {
  READERS.set(event, reader);
}

/**
 * The reader a `message_start` carries, if any.
 *
 * @param event The event.
 * @return Its reader, or `undefined`.
 */
export function outputReaderOf(event: object): OutputReader | undefined {
  return READERS.get(event);
}
