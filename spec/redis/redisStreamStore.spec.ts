import type { Redis } from 'ioredis';
import { InvalidArgumentError } from 'rx-anthropic';
import { redisStreamStore } from '../../lib/redis';
import { numberEvents } from '../../lib/proxy/numberEvents';
import { streamStoreContract } from '../proxy/support/streamStoreContract';
import { connectRedis, deleteKeys, describeWithRedis, uniquePrefix } from './support/redisServer';

describeWithRedis('redisStreamStore: the ProxyStreamStore contract, on a real Redis', () => {
  let redis: Redis;
  let prefix: string;
  let streams = 0;
  beforeAll(() => {
    redis = connectRedis();
    prefix = uniquePrefix('streams');
  });
  afterAll(async () => {
    await deleteKeys(redis, prefix);
    await redis.quit();
  });

  streamStoreContract({ make: (options) => redisStreamStore(redis, { prefix, ...options }), newId: () => `strm_redis_${++streams}` });

  it('keeps a stream as a hash and a Redis Stream with an entry per chunk, its id the first event, both expiring', async () => {
    const store = redisStreamStore(redis, { prefix, leaseMs: 1_000, ttlMs: 2_000 });
    await store.create('layout', 'user:u1');
    const chunk = numberEvents(Buffer.from('event: a\ndata: 1\n\nevent: b\ndata: 2\n\n'), 1);
    expect(await store.append('layout', 1, chunk.frames, chunk.count)).toBe(true);
    const next = numberEvents(Buffer.from('event: c\ndata: 3\n\n'), 3);
    expect(await store.append('layout', 3, next.frames, next.count)).toBe(true);
    const entries = await redis.xrange(`${prefix}{layout}:events`, '-', '+');
    expect(entries.map(([id, fields]) => [id, fields.slice(0, 2)])).toEqual([
      ['1-0', ['n', '2']],
      ['3-0', ['n', '1']],
    ]);
    expect(await redis.hmget(`${prefix}{layout}`, 'owner', 'next')).toEqual(['user:u1', '4']);
    for (const key of [`${prefix}{layout}`, `${prefix}{layout}:events`]) {
      const ttl = await redis.pttl(key);
      expect(ttl).toBeGreaterThan(0);
      expect(ttl).toBeLessThanOrEqual(3_000);
    }
    await store.end('layout');
    expect(await redis.pttl(`${prefix}{layout}`)).toBeLessThanOrEqual(2_000);
  });

  it('refuses what is not an ioredis client, and options that are not positive numbers', () => {
    expect(() => redisStreamStore({} as Redis)).toThrow(InvalidArgumentError);
    expect(() => redisStreamStore(redis, { ttlMs: 0 })).toThrow(InvalidArgumentError);
    expect(() => redisStreamStore(redis, { leaseMs: Number.NaN })).toThrow(InvalidArgumentError);
  });
});
