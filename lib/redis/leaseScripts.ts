import type { Redis } from 'ioredis';
import { EXPIRE_WITH_LATEST, NOW, TAKE_LEASE } from './luaLeases';

/**
 * The Lua scripts behind {@link redisLimitStore}'s concurrency slots. A key's slots are one sorted
 * set: each member a lease id, its score the lease's expiry in ms. Every script reads the time
 * from Redis (`TIME`), never from the relay, so that every instance judges expiry by one clock;
 * and each runs whole in Redis, so that two relays asking at once never both get the last slot.
 *
 * After a write, the set's key expires (`PEXPIRE`) with its latest lease: a key nobody uses
 * vanishes by itself.
 */

/** KEYS[1] the set; ARGV[1] the limit, ARGV[2] leaseMs, ARGV[3] the new lease's id: {@link TAKE_LEASE}. */
const ACQUIRE = TAKE_LEASE;

/**
 * KEYS[1] the set; ARGV[1] leaseMs, ARGV[2] the lease's id.
 * Extends a lease still held to leaseMs from now: 1. A lease gone, or expired but not yet dropped
 * (then it is dropped), is not brought back: 0.
 */
const RENEW = `${NOW}
local expiresAt = redis.call('ZSCORE', KEYS[1], ARGV[2])
if not expiresAt then return 0 end
if tonumber(expiresAt) <= now then
  redis.call('ZREM', KEYS[1], ARGV[2])
  return 0
end
redis.call('ZADD', KEYS[1], 'XX', now + tonumber(ARGV[1]), ARGV[2])
${EXPIRE_WITH_LATEST}
return 1`;

/** The commands the scripts become on an ioredis client (`defineCommand`: EVALSHA, and EVAL when Redis no longer has the script, after a restart say). */
export interface LeaseCommands {
  rxAnthropicAcquireSlot(key: string, limit: number, leaseMs: number, lease: string): Promise<[0, number] | [1]>;
  rxAnthropicRenewSlot(key: string, leaseMs: number, lease: string): Promise<0 | 1>;
}

/** Defines the lease scripts on `redis` (defining them again, for a second store on the same client, changes nothing). */
export function defineLeaseCommands(redis: Redis): Redis & LeaseCommands {
  redis.defineCommand('rxAnthropicAcquireSlot', { numberOfKeys: 1, lua: ACQUIRE });
  redis.defineCommand('rxAnthropicRenewSlot', { numberOfKeys: 1, lua: RENEW });
  return redis as Redis & LeaseCommands;
}
