/**
 * How the finished message of a request with a structured output format gets its
 * `parsed_output`: `client.messages.stream()` leaves the format's reader on each `message_start`
 * under {@link OUTPUT_READER} (a symbol, not enumerable: the event serialises and compares as the
 * API sent it), and every accumulator applies it to the message it finishes. A module of its own,
 * so that the accumulator knows the symbol without knowing the output code.
 */
export type OutputReader = (message: never) => unknown;

/** Where a `message_start` carries its {@link OutputReader}. */
export const OUTPUT_READER: unique symbol = Symbol('rx-anthropic output reader');

/**
 * Leaves `reader` on `event`, a `message_start` this subscription decoded itself (so no one else
 * holds it).
 *
 * @param event The event.
 * @param reader The format's reader of the finished message.
 */
export function attachOutputReader(event: object, reader: OutputReader): void {
  Object.defineProperty(event, OUTPUT_READER, { value: reader });
}

/**
 * The reader a `message_start` carries, if any.
 *
 * @param event The event.
 * @return Its reader, or `undefined`.
 */
export function outputReaderOf(event: object): OutputReader | undefined {
  return (event as { readonly [OUTPUT_READER]?: OutputReader })[OUTPUT_READER];
}
