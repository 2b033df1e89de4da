import { freezeValue } from './freezeValue';
import { mergeUsage } from './mergeUsage';

/**
 * Applies a `message_delta` to the accumulator's private, mutable copy of a message's fields,
 * in place.
 *
 * `stop_reason` and `stop_sequence` overwrite; every other delta field (`stop_details`,
 * `container`, …) is copied when present, except that a null `container` or
 * `context_management` does not erase an earlier value (the TS SDK's rule). Usage fields
 * overwrite only when non-null, so fields that only `message_start` sends survive; the usage is
 * a new object, since the old one may have been handed out in a snapshot, and frozen. The values
 * taken from the event are the event's own: the accumulator froze it before.
 *
 * ## Example
 *
 * ```ts
 * const fields = { stop_reason: null, usage: { input_tokens: 10, output_tokens: 1 } };
 * mergeMessageDelta(fields, { type: 'message_delta', delta: { stop_reason: 'end_turn' }, usage: { output_tokens: 42 } });
 * // fields: { stop_reason: 'end_turn', usage: { input_tokens: 10, output_tokens: 42 } }
 * ```
 *
 * @param fields The message's own fields, changed in place.
 * @param event The `message_delta` event.
 */
export function mergeMessageDelta(fields: Record<string, unknown>, event: Readonly<Record<string, unknown>>): void {
  const delta = (event['delta'] ?? {}) as Record<string, unknown>;
  for (const [key, value] of Object.entries(delta)) {
    if (value === null && KEEP_WHEN_NULL.has(key) && fields[key] !== undefined) continue;
    fields[key] = value;
  }
  const contextManagement = event['context_management'];
  if (contextManagement !== undefined && (contextManagement !== null || fields['context_management'] === undefined)) {
    fields['context_management'] = contextManagement;
  }
  const eventUsage = event['usage'];
  if (eventUsage && typeof eventUsage === 'object') {
    fields['usage'] = freezeValue(mergeUsage(fields['usage'] as object | undefined, eventUsage));
  }
}

const KEEP_WHEN_NULL = new Set(['container', 'context_management']);
