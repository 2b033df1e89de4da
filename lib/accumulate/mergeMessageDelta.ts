/**
 * Applies a `message_delta` to a message snapshot, returning a new message.
 *
 * `stop_reason` and `stop_sequence` overwrite; every other delta field (`stop_details`,
 * `container`, …) is copied when present, except that a null `container` or
 * `context_management` does not erase an earlier value (the TS SDK's rule). Usage fields
 * overwrite only when non-null, so fields that only `message_start` sends survive.
 */
export function mergeMessageDelta<M extends object>(message: M, event: Readonly<Record<string, unknown>>): M {
  const next: Record<string, unknown> = { ...(message as Record<string, unknown>) };
  const delta = (event['delta'] ?? {}) as Record<string, unknown>;
  for (const [key, value] of Object.entries(delta)) {
    if (value === null && KEEP_WHEN_NULL.has(key) && next[key] !== undefined) continue;
    next[key] = value;
  }
  const contextManagement = event['context_management'];
  if (contextManagement !== undefined && (contextManagement !== null || next['context_management'] === undefined)) {
    next['context_management'] = contextManagement;
  }
  const eventUsage = event['usage'];
  if (eventUsage && typeof eventUsage === 'object') {
    const usage: Record<string, unknown> = { ...(next['usage'] as object | undefined) };
    for (const [key, value] of Object.entries(eventUsage)) {
      if (value !== null && value !== undefined) usage[key] = value;
    }
    next['usage'] = usage;
  }
  return next as M;
}

const KEEP_WHEN_NULL = new Set(['container', 'context_management']);
