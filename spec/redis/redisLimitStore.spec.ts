import { spawn, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import type { Redis } from 'ioredis';
import { InvalidArgumentError } from 'rx-anthropic';
import type { AdmissionRequest, AdmissionVerdict, ProxyLimitStore, SlotGrant } from 'rx-anthropic/proxy';
import { redisLimitStore } from 'rx-anthropic/redis';
import { connectRedis, deleteKeys, describeWithRedis, HAS_REDIS_SERVER, REDIS_URL, startRedisServer, uniquePrefix } from './support/redisServer';

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** The lease of a granted slot; fails the test for a refusal. */
function leaseOf(grant: SlotGrant): string {
  if (!grant.granted) throw new Error(`expected a slot, got ${JSON.stringify(grant)}`);
  return grant.lease;
}

/** The retryAfterMs of a refusal; fails the test for a grant. */
function retryAfterOf(verdict: { granted: boolean; retryAfterMs?: number }): number {
  if (verdict.granted || verdict.retryAfterMs === undefined) throw new Error(`expected a refusal, got ${JSON.stringify(verdict)}`);
  return verdict.retryAfterMs;
}

/** Polls `attempt` every 25 ms until it answers true; throws naming `what` after `timeoutMs`. */
async function until(attempt: () => Promise<boolean>, what: string, timeoutMs: number): Promise<number> {
  const started = Date.now();
  while (!(await attempt())) {
    if (Date.now() - started > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(25);
  }
  return Date.now() - started;
}

// Redis expires the rate-limiter-flexible windows in whole seconds: the shortest window is 1 s.
const WINDOW_MS = 1000;

describeWithRedis('redisLimitStore', () => {
  let redis: Redis;
  let other: Redis;
  let prefix: string;
  /** A store on the shared Redis, under this test's prefix. */
  const storeOf = (leaseMs?: number, client: Redis = redis): ProxyLimitStore => redisLimitStore(client, leaseMs === undefined ? { prefix } : { prefix, leaseMs });

  beforeAll(() => {
    redis = connectRedis();
    other = connectRedis();
  });
  beforeEach(() => {
    prefix = uniquePrefix('limits');
  });
  afterEach(async () => {
    await deleteKeys(redis, prefix);
  });
  afterAll(async () => {
    await Promise.all([redis.quit(), other.quit()]);
  });

  describe('concurrency slots', () => {
    it('grants slots up to the limit, each with its own lease, then refuses with a retryAfterMs', async () => {
      const store = storeOf();
      const first = leaseOf(await store.acquireSlot('u1', 2));
      const second = leaseOf(await store.acquireSlot('u1', 2));
      expect(first).not.toBe(second);
      const refused = await store.acquireSlot('u1', 2);
      expect(refused).toEqual({ granted: false, retryAfterMs: expect.any(Number) });
      expect(retryAfterOf(refused)).toBeGreaterThan(0);
    });

    it('answers a refusal with the time until the earliest lease expires, by Redis’s clock, at most 1 s', async () => {
      const store = storeOf(900);
      leaseOf(await store.acquireSlot('u1', 2));
      await sleep(300);
      leaseOf(await store.acquireSlot('u1', 2));
      const retryAfterMs = retryAfterOf(await store.acquireSlot('u1', 2));
      // The first lease expires 900 ms after its grant, some 300 ms ago (the second one later);
      // the lower bound leaves room for a slow machine, and is still below the cap of 1 s.
      expect(retryAfterMs).toBeLessThanOrEqual(600 + 20);
      expect(retryAfterMs).toBeGreaterThan(250);
      // Leases of 5 s: a stream usually gives its slot back long before, so the answer is the cap.
      const long = storeOf(5_000);
      leaseOf(await long.acquireSlot('u2', 1));
      expect(retryAfterOf(await long.acquireSlot('u2', 1))).toBe(1_000);
    });

    it('counts each key apart', async () => {
      const store = storeOf();
      leaseOf(await store.acquireSlot('u1', 1));
      expect((await store.acquireSlot('u1', 1)).granted).toBe(false);
      expect((await store.acquireSlot('u2', 1)).granted).toBe(true);
    });

    it('frees one slot per release', async () => {
      const store = storeOf();
      const first = leaseOf(await store.acquireSlot('u1', 2));
      leaseOf(await store.acquireSlot('u1', 2));
      await store.releaseSlot('u1', first);
      expect((await store.acquireSlot('u1', 2)).granted).toBe(true);
      expect((await store.acquireSlot('u1', 2)).granted).toBe(false);
    });

    it('ignores a second release of a lease, an unknown lease and an unknown key', async () => {
      const store = storeOf();
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
      const store = storeOf();
      const lease = leaseOf(await store.acquireSlot('u1', 1));
      await store.releaseSlot('u2', lease);
      expect((await store.acquireSlot('u1', 1)).granted).toBe(false);
    });

    it('says how long a lease lasts: 30 s by default, or leaseMs', () => {
      expect(redisLimitStore(redis).leaseMs).toBe(30_000);
      expect(redisLimitStore(redis, { leaseMs: 50 }).leaseMs).toBe(50);
    });

    it('lets a lease that is not renewed expire after leaseMs, and will not renew it then', async () => {
      const store = storeOf(300);
      const lease = leaseOf(await store.acquireSlot('u1', 1));
      expect((await store.acquireSlot('u1', 1)).granted).toBe(false);
      await sleep(200);
      expect((await store.acquireSlot('u1', 1)).granted).toBe(false);
      await sleep(200); // 400 ms after the grant
      expect(await store.renewSlot('u1', lease)).toBe(false);
      expect((await store.acquireSlot('u1', 1)).granted).toBe(true);
    });

    it('answers false to the renewal of a lease that expired while a later lease keeps its key, before any acquire dropped it', async () => {
      const store = storeOf(300);
      const first = leaseOf(await store.acquireSlot('u1', 3));
      await sleep(200);
      const second = leaseOf(await store.acquireSlot('u1', 3));
      await sleep(200); // the first expired 100 ms ago, the second lives 100 ms more
      expect(await store.renewSlot('u1', first)).toBe(false);
      expect(await store.renewSlot('u1', first)).toBe(false);
      expect(await store.renewSlot('u1', second)).toBe(true);
      expect(await redis.zscore(`${prefix}slots:u1`, first)).toBeNull();
    });

    it('drops an expired lease while later ones are held, freeing its slot', async () => {
      const store = storeOf(300);
      leaseOf(await store.acquireSlot('u1', 2));
      await sleep(200);
      leaseOf(await store.acquireSlot('u1', 2));
      expect((await store.acquireSlot('u1', 2)).granted).toBe(false);
      await sleep(150); // the first expired 50 ms ago, the second lives 150 ms more
      leaseOf(await store.acquireSlot('u1', 2));
      expect((await store.acquireSlot('u1', 2)).granted).toBe(false);
    });

    it('keeps a renewed lease for another leaseMs from the renewal', async () => {
      const store = storeOf(600);
      const lease = leaseOf(await store.acquireSlot('u1', 1));
      await sleep(350);
      expect(await store.renewSlot('u1', lease)).toBe(true);
      await sleep(350); // 700 ms after the grant, 350 after the renewal
      expect((await store.acquireSlot('u1', 1)).granted).toBe(false);
      await sleep(400); // 750 ms after the renewal
      expect((await store.acquireSlot('u1', 1)).granted).toBe(true);
    });

    it('answers false to the renewal of a lease it never granted, or released', async () => {
      const store = storeOf();
      const lease = leaseOf(await store.acquireSlot('u1', 1));
      expect(await store.renewSlot('u1', 'no-such-lease')).toBe(false);
      expect(await store.renewSlot('u2', lease)).toBe(false);
      await store.releaseSlot('u1', lease);
      expect(await store.renewSlot('u1', lease)).toBe(false);
    });

    it('lets the key of idle slots expire with its latest lease, and renewals push that back', async () => {
      const store = storeOf(300);
      const key = `${prefix}slots:u1`;
      const lease = leaseOf(await store.acquireSlot('u1', 2));
      const ttl = await redis.pttl(key);
      expect(ttl).toBeGreaterThan(0);
      expect(ttl).toBeLessThanOrEqual(300);
      await sleep(200);
      expect(await store.renewSlot('u1', lease)).toBe(true);
      expect(await redis.pttl(key)).toBeGreaterThan(200);
      await sleep(400);
      expect(await redis.exists(key)).toBe(0);
    });
  });

  describe('takeFromWindow', () => {
    it('takes back a request given back with returnToWindow (the same limit and window)', async () => {
      const store = storeOf();
      expect(await store.takeFromWindow('back', 2, WINDOW_MS)).toEqual({ granted: true });
      expect(await store.takeFromWindow('back', 2, WINDOW_MS)).toEqual({ granted: true });
      await store.returnToWindow?.('back', 2, WINDOW_MS);
      expect(await store.takeFromWindow('back', 2, WINDOW_MS)).toEqual({ granted: true });
      expect((await store.takeFromWindow('back', 2, WINDOW_MS)).granted).toBe(false);
    });

    it('counts per key and refuses past the limit, with a retryAfterMs within the window', async () => {
      const store = storeOf();
      expect(await store.takeFromWindow('u1', 2, WINDOW_MS)).toEqual({ granted: true });
      expect(await store.takeFromWindow('u1', 2, WINDOW_MS)).toEqual({ granted: true });
      const retryAfterMs = retryAfterOf(await store.takeFromWindow('u1', 2, WINDOW_MS));
      expect(retryAfterMs).toBeGreaterThan(0);
      expect(retryAfterMs).toBeLessThanOrEqual(WINDOW_MS);
      expect(await store.takeFromWindow('u2', 2, WINDOW_MS)).toEqual({ granted: true });
    });

    it('starts over once the window has passed', async () => {
      const store = storeOf();
      expect((await store.takeFromWindow('u1', 1, WINDOW_MS)).granted).toBe(true);
      expect((await store.takeFromWindow('u1', 1, WINDOW_MS)).granted).toBe(false);
      await sleep(WINDOW_MS + 100);
      expect((await store.takeFromWindow('u1', 1, WINDOW_MS)).granted).toBe(true);
    });

    it('keeps windows of different lengths or limits apart', async () => {
      const store = storeOf();
      expect((await store.takeFromWindow('u1', 1, WINDOW_MS)).granted).toBe(true);
      expect((await store.takeFromWindow('u1', 1, WINDOW_MS)).granted).toBe(false);
      expect((await store.takeFromWindow('u1', 1, 2 * WINDOW_MS)).granted).toBe(true);
      expect((await store.takeFromWindow('u1', 5, WINDOW_MS)).granted).toBe(true);
    });

    it('rounds a window shorter than a second up to a second (Redis expires the window in whole seconds), never to one that never ends', async () => {
      const store = storeOf();
      expect((await store.takeFromWindow('u1', 1, 100)).granted).toBe(true);
      await sleep(150);
      const retryAfterMs = retryAfterOf(await store.takeFromWindow('u1', 1, 100));
      expect(retryAfterMs).toBeGreaterThan(0);
      expect(retryAfterMs).toBeLessThanOrEqual(1_000);
      await sleep(retryAfterMs + 100);
      expect((await store.takeFromWindow('u1', 1, 100)).granted).toBe(true);
    });
  });

  describe('checkBudget and addToBudget', () => {
    it('grants until the sum spent reaches the limit, then refuses with a retryAfterMs within the window', async () => {
      const store = storeOf();
      expect(await store.checkBudget('u1', 100, WINDOW_MS)).toEqual({ granted: true });
      await store.addToBudget('u1', 60, WINDOW_MS);
      expect(await store.checkBudget('u1', 100, WINDOW_MS)).toEqual({ granted: true });
      await store.addToBudget('u1', 39, WINDOW_MS);
      expect(await store.checkBudget('u1', 100, WINDOW_MS)).toEqual({ granted: true });
      await store.addToBudget('u1', 1, WINDOW_MS);
      const retryAfterMs = retryAfterOf(await store.checkBudget('u1', 100, WINDOW_MS));
      expect(retryAfterMs).toBeGreaterThan(0);
      expect(retryAfterMs).toBeLessThanOrEqual(WINDOW_MS);
    });

    it('refuses past the limit too, an answer that overshot it', async () => {
      const store = storeOf();
      await store.addToBudget('u1', 5000, WINDOW_MS);
      expect((await store.checkBudget('u1', 100, WINDOW_MS)).granted).toBe(false);
    });

    it('counts per key', async () => {
      const store = storeOf();
      await store.addToBudget('u1', 100, WINDOW_MS);
      expect((await store.checkBudget('u1', 100, WINDOW_MS)).granted).toBe(false);
      expect((await store.checkBudget('u2', 100, WINDOW_MS)).granted).toBe(true);
    });

    it('compares the same spending with the limit asked', async () => {
      const store = storeOf();
      await store.addToBudget('u1', 60, WINDOW_MS);
      expect((await store.checkBudget('u1', 50, WINDOW_MS)).granted).toBe(false);
      expect((await store.checkBudget('u1', 100, WINDOW_MS)).granted).toBe(true);
    });

    it('starts over once the window has passed', async () => {
      const store = storeOf();
      await store.addToBudget('u1', 100, WINDOW_MS);
      expect((await store.checkBudget('u1', 100, WINDOW_MS)).granted).toBe(false);
      await sleep(WINDOW_MS + 100);
      expect(await store.checkBudget('u1', 100, WINDOW_MS)).toEqual({ granted: true });
    });
  });

  describe('admit', () => {
    const all = (slotLimit: number, budgetLimit: number, windowLimit: number): AdmissionRequest => ({
      slot: { key: 'concurrent:u1', limit: slotLimit },
      budget: { key: 'budget:u1', limit: budgetLimit, windowMs: WINDOW_MS },
      window: { key: 'rate:u1', limit: windowLimit, windowMs: WINDOW_MS },
    });
    const admitOf = (store: ProxyLimitStore) => (request: AdmissionRequest): Promise<AdmissionVerdict> => (store.admit as NonNullable<ProxyLimitStore['admit']>)(request);

    it('lets a request in with a lease that the single methods renew and release, counting it in the window the single methods count', async () => {
      const store = storeOf();
      const verdict = await admitOf(store)(all(1, 100, 2));
      if (!verdict.granted || verdict.lease === undefined) throw new Error(`expected a lease, got ${JSON.stringify(verdict)}`);
      expect((await store.acquireSlot('concurrent:u1', 1)).granted).toBe(false);
      expect(await store.renewSlot('concurrent:u1', verdict.lease)).toBe(true);
      expect((await store.takeFromWindow('rate:u1', 2, WINDOW_MS)).granted).toBe(true);
      expect((await store.takeFromWindow('rate:u1', 2, WINDOW_MS)).granted).toBe(false);
      await store.releaseSlot('concurrent:u1', verdict.lease);
      expect((await store.acquireSlot('concurrent:u1', 1)).granted).toBe(true);
    });

    it('refuses a full slot first, counting nothing in the window and taking no slot', async () => {
      const store = storeOf();
      const admit = admitOf(store);
      leaseOf(await store.acquireSlot('concurrent:u1', 1));
      await store.addToBudget('budget:u1', 100, WINDOW_MS);
      const verdict = await admit(all(1, 100, 1));
      expect(verdict).toMatchObject({ granted: false, refusedBy: 'slot' });
      expect(retryAfterOf(verdict)).toBeLessThanOrEqual(1000);
      expect((await store.takeFromWindow('rate:u1', 1, WINDOW_MS)).granted).toBe(true);
    });

    it('refuses a spent budget (spent with addToBudget) with the time left in its window, counting nothing and taking no slot', async () => {
      const store = storeOf();
      const admit = admitOf(store);
      await store.addToBudget('budget:u1', 100, WINDOW_MS);
      const verdict = await admit(all(1, 100, 1));
      expect(verdict).toMatchObject({ granted: false, refusedBy: 'budget' });
      expect(retryAfterOf(verdict)).toBeGreaterThan(0);
      expect(retryAfterOf(verdict)).toBeLessThanOrEqual(WINDOW_MS);
      expect((await store.acquireSlot('concurrent:u1', 1)).granted).toBe(true);
      expect((await store.takeFromWindow('rate:u1', 1, WINDOW_MS)).granted).toBe(true);
    });

    it('refuses a full window (and counts the refused request, as takeFromWindow does), taking no slot', async () => {
      const store = storeOf();
      const admit = admitOf(store);
      expect((await admit({ window: { key: 'rate:u1', limit: 1, windowMs: WINDOW_MS } })).granted).toBe(true);
      const verdict = await admit(all(1, 100, 1));
      expect(verdict).toMatchObject({ granted: false, refusedBy: 'window' });
      expect(retryAfterOf(verdict)).toBeLessThanOrEqual(WINDOW_MS);
      expect((await store.acquireSlot('concurrent:u1', 1)).granted).toBe(true);
      await store.returnToWindow?.('rate:u1', 1, WINDOW_MS);
      expect((await store.takeFromWindow('rate:u1', 1, WINDOW_MS)).granted).toBe(false);
    });

    it('asks only the limits named, and gives no lease without a slot', async () => {
      const store = storeOf();
      const admit = admitOf(store);
      expect(await admit({})).toEqual({ granted: true, lease: undefined });
      expect(await admit({ budget: { key: 'budget:u1', limit: 1, windowMs: WINDOW_MS } })).toEqual({ granted: true, lease: undefined });
      expect((await store.takeFromWindow('rate:u1', 1, WINDOW_MS)).granted).toBe(true);
      expect((await store.acquireSlot('concurrent:u1', 1)).granted).toBe(true);
    });

    it('grants exactly 5 of 50 concurrent admissions with a slot limit of 5, from two instances', async () => {
      const admits = [admitOf(storeOf()), admitOf(storeOf(undefined, other))];
      const verdicts = await Promise.all(Array.from({ length: 50 }, (_, i) => (admits[i % 2] as (r: AdmissionRequest) => Promise<AdmissionVerdict>)({ slot: { key: 'concurrent:u1', limit: 5 } })));
      expect(verdicts.filter((verdict) => verdict.granted)).toHaveLength(5);
    });
  });

  it('keeps slots, windows and budgets of one key apart from each other', async () => {
    const store = storeOf();
    await store.addToBudget('u1', 100, WINDOW_MS);
    expect((await store.takeFromWindow('u1', 1, WINDOW_MS)).granted).toBe(true);
    expect((await store.acquireSlot('u1', 1)).granted).toBe(true);
    expect((await store.checkBudget('u1', 100, WINDOW_MS)).granted).toBe(false);
  });

  it('keeps stores with different prefixes to themselves', async () => {
    const one = storeOf();
    const otherPrefix = uniquePrefix('limits-other');
    const elsewhere = redisLimitStore(redis, { prefix: otherPrefix });
    try {
      leaseOf(await one.acquireSlot('u1', 1));
      await one.addToBudget('u1', 100, WINDOW_MS);
      expect((await one.takeFromWindow('u1', 1, WINDOW_MS)).granted).toBe(true);
      expect((await elsewhere.acquireSlot('u1', 1)).granted).toBe(true);
      expect((await elsewhere.checkBudget('u1', 100, WINDOW_MS)).granted).toBe(true);
      expect((await elsewhere.takeFromWindow('u1', 1, WINDOW_MS)).granted).toBe(true);
    } finally {
      await deleteKeys(redis, otherPrefix);
    }
  });

  it('keeps every key under its prefix, `rx-anthropic:limits:` by default', async () => {
    const user = `u-${process.pid}-${Date.now().toString(36)}`;
    const store = redisLimitStore(redis);
    try {
      leaseOf(await store.acquireSlot(user, 1));
      await store.takeFromWindow(user, 1, WINDOW_MS);
      await store.addToBudget(user, 1, WINDOW_MS);
      const [, keys] = await redis.scan('0', 'MATCH', `*${user}*`, 'COUNT', 100_000);
      expect(keys).toHaveLength(3);
      for (const key of keys) expect(key.startsWith('rx-anthropic:limits:')).toBe(true);
    } finally {
      // Only this test's keys: the default prefix may be in use by others on the shared Redis.
      const [, keys] = await redis.scan('0', 'MATCH', `rx-anthropic:limits:*${user}*`, 'COUNT', 100_000);
      if (keys.length > 0) await redis.del(...keys);
    }
  });

  describe('shared by instances on their own connections', () => {
    it('share slots, windows and budgets', async () => {
      const one = storeOf(undefined, redis);
      const two = storeOf(undefined, other);
      const lease = leaseOf(await one.acquireSlot('u1', 1));
      expect((await two.acquireSlot('u1', 1)).granted).toBe(false);
      expect(await two.renewSlot('u1', lease)).toBe(true);
      await two.releaseSlot('u1', lease);
      leaseOf(await one.acquireSlot('u1', 1));

      expect((await one.takeFromWindow('u1', 2, 60_000)).granted).toBe(true);
      expect((await two.takeFromWindow('u1', 2, 60_000)).granted).toBe(true);
      expect((await one.takeFromWindow('u1', 2, 60_000)).granted).toBe(false);

      await one.addToBudget('u1', 60, 60_000);
      expect((await two.checkBudget('u1', 100, 60_000)).granted).toBe(true);
      await two.addToBudget('u1', 40, 60_000);
      expect((await one.checkBudget('u1', 100, 60_000)).granted).toBe(false);
    });

    it('grant exactly 5 of 50 concurrent acquires with limit 5, and exactly 7 of 50 concurrent takes from a window of 7', async () => {
      const stores = [storeOf(undefined, redis), storeOf(undefined, other)];
      const grants = await Promise.all(Array.from({ length: 50 }, (_, index) => stores[index % 2]!.acquireSlot('u1', 5)));
      const leases = grants.filter((grant) => grant.granted);
      expect(leases).toHaveLength(5);
      expect(new Set(leases.map((grant) => (grant as { lease: string }).lease)).size).toBe(5);
      expect(await redis.zcard(`${prefix}slots:u1`)).toBe(5);

      const verdicts = await Promise.all(Array.from({ length: 50 }, (_, index) => stores[index % 2]!.takeFromWindow('u1', 7, 60_000)));
      expect(verdicts.filter((verdict) => verdict.granted)).toHaveLength(7);
    });

    it('free the slots of an instance that was killed (SIGKILL) within leaseMs, and not before it died', async () => {
      const leaseMs = 600;
      const store = storeOf(leaseMs);
      const script = path.join(__dirname, 'support', 'holdSlots.ts');
      const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', script, REDIS_URL ?? '', prefix, String(leaseMs), 'u1', '2'], {
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stderr = '';
      child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      try {
        await new Promise<void>((resolve, reject) => {
          const timer = setTimeout(() => reject(new Error(`the child did not print "held" within 15 s (stderr: ${stderr})`)), 15_000);
          let stdout = '';
          child.stdout?.on('data', (chunk: Buffer) => {
            stdout += chunk.toString();
            if (stdout.includes('held ')) {
              clearTimeout(timer);
              resolve();
            }
          });
          child.once('exit', (code) => {
            clearTimeout(timer);
            reject(new Error(`the child exited (${code}) before holding its slots: ${stderr}`));
          });
        });
        expect((await store.acquireSlot('u1', 2)).granted).toBe(false);
        // Alive, it renews: its slots outlast leaseMs.
        await sleep(2 * leaseMs);
        expect((await store.acquireSlot('u1', 2)).granted).toBe(false);

        child.kill('SIGKILL');
        await exited;
        const exitedAt = Date.now();
        // Each slot's lease was renewed on its own before the kill, so each frees within leaseMs of it (one may free before the other).
        const freedAfterMs = await until(async () => (await store.acquireSlot('u1', 2)).granted, 'the killed child’s first slot to free', 3 * leaseMs);
        expect(freedAfterMs).toBeLessThanOrEqual(leaseMs + 100);
        await until(async () => (await store.acquireSlot('u1', 2)).granted, 'the killed child’s second slot to free', 3 * leaseMs);
        expect(Date.now() - exitedAt).toBeLessThanOrEqual(leaseMs + 100);
        // Both are ours now: a third is refused.
        expect((await store.acquireSlot('u1', 2)).granted).toBe(false);
        expect(stderr).toBe('');
      } finally {
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      }
    }, 25_000);
  });

  it.each([0, -1, Number.NaN, Number.POSITIVE_INFINITY, '100' as unknown as number])('refuses leaseMs %p with InvalidArgumentError', (leaseMs) => {
    expect(() => redisLimitStore(redis, { leaseMs })).toThrow(InvalidArgumentError);
    try {
      redisLimitStore(redis, { leaseMs });
    } catch (error) {
      expect((error as InvalidArgumentError).argument).toBe('leaseMs');
    }
  });

  it('refuses a prefix that is not a string, and a redis that is not an ioredis client', () => {
    expect(() => redisLimitStore(redis, { prefix: 7 as unknown as string })).toThrow(expect.objectContaining({ argument: 'prefix' }));
    expect(() => redisLimitStore({} as Redis)).toThrow(expect.objectContaining({ argument: 'redis' }));
  });

  (HAS_REDIS_SERVER ? describe : describe.skip)('when Redis fails', () => {
    it('rejects every method with the error while Redis is down, and answers again once it is back, with no new store', async () => {
      const server = await startRedisServer();
      const client = connectRedis(server.url);
      client.on('error', () => undefined);
      try {
        const store = redisLimitStore(client, { prefix, leaseMs: 5_000 });
        const lease = leaseOf(await store.acquireSlot('u1', 2));
        expect((await store.takeFromWindow('u1', 5, 60_000)).granted).toBe(true);

        await server.stop();
        const calls: [string, () => Promise<unknown>][] = [
          ['acquireSlot', () => store.acquireSlot('u1', 2)],
          ['renewSlot', () => store.renewSlot('u1', lease)],
          ['releaseSlot', () => store.releaseSlot('u1', lease)],
          ['takeFromWindow', () => store.takeFromWindow('u1', 5, 60_000)],
          ['checkBudget', () => store.checkBudget('u1', 100, 60_000)],
          ['addToBudget', () => store.addToBudget('u1', 10, 60_000)],
        ];
        for (const [name, call] of calls) {
          const outcome = await call().then(
            (value) => ({ resolved: value }),
            (error: unknown) => ({ rejected: error instanceof Error }),
          );
          expect({ [name]: outcome }).toEqual({ [name]: { rejected: true } });
        }

        // An empty Redis (nothing saved), without the scripts loaded: they load again by themselves.
        await server.start();
        await until(async () => (await store.acquireSlot('u1', 1).then((grant) => grant.granted, () => false)), 'the store to grant a slot again', 10_000);
        expect((await store.acquireSlot('u1', 1)).granted).toBe(false);
        expect((await store.takeFromWindow('u1', 1, 60_000)).granted).toBe(true);
        await store.addToBudget('u1', 100, 60_000);
        expect((await store.checkBudget('u1', 100, 60_000)).granted).toBe(false);
      } finally {
        client.disconnect();
        await server.dispose();
      }
    }, 25_000);
  });
});
