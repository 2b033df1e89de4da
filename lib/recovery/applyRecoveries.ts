import type { RecoveryContext } from './RecoveryContext';
import type { SendStream } from './SendStream';
import { fallback } from './fallback';
import { hedge } from './hedge';
import { phaseTimeouts } from './phaseTimeouts';
import { reportIdleTimeouts } from './reportIdleTimeouts';
import { continueOnDrop } from './continueOnDrop';

/**
 * The recoveries a request's options ask for, each wrapping the next, innermost first:
 * continueOnDrop, hedge, fallback, with the idle timeouts' report inside all and the phase
 * timeouts' clocks outside all. An option left out adds no wrapper.
 *
 * ## Example
 * ```ts
 * const recovered: SendStream = applyRecoveries(send, context);
 * recovered(params).pipe(textDeltas()).subscribe(write);
 * ```
 */
export function applyRecoveries(send: SendStream, context: RecoveryContext): SendStream {
  // Innermost first: fallback(hedge(continueOnDrop(send))), with the timeouts' report inside all and their clocks outside all.
  let recovered: SendStream = reportIdleTimeouts(send, context);
  recovered = continueOnDrop(recovered, context);
  recovered = hedge(recovered, context);
  recovered = fallback(recovered, context);
  return phaseTimeouts(recovered, context);
}
