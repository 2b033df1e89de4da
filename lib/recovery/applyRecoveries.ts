import type { RecoveryContext } from './RecoveryContext';
import type { SendStream } from './SendStream';
import { sendStreamOf, sinkStreamOf } from './SinkStream';
import { fallbackSink } from './fallback';
import { hedgeSink } from './hedge';
import { phaseTimeoutsSink } from './phaseTimeouts';
import { idleTimeoutReport } from './idleTimeoutReport';
import { continueOnDropSink } from './continueOnDrop';

/**
 * The recoveries a request's options ask for, each wrapping the next, innermost first:
 * continueOnDrop, hedge, fallback, with the idle timeouts' report inside all and the phase
 * timeouts' clocks outside all. An option left out adds no wrapper. Between one another they
 * pass events into sinks (`SinkStream`): the stream is one Observable over the request's.
 *
 * ## Example
 * ```ts
 * const recovered: SendStream = applyRecoveries(send, context);
 * recovered(params).pipe(textDeltas()).subscribe(write);
 * ```
 */
export function applyRecoveries(send: SendStream, context: RecoveryContext): SendStream {
  // Innermost first: fallback(hedge(continueOnDrop(send))), with the timeouts' report inside all and their clocks outside all.
  let recovered = sinkStreamOf(send, idleTimeoutReport(context));
  recovered = continueOnDropSink(recovered, context);
  recovered = hedgeSink(recovered, context);
  recovered = fallbackSink(recovered, context);
  return sendStreamOf(phaseTimeoutsSink(recovered, context));
}
