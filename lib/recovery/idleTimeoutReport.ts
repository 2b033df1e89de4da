import { APITimeoutError } from '../errors';
import { phasesOf } from '../transport/timeoutOption';
import type { RecoveryContext } from './RecoveryContext';

/**
 * What reports each `timeout.idleMs` that ends a request of a stream (`kind: 'timeout'`, phase
 * `'idle'`) to `onRecovery` and the request's span, shown each error of a request. The innermost
 * recovery: the idle wait is watched by each HTTP attempt in the transport, and its error is seen
 * here as it leaves the request, before `continueOnDrop`, a hedge or a fallback may recover from it, so that it is
 * reported even then. An idle timeout that the transport retries (before the first byte of the
 * body, within `maxRetries`) is a retry, recorded on the span as every retry is, not a recovery.
 * Without `idleMs`, `undefined`: nothing to report.
 *
 * ## Example
 * ```ts
 * const send: SendStream = (params) => client.messages.stream(params, { timeout: { idleMs: 30_000 } });
 * const report = idleTimeoutReport({ options: { timeout: { idleMs: 30_000 } }, scheduler: asyncScheduler, report: console.warn });
 * const stream = sinkStreamOf(send, report);
 * ```
 *
 * @param context The options in force, the scheduler and where to report.
 * @return What to call with each error of a request, before it goes on.
 * @see phaseTimeouts
 */
export function idleTimeoutReport(context: RecoveryContext): ((error: unknown) => void) | undefined {
  if (phasesOf(context.options.timeout)?.idleMs === undefined) return undefined;
  return (error) => {
    if (!(error instanceof APITimeoutError) || error.phase !== 'idle') return;
    context.report({ kind: 'timeout', at: context.scheduler.now(), reason: error.message, phase: 'idle', ms: error.timeout });
  };
}
