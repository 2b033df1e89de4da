import type { SchedulerLike } from 'rxjs';
import type { RequestTrace } from '../telemetry/Telemetry';
import type { RecoveryEvent, RecoveryOptions } from './RecoveryOptions';

/**
 * What the recoveries of one request share: the options in force (the request's over the
 * client's), the scheduler their timers run on, and where each recovery is reported.
 */
export interface RecoveryContext {
  readonly options: RecoveryOptions;
  readonly scheduler: SchedulerLike;
  /** Reports a recovery to `onRecovery` and to the request's trace. */
  readonly report: (event: RecoveryEvent) => void;
}

/** The context of one request: the request's options over the client's; `report` tells `onRecovery` and the trace. */
export function recoveryContext(client: RecoveryOptions, request: RecoveryOptions, scheduler: SchedulerLike, trace: RequestTrace | undefined): RecoveryContext {
  const options: RecoveryOptions = {
    continueOnDrop: request.continueOnDrop ?? client.continueOnDrop,
    fallback: request.fallback ?? client.fallback,
    hedge: request.hedge ?? client.hedge,
    onRecovery: request.onRecovery ?? client.onRecovery,
    timeout: request.timeout ?? client.timeout,
  };
  const report = (event: RecoveryEvent): void => {
    trace?.recovery?.(event);
    options.onRecovery?.(event);
  };
  return { options, scheduler, report };
}
