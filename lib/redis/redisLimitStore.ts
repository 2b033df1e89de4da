import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { RateLimiterRedis } from 'rate-limiter-flexible';
import { InvalidArgumentError } from '../errors';
import type { AdmissionRequest, AdmissionVerdict, ProxyLimitStore, SlotGrant } from '../proxy/types';
import { SLOT_RETRY_AFTER_MS, windowLimits } from '../proxy/windowLimits';
import { defineAdmitCommand } from './admitScript';
import { defineLeaseCommands } from './leaseScripts';


/**
 * Options of {@link redisLimitStore}.
 *
 * ## Example
 * ```ts
 * const options: RedisLimitStoreOptions = { prefix: 'chat-relay:limits:', leaseMs: 30_000 };
 * ```
 */
export interface RedisLimitStoreOptions {
  /** What every key of the store starts with: relays that count together share it. Default `'rx-anthropic:limits:'`. */
  prefix?: string;
  /** How long a concurrency slot is held without renewal: a relay that dies frees its slots after this long. Default 30 s. */
  leaseMs?: number;
}

/**
 * A {@link ProxyLimitStore} in Redis: every relay instance given the same Redis (and `prefix`)
 * counts the same slots, windows and budgets.
 *
 * Rate windows and token budgets are fixed windows of `rate-limiter-flexible`'s
 * `RateLimiterRedis`, as `memoryLimitStore` keeps them with `RateLimiterMemory`; Redis expires
 * them in whole seconds, so a window is its length rounded up to a second. Concurrency slots are
 * leases in a sorted set per key, taken, renewed and dropped by small Lua scripts timed by
 * Redis's own clock; a relay that dies stops renewing, and its slots free `leaseMs` later.
 *
 * Nothing falls back to memory: when Redis fails, every method rejects with its error, and the
 * relay refuses the request (503 `overloaded_error`) rather than letting it through unlimited.
 * The client's options decide how soon that is: give it `maxRetriesPerRequest` (and, for a Redis
 * that hangs, `commandTimeout`) low enough that a request is not held for long. ioredis
 * reconnects by itself; once Redis answers again, requests are admitted again.
 *
 * ## Example
 * ```ts
 * import { Redis } from 'ioredis';
 * import { createProxyHandler } from 'rx-anthropic/proxy';
 * import { redisLimitStore } from 'rx-anthropic/redis';
 *
 * const redis = new Redis(process.env.REDIS_URL!, { maxRetriesPerRequest: 1, commandTimeout: 1_000 });
 * createProxyHandler({
 *   client,
 *   authorize,
 *   perUser: { maxConcurrentRequests: 2, requestsPerMinute: 30 },
 *   limitStore: redisLimitStore(redis, { prefix: 'chat-relay:limits:' }),
 * });
 * ```
 *
 * @param redis An ioredis client (the store defines its scripts on it, and never closes it).
 * @param options `prefix` of every key, `leaseMs` of a slot.
 * @return The store.
 * @see ProxyLimitStore
 */
export function redisLimitStore(redis: Redis, options: RedisLimitStoreOptions = {}): ProxyLimitStore {
  const prefix = options.prefix ?? 'rx-anthropic:limits:';
  const leaseMs = options.leaseMs ?? 30_000;
  if (typeof redis?.defineCommand !== 'function') throw new InvalidArgumentError('redis', 'redisLimitStore: redis must be an ioredis client (`new Redis(url)`).');
  if (typeof prefix !== 'string') throw new InvalidArgumentError('prefix', `redisLimitStore: prefix must be a string, got ${typeof prefix}.`);
  if (!(typeof leaseMs === 'number' && Number.isFinite(leaseMs) && leaseMs > 0)) {
    throw new InvalidArgumentError('leaseMs', `redisLimitStore: leaseMs must be a positive number of ms, got ${String(leaseMs)}.`);
  }

  const leases = defineLeaseCommands(redis);
  const admission = defineAdmitCommand(redis);
  const slotsKey = (key: string): string => `${prefix}slots:${key}`;
  const limiters = new Map<string, RateLimiterRedis>();
  const seconds = (windowMs: number): number => Math.max(1, Math.ceil(windowMs / 1000));
  const limiter = (kind: 'rate' | 'budget', points: number, windowMs: number): RateLimiterRedis => {
    const id = `${kind}:${points}:${seconds(windowMs)}s`;
    let found = limiters.get(id);
    if (!found) {
      // No insuranceLimiter: a Redis that fails must refuse, not fall back to counting per process.
      found = new RateLimiterRedis({ storeClient: redis, useRedisPackage: false, points, duration: seconds(windowMs), keyPrefix: `${prefix}${id}` });
      limiters.set(id, found);
    }
    return found;
  };

  return {
    leaseMs,
    async acquireSlot(key: string, limit: number): Promise<SlotGrant> {
      const lease = randomUUID();
      const answer = await leases.rxAnthropicAcquireSlot(slotsKey(key), limit, leaseMs, lease);
      // The earliest lease's expiry is only the latest a slot frees: a stream that ends gives its slot back at once.
      return answer[0] === 1 ? { granted: true, lease } : { granted: false, retryAfterMs: Math.min(answer[1], SLOT_RETRY_AFTER_MS) };
    },
    async renewSlot(key: string, lease: string): Promise<boolean> {
      return (await leases.rxAnthropicRenewSlot(slotsKey(key), leaseMs, lease)) === 1;
    },
    async releaseSlot(key: string, lease: string): Promise<void> {
      // One command is atomic already; removing a lease that is gone does nothing.
      await redis.zrem(slotsKey(key), lease);
    },
    ...windowLimits(limiter),
    async admit({ slot, budget, window }: AdmissionRequest): Promise<AdmissionVerdict> {
      const lease = slot ? randomUUID() : '';
      // The counters are the limiters' own keys: their penalty (spending) and reward (a window given back) count on them.
      const answer = await admission.rxAnthropicAdmit(
        slot ? slotsKey(slot.key) : slotsKey(''),
        budget ? limiter('budget', 1, budget.windowMs).getKey(budget.key) : `${prefix}none`,
        window ? limiter('rate', window.limit, window.windowMs).getKey(window.key) : `${prefix}none`,
        slot?.limit ?? 0,
        leaseMs,
        lease,
        budget?.limit ?? 0,
        window?.limit ?? 0,
        window ? seconds(window.windowMs) : 0,
      );
      if (answer[0] === 0) return { granted: true, lease: slot ? lease : undefined };
      const refusedBy = answer[0] === 1 ? 'slot' : answer[0] === 2 ? 'budget' : 'window';
      return { granted: false, refusedBy, retryAfterMs: refusedBy === 'slot' ? Math.min(answer[1], SLOT_RETRY_AFTER_MS) : answer[1] };
    },
  };
}
