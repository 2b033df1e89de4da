import { Observable, type OperatorFunction } from 'rxjs';
import type { StreamEventLike } from '../operators/MessageStreamEvent';
import { subscribeWhileOpen } from '../operators/withAccumulator';
import type { RawMessageStreamEvent } from '../schema';
import { OutputTracker } from './OutputTracker';
import { decoderOf, type OutputFormatLike, type OutputOf } from './StructuredOutputFormat';

/**
 * Emits the structured output once, when the stream completes: the last message's text parsed
 * and decoded by the format's codec (for a plain JSON Schema format, only parsed).
 *
 * The text goes through the same incremental parser as {@link partialOutput}'s (without building
 * any partial value), so text that stops being a JSON prefix fails at that delta, and the value
 * at the end is the parser's, with no second parse. It fails with `OutputRefusalError` when the
 * last message is a refusal, `OutputTruncatedError` when it was cut by `max_tokens`,
 * `OutputParseError` (with `raw`) when its text is not JSON or there is none,
 * `OutputValidationError` (with `raw`, `value` and each failing path and expected type) when the
 * codec refuses it, and `IncompleteStreamError` when the stream ends before `message_stop`.
 * The codec may be an io-ts codec or a Standard Schema (see `outputFormat`); one that validates
 * asynchronously fails it with `AsyncValidationError`, since the output is read synchronously.
 * Across the turns of a tool loop, only the last turn's text is the output.
 *
 * ## Example
 * ```ts
 * import * as t from 'io-ts';
 * import { lastValueFrom } from 'rxjs';
 * import { finalOutput, outputFormat } from 'rx-anthropic';
 *
 * const format = outputFormat(t.type({ order_ids: t.array(t.number) }));
 * const { order_ids } = await lastValueFrom(client.messages.stream({ ...params, output_config: { format } }).pipe(finalOutput(format)));
 * ```
 *
 * @param format The output format the request was sent with.
 * @return An operator from raw (or `messageStreamEvents()`, or tool loop) events to the one decoded value.
 * @see partialOutput
 * @see outputFormat
 */
export function finalOutput<F extends OutputFormatLike, E extends StreamEventLike = RawMessageStreamEvent>(format: F): OperatorFunction<E, OutputOf<F>> {
  const decoder = decoderOf(format);
  return (source) =>
    new Observable<OutputOf<F>>((subscriber) => {
      const tracker = new OutputTracker();
      return subscribeWhileOpen(source, subscriber, {
        next: (event) => {
          try {
            tracker.fold(event);
          } catch (error) {
            subscriber.error(error);
          }
        },
        error: (error: unknown) => subscriber.error(error),
        complete: () => {
          let value: OutputOf<F>;
          try {
            value = tracker.finish(decoder) as OutputOf<F>;
          } catch (error) {
            subscriber.error(error);
            return;
          }
          subscriber.next(value);
          subscriber.complete();
        },
      });
    });
}
