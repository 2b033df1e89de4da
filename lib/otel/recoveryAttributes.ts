import type { Attributes } from '@opentelemetry/api';
import type { RecoveryEvent } from '../recovery/RecoveryOptions';
import { errorType } from './endSpan';

/**
 * The name of the span event that records a recovery of a request (a continuation, a fallback, a
 * hedge started, won or lost, a timeout): the GenAI conventions have none for this, so it is the
 * library's own, with attributes under `rx_anthropic.recovery.*` (see {@link recoveryAttributes}).
 *
 * ## Example
 * ```ts
 * const recoveries = span.events.filter((event) => event.name === RECOVERY_EVENT);
 * ```
 */
export const RECOVERY_EVENT = 'rx_anthropic.recovery';

const PREFIX = 'rx_anthropic.recovery.';

/**
 * The attributes of a recovery's span event: `rx_anthropic.recovery.kind` and `.reason`, then the
 * kind's own fields under the same prefix (`attempt` and `retried` of a continuation, `from` and
 * `to` of a fallback, `outcome` and `model` of a hedge, `phase` and `ms` of a timeout), and
 * `error.type` of the error that caused it, where there is one. No content: a reason names what
 * happened, never the text of the request or of the answer.
 *
 * ## Example
 * ```ts
 * recoveryAttributes({ kind: 'timeout', at: Date.now(), reason: 'Request timed out: nothing received for idleMs 5000 ms.', phase: 'idle', ms: 5000 });
 * // { 'rx_anthropic.recovery.kind': 'timeout', 'rx_anthropic.recovery.reason': '…', 'rx_anthropic.recovery.phase': 'idle', 'rx_anthropic.recovery.ms': 5000 }
 * ```
 *
 * @param event The recovery, as `onRecovery` receives it.
 * @return The span event's attributes.
 */
export function recoveryAttributes(event: RecoveryEvent): Attributes {
  const attributes: Attributes = { [`${PREFIX}kind`]: event.kind, [`${PREFIX}reason`]: event.reason };
  switch (event.kind) {
    case 'continuation':
      attributes[`${PREFIX}attempt`] = event.attempt;
      attributes[`${PREFIX}retried`] = event.retried;
      if (event.error !== undefined) attributes['error.type'] = errorType(event.error);
      break;
    case 'fallback':
      attributes[`${PREFIX}from`] = event.from;
      attributes[`${PREFIX}to`] = event.to;
      if (event.error !== undefined) attributes['error.type'] = errorType(event.error);
      break;
    case 'hedge':
      attributes[`${PREFIX}outcome`] = event.outcome;
      attributes[`${PREFIX}model`] = event.model;
      break;
    case 'timeout':
      attributes[`${PREFIX}phase`] = event.phase;
      attributes[`${PREFIX}ms`] = event.ms;
      attributes['error.type'] = 'client_timeout_error';
      break;
  }
  return attributes;
}
