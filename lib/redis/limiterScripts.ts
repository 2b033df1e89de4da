import type { Redis } from 'ioredis';
import { EXPIRE_WITH_LATEST, NOW, TAKE_LEASE } from './luaLeases';

/**
 * The Lua scripts behind {@link redisRequestLimiter}. A limit's places are one sorted set: each
 * member a lease id, its score the lease's expiry in ms by Redis's clock (`TIME`), so that every
 * process judges expiry by one clock. A pause is one key whose time to live (`PX`) is what is
 * left of it. Each script runs whole in Redis, so two processes asking at once never both get
 * the last place, and a place is never granted while a pause lasts.
 */

/**
 * KEYS[1] the leases, KEYS[2] the pause; ARGV[1] the limit, ARGV[2] leaseMs, ARGV[3] the new lease's id.
 * `{1}` with the lease taken; `{0, ms}` while paused (ms left of the pause) or full (ms until the
 * earliest lease expires, for a holder that died without giving it back).
 */
const ACQUIRE = `local paused = redis.call('PTTL', KEYS[2])
if paused > 0 then return {0, paused} end
${TAKE_LEASE}`;

/**
 * KEYS[1] the leases; ARGV[1] leaseMs, ARGV[2…] the ids of the leases held.
 * Extends each to leaseMs from now. A lease missing is written back: after Redis lost it (a
 * restart, a failover) the requests still running count again, and the others wait for them.
 */
const RENEW = `${NOW}
for i = 2, #ARGV do redis.call('ZADD', KEYS[1], now + tonumber(ARGV[1]), ARGV[i]) end
${EXPIRE_WITH_LATEST}
return #ARGV - 1`;

/** KEYS[1] the leases; ARGV[1] the lease's id, ARGV[2] the channel told when a place frees. */
const RELEASE = `if redis.call('ZREM', KEYS[1], ARGV[1]) == 1 then
  redis.call('PUBLISH', ARGV[2], 'released')
  return 1
end
return 0`;

/** KEYS[1] the pause; ARGV[1] its length in ms. Only ever lengthens a pause: 1 when it did. */
const PAUSE = `if redis.call('PTTL', KEYS[1]) < tonumber(ARGV[1]) then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[1])
  return 1
end
return 0`;

/** The commands the scripts become on an ioredis client (`defineCommand`: EVALSHA, and EVAL when Redis no longer has the script, after a restart say). */
export interface LimiterCommands {
  rxAnthropicLimiterAcquire(leases: string, pause: string, limit: number, leaseMs: number, lease: string): Promise<[0, number] | [1]>;
  rxAnthropicLimiterRenew(leases: string, leaseMs: number, ...ids: string[]): Promise<number>;
  rxAnthropicLimiterRelease(leases: string, lease: string, channel: string): Promise<0 | 1>;
  rxAnthropicLimiterPause(pause: string, ms: number): Promise<0 | 1>;
}

/** Defines the limiter's scripts on `redis` (defining them again, for a second limiter on the same client, changes nothing). */
export function defineLimiterCommands(redis: Redis): Redis & LimiterCommands {
  redis.defineCommand('rxAnthropicLimiterAcquire', { numberOfKeys: 2, lua: ACQUIRE });
  redis.defineCommand('rxAnthropicLimiterRenew', { numberOfKeys: 1, lua: RENEW });
  redis.defineCommand('rxAnthropicLimiterRelease', { numberOfKeys: 1, lua: RELEASE });
  redis.defineCommand('rxAnthropicLimiterPause', { numberOfKeys: 1, lua: PAUSE });
  return redis as Redis & LimiterCommands;
}
