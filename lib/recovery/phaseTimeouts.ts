import type { Subscription } from 'rxjs';
import { APITimeoutError } from '../errors';
import { checkTimeoutOption, phasesOf } from '../transport/timeoutOption';
import { isContentType } from './isContentType';
import type { RecoveryContext } from './RecoveryContext';
import type { TimeoutPhase } from './RecoveryOptions';
import type { SendStream } from './SendStream';
import { overSendStream, RecoverySink, type SinkStream, type StopStream } from './SinkStream';

/**
 * A stream's `timeout.firstTokenMs` and `timeout.totalMs`, over the whole of it: the outermost
 * recovery, so that its clocks run from the subscription across everything the others do
 * (retries, a hedge, continuations, fallbacks).
 *
 * - `firstTokenMs`: no content event ({@link isContentType}: `content_block_start` or
 *   `content_block_delta`) within that many milliseconds of the subscription.
 * - `totalMs`: the stream not finished within that many milliseconds of the subscription.
 *
 * Either fails the stream with `APITimeoutError` naming its phase, aborts whatever is in flight
 * (stopping `stream`), and is reported (`kind: 'timeout'`) to `onRecovery` and the
 * request's span. The clocks run on the context's scheduler and stop with the stream. The
 * timeout given is checked first: an invalid one throws `InvalidArgumentError` (the caller runs
 * this at subscribe). With neither phase (a plain number, or only `idleMs`, which each HTTP
 * attempt watches in the transport), `stream` itself.
 *
 * ## Example
 * ```ts
 * const send: SendStream = (params) => client.messages.stream(params);
 * const timed = phaseTimeouts(send, { options: { timeout: { firstTokenMs: 5_000 } }, scheduler: asyncScheduler, report: console.warn });
 * timed(params).subscribe({ error: (error) => console.error(error.message) }); // Request timed out: no content within firstTokenMs 5000 ms.
 * ```
 *
 * @param stream Sends the stream (with the other recoveries inside).
 * @param context The options in force, the scheduler and where to report.
 * @return `stream` with the two clocks around each start.
 * @see hedge
 */
export function phaseTimeoutsSink(stream: SinkStream, context: RecoveryContext): SinkStream {
  checkTimeoutOption(context.options.timeout);
  const phases = phasesOf(context.options.timeout);
  const firstTokenMs = phases?.firstTokenMs;
  const totalMs = phases?.totalMs;
  if (firstTokenMs === undefined && totalMs === undefined) return stream;
  const { scheduler } = context;
  return (params, sink) => {
    let stopInner: StopStream | undefined;
    let firstToken: Subscription | undefined;
    let total: Subscription | undefined;
    let over = false;
    const stop = (): void => {
      over = true;
      firstToken?.unsubscribe();
      firstToken = undefined;
      total?.unsubscribe();
      stopInner?.();
    };
    const fire = (phase: TimeoutPhase, ms: number): void => {
      const error = new APITimeoutError(ms, phase);
      stop();
      context.report({ kind: 'timeout', at: scheduler.now(), reason: error.message, phase, ms });
      sink.error(error);
    };
    // Scheduled before the request starts: at the same instant, these fire before anything inside.
    firstToken = firstTokenMs === undefined ? undefined : scheduler.schedule(() => fire('firstToken', firstTokenMs), firstTokenMs);
    total = totalMs === undefined ? undefined : scheduler.schedule(() => fire('total', totalMs), totalMs);
    stopInner = stream(params, new RecoverySink(
      sink,
      (event, type) => {
        if (firstToken !== undefined && isContentType(type)) {
          firstToken.unsubscribe();
          firstToken = undefined;
        }
        sink.next(event, type);
      },
      (error: unknown) => {
        if (over) return;
        stop();
        sink.error(error);
      },
      () => {
        if (over) return;
        stop();
        sink.complete();
      },
      // Once the first token came, an event only goes on.
      () => firstToken === undefined && !over,
    ));
    if (over) stopInner();
    return stop;
  };
}

/** {@link phaseTimeoutsSink} over `SendStream`s. */
export const phaseTimeouts: (send: SendStream, context: RecoveryContext) => SendStream = overSendStream(phaseTimeoutsSink);
