import { lastValueFrom, toArray } from 'rxjs';
import { InvalidArgumentError } from 'rx-anthropic';
import { memoryStreamStore } from 'rx-anthropic/proxy';
import { numberEvents } from '../../lib/proxy/numberEvents';
import { streamStoreContract } from './support/streamStoreContract';

let streams = 0;

describe('memoryStreamStore: the ProxyStreamStore contract', () => {
  streamStoreContract({ make: (options) => memoryStreamStore(options), newId: () => `strm_memory_${++streams}` });
});

describe('memoryStreamStore: its bounds', () => {
  const frames = (first: number, bytes: number) => numberEvents(Buffer.from(`data: ${'x'.repeat(bytes - 20)}\n\n`), first);

  it('forgets the streams that ended first, oldest end first, to keep maxBytes; a live stream that still does not fit is dropped', async () => {
    const store = memoryStreamStore({ maxBytes: 1_000, maxStreamBytes: 2_000 });
    for (const id of ['a', 'b', 'c']) {
      await store.create(id, 'user:u1');
      const chunk = frames(1, 300);
      expect(await store.append(id, 1, chunk.frames, 1)).toBe(true);
      await store.end(id);
    }
    await store.create('d', 'user:u1');
    expect(await store.append('d', 1, frames(1, 300).frames, 1)).toBe(true);
    // 1 200 bytes: a, the oldest ended, went.
    expect(await store.read('a', 'user:u1', 0)).toBeUndefined();
    expect(await store.read('b', 'user:u1', 0)).toBeDefined();
    expect(await store.read('c', 'user:u1', 0)).toBeDefined();
    expect(await store.append('d', 2, frames(2, 600).frames, 1)).toBe(true);
    expect(await store.read('b', 'user:u1', 0)).toBeUndefined();
    expect(await store.read('c', 'user:u1', 0)).toBeUndefined();
    // d alone holds 900 bytes, live: another 300 cannot be kept, and d is dropped.
    expect(await store.append('d', 3, frames(3, 300).frames, 1)).toBe(false);
    expect(await store.read('d', 'user:u1', 0)).toBeUndefined();
  });

  it('keeps the frames it was given, uncopied', async () => {
    const store = memoryStreamStore();
    await store.create('s', 'user:u1');
    const chunk = frames(1, 100);
    await store.append('s', 1, chunk.frames, 1);
    await store.end('s');
    const [read] = await lastValueFrom((await store.read('s', 'user:u1', 0))!.pipe(toArray()));
    expect(read).toBe(chunk.frames);
  });

  it('refuses options that are not positive numbers', () => {
    for (const options of [{ ttlMs: 0 }, { leaseMs: -1 }, { maxBytes: Number.NaN }, { maxStreamBytes: Infinity }]) {
      expect(() => memoryStreamStore(options)).toThrow(InvalidArgumentError);
    }
  });
});
