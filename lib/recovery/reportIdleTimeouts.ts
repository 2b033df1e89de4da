import { tap } from 'rxjs';
import { APITimeoutError } from '../errors';
import { phasesOf } from '../transport/timeoutOption';
import type { RecoveryContext } from './RecoveryContext';
import type { SendStream } from './SendStream';

/**
 * Reports each `timeout.idleMs` that ends a request of a stream (`kind: 'timeout'`, phase
 * `'idle'`) to `onRecovery` and the request's span. The innermost recovery: the idle wait is
 * watched by each HTTP attempt in the transport, and its error is seen here as it leaves the
 * request, before `continueOnDrop`, a hedge or a fallback may recover from it, so that it is
 * reported even then. An idle timeout that the transport retries (before the first byte of the
 * body, within `maxRetries`) is a retry, recorded on the span as every retry is, not a recovery.
 * Without `idleMs`, `send` itself.
 *
 * ## Example
 * ```ts
 * const send: SendStream = (params) => client.messages.stream(params, { timeout: { idleMs: 30_000 } });
 * const reported = reportIdleTimeouts(send, { options: { timeout: { idleMs: 30_000 } }, scheduler: asyncScheduler, report: console.warn });
 * ```
 *
 * @param send Sends one request of the stream.
 * @param context The options in force, the scheduler and where to report.
 * @return `send`, reporting its idle timeouts.
 * @see phaseTimeouts
 */
export function reportIdleTimeouts(send: SendStream, context: RecoveryContext): SendStream {
  if (phasesOf(context.options.timeout)?.idleMs === undefined) return send;
  const onError = (error: unknown): void => {
    if (!(error instanceof APITimeoutError) || error.phase !== 'idle') return;
    context.report({ kind: 'timeout', at: context.scheduler.now(), reason: error.message, phase: 'idle', ms: error.timeout });
  };
  return (params) => send(params).pipe(tap({ error: onError }));
}
