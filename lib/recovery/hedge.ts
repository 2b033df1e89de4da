import type { Subscription } from 'rxjs';
import type { RawMessageStreamEvent } from '../schema';
import { checkHedgeOption } from './checkHedgeOption';
import { isContentType } from './isContentType';
import type { RecoveryContext } from './RecoveryContext';
import type { SendStream } from './SendStream';
import { overSendStream, RecoverySink, type SinkStream, type StopStream } from './SinkStream';

/** One of the requests racing to deliver content first. */
interface Contender {
  readonly model: string;
  readonly startedAt: number;
  /** Its events until it wins (or loses): the consumer sees only the winner's. */
  readonly buffer: RawMessageStreamEvent[];
  /** Stops its request. */
  stop?: StopStream;
  running: boolean;
}

const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/**
 * `hedge: { afterMs, model? }`: when a stream has delivered no content `afterMs` after its
 * request went out, an identical request (or one to `model`) starts beside it, and the first of
 * the two to deliver content wins.
 *
 * Content is the first `content_block_start` or `content_block_delta` ({@link isContentType}),
 * as for `timeout.firstTokenMs`. Each contender's events are held back until one wins; then the
 * winner's go to the consumer (those held first, in order), the other is unsubscribed at once
 * (its HTTP request aborted), and the consumer sees one stream: the winner's `message_start`,
 * blocks and `message_stop`, nothing of the loser. A contender that ends without any content
 * (an empty answer) wins too: its answer is whole.
 *
 * Failures before content: if the original request fails before `afterMs`, the stream fails at
 * once with its error (there is nothing to race yet; retries before the first byte are the
 * transport's, within each request). Once both run, one that fails leaves the other to go on
 * alone; if both fail, the stream fails with the original request's error, whichever failed last
 * (the hedge's model may differ, and the original is the request that was asked for). After a
 * contender has won, its errors are the stream's.
 *
 * Reported to `onRecovery` and the request's span (`kind: 'hedge'`, `model` the contender's):
 * `started` when the second request goes out, then `won` for the winner and `lost` for the other
 * (aborted, or failed before content). A stream that delivers content within `afterMs` reports
 * nothing. Unsubscribing cancels both requests and the timer, which runs on the context's
 * scheduler. An invalid option throws `InvalidArgumentError` (argument `hedge`), at subscribe
 * where the caller runs this. Without `hedge`, `stream` itself.
 *
 * ## Example
 * ```ts
 * const client = createClient({ hedge: { afterMs: 2_000 } });
 * // Or for one request, racing a second one to another model:
 * client.messages.stream(params, { hedge: { afterMs: 1_500, model: 'claude-sonnet-4-6' } }).pipe(textDeltas()).subscribe(write);
 * ```
 *
 * @param stream Sends one request of the stream (with `continueOnDrop` inside, when asked for).
 * @param context The options in force (`hedge`), the scheduler and where to report.
 * @return `stream` hedged.
 * @see phaseTimeouts
 */
export function hedgeSink(stream: SinkStream, context: RecoveryContext): SinkStream {
  checkHedgeOption(context.options.hedge);
  const options = context.options.hedge;
  if (options === undefined) return stream;
  const { scheduler } = context;
  return (params, sink) => {
    const contenders: Contender[] = [];
    let winner: Contender | undefined;
    let originalFailure: { readonly error: unknown } | undefined;
    let timer: Subscription | undefined;

    const stopAll = (): void => {
      timer?.unsubscribe();
      for (const contender of contenders) {
        contender.running = false;
        contender.stop?.();
      }
    };

    const report = (outcome: 'started' | 'won' | 'lost', model: string, reason: string): void =>
      context.report({ kind: 'hedge', at: scheduler.now(), reason, outcome, model });

    const win = (contender: Contender): void => {
      winner = contender;
      timer?.unsubscribe();
      const hedged = contenders.length > 1;
      if (hedged) report('won', contender.model, `first to deliver content, ${scheduler.now() - contender.startedAt} ms after its request went out`);
      for (const other of contenders) {
        if (other === contender || !other.running) continue;
        other.running = false;
        other.stop?.();
        report('lost', other.model, 'the other request delivered content first; this one was aborted');
      }
      for (const event of contender.buffer.splice(0)) sink.next(event, event.type);
    };

    const start = (attemptParams: typeof params, model: string): void => {
      const contender: Contender = { model, startedAt: scheduler.now(), buffer: [], running: true };
      contenders.push(contender);
      const stop = stream(attemptParams, new RecoverySink(
        sink,
        (event, type) => {
          if (winner === contender) {
            sink.next(event, type);
            return;
          }
          contender.buffer.push(event);
          if (isContentType(type)) win(contender);
        },
        (error: unknown) => {
          contender.running = false;
          if (winner === contender) {
            stopAll();
            sink.error(error);
            return;
          }
          if (contender === contenders[0]) originalFailure = { error };
          const hedged = contenders.length > 1;
          if (hedged) report('lost', contender.model, `failed before content: ${messageOf(error)}`);
          if (contenders.some((other) => other.running)) return;
          stopAll();
          sink.error(originalFailure === undefined ? error : originalFailure.error);
        },
        () => {
          contender.running = false;
          if (winner !== contender) win(contender);
          stopAll();
          sink.complete();
        },
        () => winner === contender,
      ));
      contender.stop = stop;
      // A request that ended at once has nothing left to stop.
      if (!contender.running) stop();
    };

    timer = scheduler.schedule(() => {
      if (winner !== undefined || contenders[0]?.running !== true) return;
      const model = options.model ?? params.model;
      report('started', model, `no content ${options.afterMs} ms after the request went out`);
      start(options.model === undefined ? params : { ...params, model }, model);
    }, options.afterMs);
    start(params, params.model);
    return stopAll;
  };
}

/** {@link hedgeSink} over `SendStream`s. */
export const hedge: (send: SendStream, context: RecoveryContext) => SendStream = overSendStream(hedgeSink);
