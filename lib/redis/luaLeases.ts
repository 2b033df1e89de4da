/**
 * Lua fragments shared by the scripts of `rx-anthropic/redis`: Redis's clock, and the leases of a
 * sorted set (each member a lease id, its score the lease's expiry in ms by that clock), which
 * both the relay's slots (`leaseScripts.ts`) and the client's shared places (`limiterScripts.ts`)
 * are made of.
 */

/** Redis's clock in ms (`TIME` answers seconds and microseconds), as `now`. */
export const NOW = `local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)`;

/**
 * Lets the set KEYS[1] live as long as its latest lease (at least 1 ms: PEXPIRE 0 would delete it
 * now), so that a set nobody uses vanishes by itself. Needs `now`.
 */
export const EXPIRE_WITH_LATEST = `local latest = redis.call('ZRANGE', KEYS[1], -1, -1, 'WITHSCORES')
if latest[2] then redis.call('PEXPIRE', KEYS[1], math.max(1, math.ceil(tonumber(latest[2]) - now))) end`;

/**
 * Takes a lease of the set KEYS[1]: ARGV[1] the limit, ARGV[2] leaseMs, ARGV[3] the new lease's id.
 * Drops the expired leases, then grants a lease if fewer than the limit are held: `{1}`; else
 * `{0, ms until the earliest lease expires}` (at least 1, as every lease left expires after now).
 */
export const TAKE_LEASE = `${NOW}
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[1]) then
  local earliest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
  return {0, math.max(1, math.ceil(tonumber(earliest[2]) - now))}
end
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[3])
${EXPIRE_WITH_LATEST}
return {1}`;
