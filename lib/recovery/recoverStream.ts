import type { Observable } from 'rxjs';
import { lazyModule, whenLoaded } from '../client/whenLoaded';
import type { MessageCreateParams, RawMessageStreamEvent } from '../schema';
import type { RecoveryContext } from './RecoveryContext';
import type { RecoveryOptions } from './RecoveryOptions';
import type { SendStream } from './SendStream';

// The recoveries load at the first request that asks for one (see whenLoaded): an app that
// uses none does not carry them.
const recoveries = lazyModule(() => import('./applyRecoveries'));

/**
 * Whether the options ask for any recovery (a value that is not valid asks too: its check refuses
 * it at subscribe).
 *
 * ## Example
 * ```ts
 * asksForRecovery({ continueOnDrop: 2 }); // true
 * asksForRecovery({ timeout: 30_000 }); // false: the plain number is each request's own
 * ```
 *
 * @param options The options in force (a request's over its client's: `recoveryContext`).
 * @return Whether `recoverStream` has anything to do for them.
 */
export function asksForRecovery(options: RecoveryOptions): boolean {
  return (
    (options.continueOnDrop !== undefined && options.continueOnDrop !== 0) ||
    options.fallback !== undefined ||
    options.hedge !== undefined ||
    (options.timeout !== undefined && typeof options.timeout !== 'number')
  );
}

/**
 * One streamed request with the recoveries its options ask for (applyRecoveries): the consumer
 * sees one stream of the API's events. With none asked for, `send(params)` itself.
 */
export function recoverStream(send: SendStream, params: MessageCreateParams, context: RecoveryContext): Observable<RawMessageStreamEvent> {
  if (!asksForRecovery(context.options)) return send(params);
  return whenLoaded(recoveries, ({ applyRecoveries }) => applyRecoveries(send, context)(params));
}
