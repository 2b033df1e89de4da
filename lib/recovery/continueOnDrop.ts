import { APIConnectionError, APIError, APIUserAbortError, type AnthropicError } from '../errors';
import type { MessageCreateParams, RawMessageStreamEvent } from '../schema';
import { continueOnDropAttempts } from './continueOnDropAttempts';
import { ContinuedStream } from './ContinuedStream';
import { notContinued } from './notContinued';
import type { RecoveryContext } from './RecoveryContext';
import type { SendStream } from './SendStream';
import { deltaSinkOf, overSendStream, RecoverySink, type EventSink, type SinkStream, type StopStream } from './SinkStream';

/**
 * Whether a failure is a dropped connection that a request sent again may get past: the body
 * broke off or never came (`APIConnectionError`), or the wait for the next chunk timed out
 * (`APITimeoutError`, one of them). A timeout of the whole request (one naming the phase
 * `'total'`) is not: going on would outlast it.
 */
function isDrop(error: unknown): error is APIConnectionError {
  return error instanceof APIConnectionError && (error as { phase?: unknown }).phase !== 'total';
}

const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/** Why the request sent after a drop ended the stream before its first event. */
function refusalOf(error: unknown, retried: boolean): string {
  if (!retried && error instanceof APIError && error.status !== undefined && error.status >= 400 && error.status < 500) {
    return `the API refused the continuation and its prefill (${error.status}: ${error.message})`;
  }
  return `the request sent again failed (${messageOf(error)})`;
}

/**
 * The `continueOnDrop` recovery: a stream whose connection drops goes on in the same Observable.
 *
 * When a request's stream fails with a dropped connection (`APIConnectionError`, `APITimeoutError`
 * between two chunks: see the client's `timeout`), the request is sent again, at once, up to
 * `continueOnDrop` times in all for one stream:
 *
 * - before any content block began, with the same params (an ordinary retry);
 * - after text began, and when every block so far is text, with that text as an assistant prefill
 *   (`{ role: 'assistant', content: textSoFar }` after the messages, or added to the request's
 *   own trailing assistant message), its trailing whitespace left out as the API requires. The
 *   continuation's events go on in the same stream as one message (see {@link ContinuedStream}):
 *   one `message_start`, the cut text block going on under its index, later blocks at the next
 *   indices, one `message_stop`, and a usage that is the sum of what every request reported.
 *
 * The stream fails with the drop itself, its message ending "The stream was not continued:"
 * and why, when it cannot go on: the cut is inside a `tool_use` (or other) input or a thinking
 * block, an earlier block is not text (a prefill carries only text), extended thinking is on
 * (the API takes no prefill with it), the request sent again fails before its first event (the
 * API refused the prefill: the refusal is the error's `cause`), or the attempts are used up. A drop
 * after the message's `message_stop` (a body that never ended) completes the stream: the answer
 * is whole. Any other failure (an `error` event, an HTTP error, an abort) passes as it came. Each request sent
 * again is reported to `context.report` as a `continuation` (`retried` when it was a plain retry).
 *
 * Unsubscribing aborts the request in flight; nothing is scheduled. With `continueOnDrop` 0 (the
 * default) this is `stream` itself. A value that is not a whole number of at least 0 fails each
 * subscription with `InvalidArgumentError` naming `continueOnDrop`, before anything is sent.
 *
 * ## Example
 * ```ts
 * const send: SendStream = (params) => client.messages.stream(params);
 * const context = recoveryContext({}, { continueOnDrop: 3, onRecovery: console.warn }, asyncScheduler, undefined);
 * continueOnDrop(send, context)(params).pipe(finalText()).subscribe(console.log);
 * // Between recoveries: continueOnDropSink(sinkStreamOf(send), context)
 * ```
 *
 * @param stream Sends one request.
 * @param context The options in force (`continueOnDrop`), the scheduler and where to report.
 * @return A `SinkStream` that goes on after drops.
 * @see ContinuedStream
 */
export function continueOnDropSink(stream: SinkStream, context: RecoveryContext): SinkStream {
  const option = context.options.continueOnDrop;
  if (option === undefined || option === 0) return stream;
  let attempts: number;
  try {
    attempts = continueOnDropAttempts(option);
  } catch (error) {
    return (_params, sink) => {
      sink.error(error);
      return () => undefined;
    };
  }
  return (params, sink) => {
    const continued = new ContinuedStream(params);
    const emit = (event: RawMessageStreamEvent, type = event.type): void => sink.next(event, type);
    let used = 0;
    /** The request in flight (the last sent), and what stops it. */
    let current = 0;
    let stopCurrent: StopStream | undefined;
    /** The drop the request in flight was sent to get past (the first, when several came without an event between), until its first event. */
    let pending: { readonly drop: AnthropicError; readonly retried: boolean } | undefined;

    const onError = (error: unknown): void => {
      if (!isDrop(error)) {
        if (pending !== undefined && !(error instanceof APIUserAbortError)) {
          sink.error(notContinued(pending.drop, refusalOf(error, pending.retried), error));
        } else {
          sink.error(error);
        }
        return;
      }
      // The body broke off after the message's last event (it never ended, or a wait for its end timed out): the answer is whole.
      if (continued.finished) return sink.complete();
      const plan = continued.plan(error);
      if (plan.kind === 'refuse') return sink.error(notContinued(error, plan.reason));
      if (used >= attempts) {
        return sink.error(notContinued(error, `the ${attempts} attempt${attempts === 1 ? '' : 's'} of continueOnDrop ${attempts === 1 ? 'was' : 'were'} used up`));
      }
      used += 1;
      continued.prepare(plan);
      const retried = plan.kind === 'retry';
      // A request sent again that drops before its first event is still getting past the first drop.
      pending = { drop: pending?.drop ?? error, retried };
      context.report({ kind: 'continuation', at: context.scheduler.now(), reason: plan.reason, attempt: used, retried, error });
      if (!sink.closed) run(plan.params);
    };

    // Where a delta that goes on as it came is given (deltaSinkOf), once an event of another type has passed.
    let deltas: EventSink | undefined;
    const attemptSink: EventSink = new RecoverySink(
      sink,
      (event, type) => {
        pending = undefined;
        if (type === 'content_block_delta' && deltas !== undefined && continued.noteDelta(event)) return deltas.next(event, type);
        continued.accept(event, emit, type);
        deltas = deltaSinkOf(sink);
      },
      onError,
      () => sink.complete(),
    );

    const run = (attemptParams: MessageCreateParams): void => {
      const attempt = ++current;
      const stop = stream(attemptParams, attemptSink);
      // A request that failed at once has started the next one already, which is the one to keep.
      if (attempt === current) stopCurrent = stop;
    };
    run(params);

    return () => stopCurrent?.();
  };
}

/** {@link continueOnDropSink} over `SendStream`s. */
export const continueOnDrop: (send: SendStream, context: RecoveryContext) => SendStream = overSendStream(continueOnDropSink);
