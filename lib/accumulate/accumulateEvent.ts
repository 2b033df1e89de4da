import { MessageAccumulator, type AnyEvent, type AnyMessage } from './MessageAccumulator';

export type { AnyMessage } from './MessageAccumulator';

/**
 * Where the accumulation of one stream stands after an event: the message snapshot as of that
 * event and whether `message_stop` came.
 */
export interface AccumulatorState {
  readonly message: AnyMessage;
  readonly stopped: boolean;
  /** The accumulator the states of one stream share (mutable; read the state's own fields). */
  readonly accumulator: MessageAccumulator;
}

/**
 * Folds one raw stream event into the accumulation, returning the new state (or the same one
 * when the event folds nothing), for code that keeps one state per event. The message of a
 * state never changes: each state holds the snapshot as of its event, sharing every block that
 * did not change. The operators use a {@link MessageAccumulator} directly, which builds a
 * snapshot only when one is read.
 *
 * ## Example
 *
 * ```ts
 * let state: AccumulatorState | undefined;
 * for (const event of events) state = accumulateEvent(state, event);
 * if (state?.stopped) console.log(state.message.content);
 * ```
 *
 * @param state The state after the previous event (`undefined` before the first).
 * @param event The next event of the stream.
 * @return The state after the event.
 * @throws StreamDecodeError for a block event before `message_start`, for a block index that was never started, or
 * for a block started past the next index.
 * @throws ToolInputParseError when a finished tool-use block's input is not valid JSON.
 */
export function accumulateEvent(state: AccumulatorState | undefined, event: AnyEvent): AccumulatorState | undefined {
  const accumulator = state?.accumulator ?? new MessageAccumulator();
  if (!accumulator.fold(event)) return state;
  return { message: accumulator.message(), stopped: accumulator.stopped, accumulator };
}

/**
 * A one-line account of what a message received, for `IncompleteStreamError`.
 *
 * ## Example
 *
 * ```ts
 * describeProgress(state, 12); // 'message_start and 11 event(s) after it; content blocks: text; stop_reason: none'
 * ```
 *
 * @param state The last state, if any.
 * @param events Every event seen, folded or not.
 * @return The account.
 */
export function describeProgress(state: AccumulatorState | undefined, events: number): string {
  return (state?.accumulator ?? new MessageAccumulator()).describeProgress(events);
}
