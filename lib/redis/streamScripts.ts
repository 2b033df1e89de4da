import type { Redis } from 'ioredis';
import { NOW } from './luaLeases';

/**
 * The Lua scripts behind {@link redisStreamStore}. A stream is two keys in one hash slot: a hash
 * (`owner`, `lease` (ms, Redis's clock), `next` (the number of the next event), `bytes`, and
 * `ended`, `stop` once set) and a Redis Stream of its frames, one entry per upstream chunk with
 * the explicit id `<first event's number>-0` and the fields `n` (its events) and either `d` (the
 * frames, each with its `id:` line) or `r` (the events as the upstream sent them, numbered when
 * read); the entry that ends the stream has `e` (and `n` 0, or 1 with the error frame of a
 * holder gone). Each script runs whole in Redis: nothing is appended after the end, and a
 * holder's append and a reader's "holder gone" cannot both land.
 */


/** KEYS the hash and the stream; ARGV[1] owner, ARGV[2] leaseMs, ARGV[3] keepMs (lease and ttl). */
const CREATE = `${NOW}
redis.call('DEL', KEYS[1], KEYS[2])
redis.call('HSET', KEYS[1], 'owner', ARGV[1], 'lease', now + tonumber(ARGV[2]), 'next', 1, 'bytes', 0)
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return 1`;

/**
 * KEYS the hash and the stream; ARGV[1] first, ARGV[2] count, ARGV[3] frames, ARGV[4]
 * maxStreamBytes, ARGV[5] keepMs, ARGV[6] the field they go in (`d` numbered, `r` not). 1 when
 * appended; 0 when the stream is gone, ended, or out of step; a stream that would grow past
 * maxStreamBytes is deleted (0).
 */
const APPEND = `local state = redis.call('HMGET', KEYS[1], 'owner', 'ended', 'next', 'bytes')
if not state[1] or state[2] or tonumber(state[3]) ~= tonumber(ARGV[1]) then return 0 end
local bytes = tonumber(state[4]) + string.len(ARGV[3])
if bytes > tonumber(ARGV[4]) then
  redis.call('DEL', KEYS[1], KEYS[2])
  return 0
end
redis.call('XADD', KEYS[2], ARGV[1] .. '-0', 'n', ARGV[2], ARGV[6], ARGV[3])
redis.call('HSET', KEYS[1], 'next', tonumber(ARGV[1]) + tonumber(ARGV[2]), 'bytes', bytes)
redis.call('PEXPIRE', KEYS[2], ARGV[5])
return 1`;

/** KEYS the hash and the stream; ARGV[1] ttlMs. Ends a stream not ended: 1; else 0. */
const END = `local state = redis.call('HMGET', KEYS[1], 'owner', 'ended', 'next')
if not state[1] or state[2] then return 0 end
redis.call('XADD', KEYS[2], state[3] .. '-0', 'n', 0, 'e', 1)
redis.call('HSET', KEYS[1], 'ended', 1)
redis.call('PEXPIRE', KEYS[1], ARGV[1])
redis.call('PEXPIRE', KEYS[2], ARGV[1])
return 1`;

/** KEYS the hash and the stream; ARGV[1] leaseMs, ARGV[2] keepMs. 1 when the lease is extended; 0 when the stream is gone, ended, or asked to stop. */
const RENEW = `local state = redis.call('HMGET', KEYS[1], 'owner', 'ended', 'stop')
if not state[1] or state[2] or state[3] then return 0 end
${NOW}
redis.call('HSET', KEYS[1], 'lease', now + tonumber(ARGV[1]))
redis.call('PEXPIRE', KEYS[1], ARGV[2])
redis.call('PEXPIRE', KEYS[2], ARGV[2])
return 1`;

/**
 * KEYS the hash and the stream; ARGV[1] the error frame without its `id:` line, ARGV[2] ttlMs.
 * 0: the stream is gone; 1: it has ended; 2: its lease holds; 3: its lease had expired, and the
 * error frame (numbered `next`) and the end were appended now.
 */
const END_IF_HOLDER_GONE = `local state = redis.call('HMGET', KEYS[1], 'owner', 'ended', 'next', 'lease')
if not state[1] then return 0 end
if state[2] then return 1 end
${NOW}
if tonumber(state[4]) > now then return 2 end
redis.call('XADD', KEYS[2], state[3] .. '-0', 'n', 1, 'd', 'id: ' .. state[3] .. '\\n' .. ARGV[1], 'e', 1)
redis.call('HSET', KEYS[1], 'ended', 1, 'next', tonumber(state[3]) + 1)
redis.call('PEXPIRE', KEYS[1], ARGV[2])
redis.call('PEXPIRE', KEYS[2], ARGV[2])
return 3`;

/** KEYS the hash; ARGV[1] owner, ARGV[2] the stop channel, ARGV[3] the stream's id. 1 when `owner`'s stream was asked to stop; 0 when there is none. */
const REQUEST_STOP = `if redis.call('HGET', KEYS[1], 'owner') ~= ARGV[1] then return 0 end
if not redis.call('HGET', KEYS[1], 'ended') then
  redis.call('HSET', KEYS[1], 'stop', 1)
  redis.call('PUBLISH', ARGV[2], ARGV[3])
end
return 1`;

/** The field of an entry that holds its bytes: `d`, frames with their `id:` lines; `r`, the upstream's events without them. */
export type EntryField = 'd' | 'r';

/** The commands the scripts become on an ioredis client (`defineCommand`: EVALSHA, and EVAL when Redis no longer has the script). */
export interface StreamCommands {
  rxAnthropicStreamCreate(hash: string, events: string, owner: string, leaseMs: number, keepMs: number): Promise<number>;
  rxAnthropicStreamAppend(hash: string, events: string, first: number, count: number, frames: Uint8Array, maxStreamBytes: number, keepMs: number, field: EntryField): Promise<number>;
  rxAnthropicStreamEnd(hash: string, events: string, ttlMs: number): Promise<number>;
  rxAnthropicStreamRenew(hash: string, events: string, leaseMs: number, keepMs: number): Promise<number>;
  rxAnthropicStreamEndIfHolderGone(hash: string, events: string, frameBody: string, ttlMs: number): Promise<number>;
  rxAnthropicStreamRequestStop(hash: string, owner: string, channel: string, id: string): Promise<number>;
}

/** Defines the stream scripts on `redis` (defining them again, for a second store on the same client, changes nothing). */
export function defineStreamCommands(redis: Redis): Redis & StreamCommands {
  redis.defineCommand('rxAnthropicStreamCreate', { numberOfKeys: 2, lua: CREATE });
  redis.defineCommand('rxAnthropicStreamAppend', { numberOfKeys: 2, lua: APPEND });
  redis.defineCommand('rxAnthropicStreamEnd', { numberOfKeys: 2, lua: END });
  redis.defineCommand('rxAnthropicStreamRenew', { numberOfKeys: 2, lua: RENEW });
  redis.defineCommand('rxAnthropicStreamEndIfHolderGone', { numberOfKeys: 2, lua: END_IF_HOLDER_GONE });
  redis.defineCommand('rxAnthropicStreamRequestStop', { numberOfKeys: 1, lua: REQUEST_STOP });
  return redis as Redis & StreamCommands;
}
