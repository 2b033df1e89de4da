import { randomUUID } from 'node:crypto';
import { RateLimiterMemory } from 'rate-limiter-flexible';
import { InvalidArgumentError } from '../errors';
import type { ProxyLimitStore, SlotGrant } from './types';
import { SLOT_RETRY_AFTER_MS, windowLimits } from './windowLimits';

/**
 * Options of {@link memoryLimitStore}.
 *
 * ## Example
 * ```ts
 * const options: MemoryLimitStoreOptions = { leaseMs: 30_000 };
 * ```
 */
export interface MemoryLimitStoreOptions {
  /** How long a concurrency slot is held without renewal. Default 30 s. */
  leaseMs?: number;
}

/**
 * A {@link ProxyLimitStore} in this process's memory: the default of `createProxyHandler`.
 *
 * Rate windows and token budgets are fixed windows of `rate-limiter-flexible`'s
 * `RateLimiterMemory` (one limiter per limit and window length). Concurrency slots are leases
 * kept here: that library counts within a window but has no lease to renew or give back. All of
 * it is per process: relays behind a load balancer each count their own, so give them a shared
 * store.
 *
 * ## Example
 * ```ts
 * import { createProxyHandler, memoryLimitStore } from 'rx-anthropic/proxy';
 *
 * createProxyHandler({ client, authorize, perUser: { maxConcurrentRequests: 2, requestsPerMinute: 30 }, limitStore: memoryLimitStore() });
 * ```
 *
 * @param options `leaseMs`: how long a slot outlives its last renewal.
 * @return The store.
 * @see ProxyLimitStore
 */
export function memoryLimitStore(options: MemoryLimitStoreOptions = {}): ProxyLimitStore {
  const leaseMs = options.leaseMs ?? 30_000;
  if (!(Number.isFinite(leaseMs) && leaseMs > 0)) throw new InvalidArgumentError('leaseMs', `memoryLimitStore: leaseMs must be a positive number of ms, got ${String(leaseMs)}.`);

  /** Per key, each lease and when it expires. */
  const slots = new Map<string, Map<string, number>>();
  const limiters = new Map<string, RateLimiterMemory>();
  const limiter = (kind: 'rate' | 'budget', points: number, windowMs: number): RateLimiterMemory => {
    const id = `${kind}/${points}/${windowMs}`;
    let found = limiters.get(id);
    if (!found) limiters.set(id, (found = new RateLimiterMemory({ points, duration: windowMs / 1000, keyPrefix: id })));
    return found;
  };
  const heldSlots = (key: string): Map<string, number> => {
    const held = slots.get(key) ?? new Map<string, number>();
    const now = Date.now();
    for (const [lease, expiresAt] of held) if (expiresAt <= now) held.delete(lease);
    return held;
  };

  return {
    leaseMs,
    acquireSlot(key: string, limit: number): Promise<SlotGrant> {
      const held = heldSlots(key);
      if (held.size >= limit) return Promise.resolve({ granted: false, retryAfterMs: SLOT_RETRY_AFTER_MS });
      const lease = randomUUID();
      held.set(lease, Date.now() + leaseMs);
      slots.set(key, held);
      return Promise.resolve({ granted: true, lease });
    },
    renewSlot(key: string, lease: string): Promise<boolean> {
      const held = heldSlots(key);
      if (!held.has(lease)) return Promise.resolve(false);
      held.set(lease, Date.now() + leaseMs);
      return Promise.resolve(true);
    },
    releaseSlot(key: string, lease: string): Promise<void> {
      const held = slots.get(key);
      held?.delete(lease);
      if (held?.size === 0) slots.delete(key);
      return Promise.resolve();
    },
    ...windowLimits(limiter),
  };
}
