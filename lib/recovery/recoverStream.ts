import type { Observable } from 'rxjs';
import type { MessageCreateParams, RawMessageStreamEvent } from '../schema';
import type { RecoveryContext } from './RecoveryContext';
import type { SendStream } from './SendStream';
import { continueOnDrop } from './continueOnDrop';

/**
 * One streamed request with the recoveries its options ask for, each wrapping the next: the
 * consumer sees one stream of the API's events. With none asked for, `send(params)` itself.
 */
export function recoverStream(send: SendStream, params: MessageCreateParams, context: RecoveryContext): Observable<RawMessageStreamEvent> {
  const recovered: SendStream = continueOnDrop(send, context);
  return recovered(params);
}
