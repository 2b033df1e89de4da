/**
 * `rx-anthropic/redis`: the relay's limits, the client's limiter and resumable streams shared by
 * every process, on Redis (through `ioredis`, an optional peer dependency that only this entry
 * imports).
 *
 * @module
 */
export {};
