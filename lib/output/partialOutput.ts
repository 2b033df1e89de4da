import { asyncScheduler, Observable, type OperatorFunction, type SchedulerLike, type Subscription } from 'rxjs';
import type { StreamEventLike } from '../operators/MessageStreamEvent';
import { subscribeWhileOpen } from '../operators/withAccumulator';
import type { RawMessageStreamEvent } from '../schema';
import type { DeepPartial } from './DeepPartial';
import { OutputTracker } from './OutputTracker';
import { decoderOf, type OutputFormatLike, type OutputOf } from './StructuredOutputFormat';

/**
 * Options of {@link partialOutput}.
 *
 * ## Example
 * ```ts
 * import { animationFrameScheduler } from 'rxjs';
 *
 * const options: PartialOutputOptions = { throttle: animationFrameScheduler }; // at most one value per frame
 * client.messages.stream(params).pipe(partialOutput(format, options));
 * ```
 */
export interface PartialOutputOptions {
  /**
   * How often a value may be emitted:
   * - a scheduler: at most once per action of it (`animationFrameScheduler`: once per frame);
   * - a number: at most once per that many milliseconds (timed on `scheduler`);
   * - left out: after every text delta that changes the value.
   *
   * The value is built only when it is emitted, so a throttle also saves the work of the values
   * that would have been dropped.
   */
  readonly throttle?: SchedulerLike | number;
  /** Where a throttle in milliseconds is timed. Default `asyncScheduler`. */
  readonly scheduler?: SchedulerLike;
}

/**
 * Emits the structured output as it streams: a deep-partial value of the format's type after
 * each text delta that changes it, then, when the stream completes, checks the whole output.
 *
 * The text of the message's text blocks goes to an incremental partial-JSON parser, which reads
 * each character once: reading the value on every delta stays linear in the output's size. A
 * value copies only the path from the root to the value being written and shares everything
 * finished with the value before, so an unchanged field or element is the same object from one
 * emission to the next (`distinctUntilChanged()` per field, Angular's change detection by
 * reference); a value is never changed once emitted (it is frozen when `NODE_ENV` is not
 * `production`, as the value of `finalOutput()` is). An unfinished string shows as far as it has
 * arrived, a number as its last complete value while it grows (`2`, `21`, still `21` after `21.`,
 * then `21.5`; nothing for a lone `-`), and `true`/`false`/`null` and an object key only once
 * they are whole: a field or element once shown is in every later value. A delta that changes
 * nothing emits nothing. Where an open array or object is wide, each value
 * copies its finished children, so throttling (`throttle`) is cheaper there.
 *
 * Errors: at the delta where the text stops being a JSON prefix, `OutputParseError` (with `raw`);
 * at the end, for the last message, `OutputRefusalError` for a refusal, `OutputTruncatedError`
 * for a `max_tokens` cut, `OutputParseError` for text that ends unfinished, and
 * `OutputValidationError` (paths and expected types) for JSON the codec refuses, since partial
 * values are not checked against the codec; `IncompleteStreamError` if the stream ends before
 * `message_stop`; `AsyncValidationError` if the format's Standard Schema validates asynchronously
 * (the codec or schema may be io-ts, zod, Valibot, ArkType: see `outputFormat`). It takes raw events, `messageStreamEvents()` output or a tool loop's events:
 * each message starts a new output, so across a tool loop the last turn's text is the output.
 *
 * ## Example
 * ```ts
 * import * as t from 'io-ts';
 * import { outputFormat, partialOutput } from 'rx-anthropic';
 *
 * const format = outputFormat(t.type({ title: t.string, tags: t.array(t.string) }));
 * client.messages
 *   .stream({ ...params, output_config: { format } })
 *   .pipe(partialOutput(format))
 *   .subscribe((review) => console.log(review.title, review.tags?.length));
 * // 'Gre' undefined, 'Great pasta' undefined, 'Great pasta' 0, 'Great pasta' 1, …
 * ```
 *
 * @param format The output format the request was sent with.
 * @param options A throttle.
 * @return An operator from raw (or `messageStreamEvents()`, or tool loop) events to partial values.
 * @see finalOutput
 * @see outputFormat
 */
export function partialOutput<F extends OutputFormatLike, E extends StreamEventLike = RawMessageStreamEvent>(
  format: F,
  options: PartialOutputOptions = {},
): OperatorFunction<E, DeepPartial<OutputOf<F>>> {
  const { throttle, scheduler = asyncScheduler } = options;
  const decoder = decoderOf(format);
  return (source) =>
    new Observable<DeepPartial<OutputOf<F>>>((subscriber) => {
      const tracker = new OutputTracker();
      let emitted: unknown;
      let changed = false;
      let pending: Subscription | undefined;

      const flush = (): void => {
        pending?.unsubscribe();
        pending = undefined;
        if (!changed) return;
        changed = false;
        const value = tracker.snapshot();
        if (value === undefined || value === emitted) return;
        emitted = value;
        subscriber.next(value as DeepPartial<OutputOf<F>>);
      };
      subscriber.add(() => pending?.unsubscribe());

      return subscribeWhileOpen(source, subscriber, {
        next: (event) => {
          // The previous turn's last value goes out before a new message resets the output.
          if (event.type === 'message_start' && changed) flush();
          let grew: boolean;
          try {
            grew = tracker.fold(event);
          } catch (error) {
            subscriber.error(error);
            return;
          }
          if (event.type === 'message_start') emitted = undefined;
          if (!grew) return;
          changed = true;
          if (throttle === undefined) flush();
          else pending ??= typeof throttle === 'number' ? scheduler.schedule(flush, throttle) : throttle.schedule(flush);
        },
        error: (error: unknown) => subscriber.error(error),
        complete: () => {
          flush();
          try {
            tracker.finish(decoder);
          } catch (error) {
            subscriber.error(error);
            return;
          }
          subscriber.complete();
        },
      });
    });
}
