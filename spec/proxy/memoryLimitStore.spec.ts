import { InvalidArgumentError } from 'rx-anthropic';
import { memoryLimitStore, type SlotGrant } from 'rx-anthropic/proxy';

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** The lease of a granted slot; fails the test for a refusal. */
function leaseOf(grant: SlotGrant): string {
  if (!grant.granted) throw new Error(`expected a slot, got ${JSON.stringify(grant)}`);
  return grant.lease;
}

describe('memoryLimitStore', () => {
  describe('concurrency slots', () => {
    it('grants slots up to the limit, each with its own lease, then refuses with a retryAfterMs', async () => {
      const store = memoryLimitStore();
      const first = leaseOf(await store.acquireSlot('u1', 2));
      const second = leaseOf(await store.acquireSlot('u1', 2));
      expect(first).not.toBe(second);
      const refused = await store.acquireSlot('u1', 2);
      expect(refused).toEqual({ granted: false, retryAfterMs: expect.any(Number) });
      expect((refused as { retryAfterMs: number }).retryAfterMs).toBeGreaterThan(0);
    });

    it('counts each key apart', async () => {
      const store = memoryLimitStore();
      leaseOf(await store.acquireSlot('u1', 1));
      expect((await store.acquireSlot('u1', 1)).granted).toBe(false);
      expect((await store.acquireSlot('u2', 1)).granted).toBe(true);
    });

    it('frees one slot per release', async () => {
      const store = memoryLimitStore();
      const first = leaseOf(await store.acquireSlot('u1', 2));
      leaseOf(await store.acquireSlot('u1', 2));
      await store.releaseSlot('u1', first);
      expect((await store.acquireSlot('u1', 2)).granted).toBe(true);
      expect((await store.acquireSlot('u1', 2)).granted).toBe(false);
    });

    it('ignores a second release of a lease, an unknown lease and an unknown key', async () => {
      const store = memoryLimitStore();
      const first = leaseOf(await store.acquireSlot('u1', 2));
      leaseOf(await store.acquireSlot('u1', 2));
      await store.releaseSlot('u1', first);
      await expect(store.releaseSlot('u1', first)).resolves.toBeUndefined();
      await expect(store.releaseSlot('u1', 'no-such-lease')).resolves.toBeUndefined();
      await expect(store.releaseSlot('nobody', first)).resolves.toBeUndefined();
      expect((await store.acquireSlot('u1', 2)).granted).toBe(true);
      expect((await store.acquireSlot('u1', 2)).granted).toBe(false);
    });

    it('does not let a lease of one key release a slot of another', async () => {
      const store = memoryLimitStore();
      const lease = leaseOf(await store.acquireSlot('u1', 1));
      await store.releaseSlot('u2', lease);
      expect((await store.acquireSlot('u1', 1)).granted).toBe(false);
    });

    it('says how long a lease lasts: 30 s by default, or leaseMs', () => {
      expect(memoryLimitStore().leaseMs).toBe(30_000);
      expect(memoryLimitStore({ leaseMs: 50 }).leaseMs).toBe(50);
    });

    it('lets a lease that is not renewed expire after leaseMs, and will not renew it then', async () => {
      const store = memoryLimitStore({ leaseMs: 50 });
      const lease = leaseOf(await store.acquireSlot('u1', 1));
      expect((await store.acquireSlot('u1', 1)).granted).toBe(false);
      await sleep(80);
      expect(await store.renewSlot('u1', lease)).toBe(false);
      expect((await store.acquireSlot('u1', 1)).granted).toBe(true);
    });

    it('keeps a renewed lease for another leaseMs from the renewal', async () => {
      const store = memoryLimitStore({ leaseMs: 100 });
      const lease = leaseOf(await store.acquireSlot('u1', 1));
      await sleep(60);
      expect(await store.renewSlot('u1', lease)).toBe(true);
      await sleep(60); // 120 ms after the grant, 60 after the renewal
      expect((await store.acquireSlot('u1', 1)).granted).toBe(false);
      await sleep(70); // 130 ms after the renewal
      expect((await store.acquireSlot('u1', 1)).granted).toBe(true);
    });

    it('answers false to the renewal of a lease it never granted, or released', async () => {
      const store = memoryLimitStore();
      const lease = leaseOf(await store.acquireSlot('u1', 1));
      expect(await store.renewSlot('u1', 'no-such-lease')).toBe(false);
      expect(await store.renewSlot('u2', lease)).toBe(false);
      await store.releaseSlot('u1', lease);
      expect(await store.renewSlot('u1', lease)).toBe(false);
    });
  });

  describe('takeFromWindow', () => {
    it('takes back a request given back with returnToWindow (the same limit and window)', async () => {
      const store = memoryLimitStore();
      expect(await store.takeFromWindow('back', 2, 60_000)).toEqual({ granted: true });
      expect(await store.takeFromWindow('back', 2, 60_000)).toEqual({ granted: true });
      await store.returnToWindow?.('back', 2, 60_000);
      expect(await store.takeFromWindow('back', 2, 60_000)).toEqual({ granted: true });
      expect((await store.takeFromWindow('back', 2, 60_000)).granted).toBe(false);
    });

    it('counts per key and refuses past the limit, with a retryAfterMs within the window', async () => {
      const store = memoryLimitStore();
      expect(await store.takeFromWindow('u1', 2, 100)).toEqual({ granted: true });
      expect(await store.takeFromWindow('u1', 2, 100)).toEqual({ granted: true });
      const refused = await store.takeFromWindow('u1', 2, 100);
      expect(refused.granted).toBe(false);
      const { retryAfterMs } = refused as { retryAfterMs: number };
      expect(retryAfterMs).toBeGreaterThan(0);
      expect(retryAfterMs).toBeLessThanOrEqual(100);
      expect(await store.takeFromWindow('u2', 2, 100)).toEqual({ granted: true });
    });

    it('starts over once the window has passed', async () => {
      const store = memoryLimitStore();
      expect((await store.takeFromWindow('u1', 1, 100)).granted).toBe(true);
      expect((await store.takeFromWindow('u1', 1, 100)).granted).toBe(false);
      await sleep(130);
      expect((await store.takeFromWindow('u1', 1, 100)).granted).toBe(true);
    });

    it('keeps windows of different lengths or limits apart', async () => {
      const store = memoryLimitStore();
      expect((await store.takeFromWindow('u1', 1, 100)).granted).toBe(true);
      expect((await store.takeFromWindow('u1', 1, 100)).granted).toBe(false);
      expect((await store.takeFromWindow('u1', 1, 200)).granted).toBe(true);
      expect((await store.takeFromWindow('u1', 5, 100)).granted).toBe(true);
    });
  });

  describe('checkBudget and addToBudget', () => {
    it('grants until the sum spent reaches the limit, then refuses with a retryAfterMs within the window', async () => {
      const store = memoryLimitStore();
      expect(await store.checkBudget('u1', 100, 100)).toEqual({ granted: true });
      await store.addToBudget('u1', 60, 100);
      expect(await store.checkBudget('u1', 100, 100)).toEqual({ granted: true });
      await store.addToBudget('u1', 39, 100);
      expect(await store.checkBudget('u1', 100, 100)).toEqual({ granted: true });
      await store.addToBudget('u1', 1, 100);
      const refused = await store.checkBudget('u1', 100, 100);
      expect(refused.granted).toBe(false);
      const { retryAfterMs } = refused as { retryAfterMs: number };
      expect(retryAfterMs).toBeGreaterThan(0);
      expect(retryAfterMs).toBeLessThanOrEqual(100);
    });

    it('refuses past the limit too, an answer that overshot it', async () => {
      const store = memoryLimitStore();
      await store.addToBudget('u1', 5000, 100);
      expect((await store.checkBudget('u1', 100, 100)).granted).toBe(false);
    });

    it('counts per key', async () => {
      const store = memoryLimitStore();
      await store.addToBudget('u1', 100, 100);
      expect((await store.checkBudget('u1', 100, 100)).granted).toBe(false);
      expect((await store.checkBudget('u2', 100, 100)).granted).toBe(true);
    });

    it('compares the same spending with the limit asked', async () => {
      const store = memoryLimitStore();
      await store.addToBudget('u1', 60, 100);
      expect((await store.checkBudget('u1', 50, 100)).granted).toBe(false);
      expect((await store.checkBudget('u1', 100, 100)).granted).toBe(true);
    });

    it('starts over once the window has passed', async () => {
      const store = memoryLimitStore();
      await store.addToBudget('u1', 100, 100);
      expect((await store.checkBudget('u1', 100, 100)).granted).toBe(false);
      await sleep(130);
      expect(await store.checkBudget('u1', 100, 100)).toEqual({ granted: true });
    });
  });

  it('keeps slots, windows and budgets of one key apart from each other', async () => {
    const store = memoryLimitStore();
    await store.addToBudget('u1', 100, 100);
    expect((await store.takeFromWindow('u1', 1, 100)).granted).toBe(true);
    expect((await store.acquireSlot('u1', 1)).granted).toBe(true);
    expect((await store.checkBudget('u1', 100, 100)).granted).toBe(false);
  });

  it('keeps each store to itself', async () => {
    const one = memoryLimitStore();
    const other = memoryLimitStore();
    leaseOf(await one.acquireSlot('u1', 1));
    await one.addToBudget('u1', 100, 100);
    expect((await one.takeFromWindow('u1', 1, 100)).granted).toBe(true);
    expect((await other.acquireSlot('u1', 1)).granted).toBe(true);
    expect((await other.checkBudget('u1', 100, 100)).granted).toBe(true);
    expect((await other.takeFromWindow('u1', 1, 100)).granted).toBe(true);
  });

  it.each([0, -1, Number.NaN, Number.POSITIVE_INFINITY, '100' as unknown as number])('refuses leaseMs %p with InvalidArgumentError', (leaseMs) => {
    expect(() => memoryLimitStore({ leaseMs })).toThrow(InvalidArgumentError);
    try {
      memoryLimitStore({ leaseMs });
    } catch (error) {
      expect((error as InvalidArgumentError).argument).toBe('leaseMs');
    }
  });
});
