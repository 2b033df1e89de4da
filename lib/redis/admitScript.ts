import type { Redis } from 'ioredis';
import { EXPIRE_WITH_LATEST, NOW } from './luaLeases';

/**
 * The Lua script behind {@link redisLimitStore}'s `admit`: a request's concurrency slot, token
 * budget and rate window asked in one command, so that admitting a request costs one round trip
 * and one script in Redis where it cost a script, a `MULTI` of `GET`/`PTTL` and a second script.
 *
 * KEYS[1] the slots' sorted set (see `leaseScripts.ts`), KEYS[2] the budget's counter, KEYS[3] the
 * window's counter; both counters are the keys and the format of `rate-limiter-flexible`'s
 * `RateLimiterRedis` (a number that expires with its window), so that its `penalty` (the budget's
 * spending) and `reward` (a window given back) count on the same keys.
 *
 * ARGV[1] the slot limit (0: no slot asked), ARGV[2] leaseMs, ARGV[3] the new lease's id, ARGV[4]
 * the budget's limit (0: none), ARGV[5] the window's limit (0: none), ARGV[6] the window's length
 * in whole seconds.
 *
 * In order, stopping at the first refusal: the slot (expired leases dropped; full: `{1, ms until
 * the earliest lease expires}`), the budget (spent: `{2, ms until its window ends}`), the window
 * (counted as `RateLimiterRedis` consumes one point: created with its expiry if missing, then
 * incremented; over the limit: `{3, ms until it ends}`, and the point stays counted). Then the
 * lease is added: `{0}`.
 */
const ADMIT = `${NOW}
local slotLimit = tonumber(ARGV[1])
if slotLimit > 0 then
  redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
  if redis.call('ZCARD', KEYS[1]) >= slotLimit then
    local earliest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
    return {1, math.max(1, math.ceil(tonumber(earliest[2]) - now))}
  end
end
local budgetLimit = tonumber(ARGV[4])
if budgetLimit > 0 then
  local spent = redis.call('GET', KEYS[2])
  if spent and tonumber(spent) >= budgetLimit then
    return {2, math.max(1, redis.call('PTTL', KEYS[2]))}
  end
end
local windowLimit = tonumber(ARGV[5])
if windowLimit > 0 then
  redis.call('SET', KEYS[3], 0, 'EX', ARGV[6], 'NX')
  local counted = redis.call('INCRBY', KEYS[3], 1)
  local ttl = redis.call('PTTL', KEYS[3])
  if ttl == -1 then
    redis.call('EXPIRE', KEYS[3], ARGV[6])
    ttl = 1000 * tonumber(ARGV[6])
  end
  if counted > windowLimit then return {3, math.max(1, ttl)} end
end
if slotLimit > 0 then
  redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[3])
  ${EXPIRE_WITH_LATEST}
end
return {0}`;

/** The command the script becomes on an ioredis client (`defineCommand`: EVALSHA, and EVAL when Redis no longer has the script). */
export interface AdmitCommand {
  rxAnthropicAdmit(
    slots: string,
    budget: string,
    window: string,
    slotLimit: number,
    leaseMs: number,
    lease: string,
    budgetLimit: number,
    windowLimit: number,
    windowSeconds: number,
  ): Promise<[0] | [1 | 2 | 3, number]>;
}

/** Defines the admission script on `redis` (defining it again, for a second store on the same client, changes nothing). */
export function defineAdmitCommand(redis: Redis): Redis & AdmitCommand {
  redis.defineCommand('rxAnthropicAdmit', { numberOfKeys: 3, lua: ADMIT });
  return redis as Redis & AdmitCommand;
}
