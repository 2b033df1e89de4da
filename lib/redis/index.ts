/**
 * `rx-anthropic/redis`: the relay's limits, the client's limiter and resumable streams shared by
 * every process, on Redis (through `ioredis`, an optional peer dependency that only this entry
 * imports).
 *
 * @module
 */
export { redisLimitStore, type RedisLimitStoreOptions } from './redisLimitStore';
export { redisRequestLimiter, type RedisRequestLimiterOptions } from './redisRequestLimiter';
export { redisStreamStore, type RedisStreamStoreOptions } from './redisStreamStore';
