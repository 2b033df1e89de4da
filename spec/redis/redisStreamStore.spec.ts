import type { Redis } from 'ioredis';
import { lastValueFrom, toArray } from 'rxjs';
import { AnthropicError, InvalidArgumentError } from 'rx-anthropic';
import type { ProxyStreamStore } from 'rx-anthropic/proxy';
import { redisStreamStore } from '../../lib/redis';
import { numberEvents } from '../../lib/proxy/numberEvents';
import { appendingEvents } from '../proxy/support/appendingEvents';
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

  describe("the upstream's events (appendEvents)", () => {
    describe('the ProxyStreamStore contract, every append as the events without their ids', () => {
      streamStoreContract({ make: (options) => appendingEvents(redisStreamStore(redis, { prefix, ...options })), newId: () => `strm_redis_events_${++streams}` });
    });

    const events = [`event: a\ndata: {"text":"é ✓ 🙂"}\n\n`, `event: b\ndata: {"n":2}\n\n`, `\nevent: c\ndata: ${'日本'.repeat(50)}\n\n`];
    const numbered = (from: number): Buffer => numberEvents(Buffer.from(events.slice(from - 1).join('')), from).frames;
    const read = async (store: ProxyStreamStore, id: string, after: number): Promise<Buffer> =>
      Buffer.concat((await lastValueFrom((await store.read(id, 'user:u1', after))!.pipe(toArray()))).map((piece) => Buffer.from(piece)));

    it("keeps each chunk's bytes as they came (field r), and gives them numbered from any event on, beside frames appended with their ids (field d)", async () => {
      const store = redisStreamStore(redis, { prefix });
      await store.create('mixed', 'user:u1');
      expect(await store.appendEvents!('mixed', 1, Buffer.from(events.slice(0, 2).join('')), 2)).toBe(true);
      expect(await store.append('mixed', 3, numbered(3), 1)).toBe(true);
      await store.end('mixed');
      const entries = await redis.xrangeBuffer(`${prefix}{mixed}:events`, '-', '+');
      expect(entries.map(([id, fields]) => [id.toString(), fields[2]!.toString()])).toEqual([
        ['1-0', 'r'],
        ['3-0', 'd'],
        ['4-0', 'e'],
      ]);
      expect(entries[0]![1][3]!.equals(Buffer.from(events.slice(0, 2).join('')))).toBe(true);
      for (const after of [0, 1, 2, 3]) expect((await read(store, 'mixed', after)).toString('utf8')).toBe(numbered(after + 1).toString('utf8'));
    });

    it('gives a reader waiting for live events each chunk numbered as it lands', async () => {
      const store = redisStreamStore(redis, { prefix, leaseMs: 3_000 });
      await store.create('live', 'user:u1');
      const reading = lastValueFrom((await store.read('live', 'user:u1', 0))!.pipe(toArray()));
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(await store.appendEvents!('live', 1, Buffer.from(events[0]!), 1)).toBe(true);
      expect(await store.appendEvents!('live', 2, Buffer.from(events.slice(1).join('')), 2)).toBe(true);
      await store.end('live');
      expect(Buffer.concat((await reading).map((piece) => Buffer.from(piece))).equals(numbered(1))).toBe(true);
    });

    it('counts the bytes it keeps against maxStreamBytes: the events, without the ids added when read', async () => {
      const event = `data: ${'x'.repeat(94)}\n\n`; // 102 bytes; 108 with `id: 1\n`
      const store = redisStreamStore(redis, { prefix, maxStreamBytes: 204 });
      await store.create('bound', 'user:u1');
      expect(await store.appendEvents!('bound', 1, Buffer.from(event + event), 2)).toBe(true);
      expect(await store.appendEvents!('bound', 3, Buffer.from('\n'), 0)).toBe(false);
      expect(await store.read('bound', 'user:u1', 0)).toBeUndefined();
    });

    it('fails a reader, saying which events and why, at an entry whose events are in a field it does not read, rather than skip them', async () => {
      const store = redisStreamStore(redis, { prefix });
      await store.create('unknown', 'user:u1');
      expect(await store.appendEvents!('unknown', 1, Buffer.from(events[0]!), 1)).toBe(true);
      // As an instance that keeps events some other way would write them.
      await redis.xadd(`${prefix}{unknown}:events`, '2-0', 'n', '2', 'z', events.slice(1).join(''));
      await redis.hset(`${prefix}{unknown}`, 'next', 4);
      await store.end('unknown');
      const got: Buffer[] = [];
      const failure = await new Promise<unknown>((resolve) =>
        void store.read('unknown', 'user:u1', 0).then((frames$) => frames$!.subscribe({ next: (piece) => got.push(Buffer.from(piece)), error: resolve, complete: () => resolve(undefined) })),
      );
      expect(Buffer.concat(got).equals(numbered(1).subarray(0, numberEvents(Buffer.from(events[0]!), 1).frames.byteLength))).toBe(true);
      expect(failure).toBeInstanceOf(AnthropicError);
      expect((failure as Error).message).toMatch(/the entry 2-0 of stream unknown holds events 2 to 3 in fields this version does not read \(n, z; it reads d and r\)/);
    });

    it('keeps the bytes of any Uint8Array, not only of a Buffer (ioredis would send the text of its numbers)', async () => {
      const store = redisStreamStore(redis, { prefix });
      await store.create('plain', 'user:u1');
      const bytes = Buffer.from(events.join(''));
      const plain = new Uint8Array(bytes.byteLength + 4).subarray(2, 2 + bytes.byteLength);
      plain.set(bytes);
      expect(Buffer.isBuffer(plain)).toBe(false);
      expect(await store.appendEvents!('plain', 1, plain, 3)).toBe(true);
      const frames = numberEvents(bytes, 4).frames;
      const asFrames = new Uint8Array(frames.byteLength);
      asFrames.set(frames);
      expect(await store.append('plain', 4, asFrames, 3)).toBe(true);
      await store.end('plain');
      expect((await read(store, 'plain', 0)).equals(Buffer.concat([numbered(1), frames]))).toBe(true);
    });
  });
});
