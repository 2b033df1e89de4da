import { MAX_ARENA_BYTES, SlabPool } from '../../lib/proxy/slabPool';

describe('SlabPool', () => {
  it('cuts its slabs from one piece of memory, asked for by the first take: disjoint, each slabBytes long', () => {
    const pool = new SlabPool(16, 64);
    expect(pool.reservedBytes).toBe(0);
    const slabs = [pool.take(), pool.take(), pool.take(), pool.take()];
    expect(pool.reservedBytes).toBe(64);
    for (const slab of slabs) {
      expect(slab.length).toBe(16);
      expect(slab.buffer).toBe(slabs[0]!.buffer);
    }
    slabs.forEach((slab, index) => slab.fill(index + 1));
    slabs.forEach((slab, index) => expect([...slab]).toEqual(new Array(16).fill(index + 1)));
  });

  it('gives a slab given back before it cuts a new one, and asks for another piece only when one is used up', () => {
    const pool = new SlabPool(16, 32);
    const a = pool.take();
    pool.take();
    pool.give(a);
    expect(pool.freeCount).toBe(1);
    expect(pool.take()).toBe(a);
    expect(pool.reservedBytes).toBe(32);
    const next = pool.take();
    expect(pool.reservedBytes).toBe(64);
    expect(next.buffer).not.toBe(a.buffer);
  });

  it('asks for whole slabs, at least one, at most MAX_ARENA_BYTES at a time', () => {
    expect(new SlabPool(10, 25).arenaBytes).toBe(30);
    expect(new SlabPool(10, 0).arenaBytes).toBe(10);
    expect(new SlabPool(64 * 1024, 4 * MAX_ARENA_BYTES).arenaBytes).toBe(MAX_ARENA_BYTES);
    expect(new SlabPool(2 * MAX_ARENA_BYTES, 1).arenaBytes).toBe(2 * MAX_ARENA_BYTES);
  });
});
