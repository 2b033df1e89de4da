import type { Observable } from 'rxjs';
import type { MessageCreateParams, RawMessageStreamEvent } from '../schema';
import type { RecoveryContext } from './RecoveryContext';
import type { SendStream } from './SendStream';
import { fallback } from './fallback';
import { hedge } from './hedge';
import { phaseTimeouts } from './phaseTimeouts';
import { reportIdleTimeouts } from './reportIdleTimeouts';
import { continueOnDrop } from './continueOnDrop';

/**
 * One streamed request with the recoveries its options ask for, each wrapping the next: the
 * consumer sees one stream of the API's events. With none asked for, `send(params)` itself.
 */
export function recoverStream(send: SendStream, params: MessageCreateParams, context: RecoveryContext): Observable<RawMessageStreamEvent> {
  // Innermost first: fallback(hedge(continueOnDrop(send))), with the timeouts' report inside all and their clocks outside all.
  let recovered: SendStream = reportIdleTimeouts(send, context);
  recovered = continueOnDrop(recovered, context);
  recovered = hedge(recovered, context);
  recovered = fallback(recovered, context);
  recovered = phaseTimeouts(recovered, context);
  return recovered(params);
}
