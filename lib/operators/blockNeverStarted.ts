import { StreamDecodeError } from '../errors';
import type { RawContentBlockDeltaEvent } from '../schema';

/**
 * The error of a delta for a content block that was never started, as the operators that keep
 * only per-block state (`textDeltas()`, `textSnapshots()`, the structured-output operators) report it.
 */
export function blockNeverStarted(event: RawContentBlockDeltaEvent): StreamDecodeError {
  return new StreamDecodeError(`content block ${event.index} was never started`, {
    eventType: event.type,
    path: 'index',
    data: JSON.stringify(event),
  });
}
