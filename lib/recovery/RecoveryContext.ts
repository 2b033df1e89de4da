import { config, type SchedulerLike } from 'rxjs';
import type { RequestTrace } from '../telemetry/Telemetry';
import type { RecoveryEvent, RecoveryOptions } from './RecoveryOptions';

/**
 * What the recoveries of one request share: the options in force (the request's over the
 * client's), the scheduler their timers run on, and where each recovery is reported.
 */
export interface RecoveryContext {
  readonly options: RecoveryOptions;
  readonly scheduler: SchedulerLike;
  /**
   * Reports a recovery to the request's trace and to `onRecovery`. Never throws: the recoveries
   * call it in the middle of their own work (before sending a continuation, when a timeout fires).
   */
  readonly report: (event: RecoveryEvent) => void;
}

/**
 * Reports an error thrown by a recovery's listener the way RxJS reports one thrown by a
 * subscriber's callback: on a later task, to `config.onUnhandledError` when set (read then, as
 * RxJS does), else thrown there for the runtime's uncaught-error handling (`window.onerror`,
 * `process.on('uncaughtException')`). Written here because RxJS keeps its own
 * (`reportUnhandledError`) internal.
 */
function reportUnhandledError(error: unknown): void {
  setTimeout(() => {
    const { onUnhandledError } = config;
    if (onUnhandledError) {
      onUnhandledError(error);
    } else {
      throw error;
    }
  });
}

/** Runs a call to a listener; what it throws is reported apart, and the recovery goes on as if it had returned. */
function guarded(call: () => void): void {
  try {
    call();
  } catch (error) {
    reportUnhandledError(error);
  }
}

/**
 * The recovery options in force for one request: each of the request's over the client's.
 *
 * ## Example
 * ```ts
 * recoveryOptionsOf({ continueOnDrop: 2 }, { hedge: { afterMs: 1_500 } }); // { continueOnDrop: 2, hedge: { afterMs: 1_500 }, … }
 * ```
 *
 * @param client The client's options.
 * @param request The request's.
 * @return The options in force.
 */
export function recoveryOptionsOf(client: RecoveryOptions, request: RecoveryOptions): RecoveryOptions {
  return {
    continueOnDrop: request.continueOnDrop ?? client.continueOnDrop,
    fallback: request.fallback ?? client.fallback,
    hedge: request.hedge ?? client.hedge,
    onRecovery: request.onRecovery ?? client.onRecovery,
    timeout: request.timeout ?? client.timeout,
  };
}

/**
 * The context of one request: the request's options over the client's ({@link recoveryOptionsOf}); `report` tells the trace
 * and `onRecovery`, each whatever the other does, and never throws.
 */
export function recoveryContext(client: RecoveryOptions, request: RecoveryOptions, scheduler: SchedulerLike, trace: RequestTrace | undefined): RecoveryContext {
  const options = recoveryOptionsOf(client, request);
  const report = (event: RecoveryEvent): void => {
    guarded(() => trace?.recovery?.(event));
    guarded(() => options.onRecovery?.(event));
  };
  return { options, scheduler, report };
}
