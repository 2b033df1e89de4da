import { admitUser } from '../../lib/proxy/admitUser';
import { memoryLimitStore } from '../../lib/proxy/memoryLimitStore';
import { ProxyRefusalError } from '../../lib/proxy/ProxyRefusalError';
import type { AdmissionRequest, AdmissionVerdict, ProxyLimitStore } from '../../lib/proxy/types';

type Method = 'acquireSlot' | 'checkBudget' | 'takeFromWindow';

/** memoryLimitStore, with every call recorded and the methods named in `failing` rejecting. */
function recordingStore(failing: readonly Method[] = [], withReturn = false): { store: ProxyLimitStore; calls: string[]; held: () => Promise<number> } {
  const inner = memoryLimitStore();
  const calls: string[] = [];
  const wrap =
    <A extends unknown[], R>(name: string, call: (...args: A) => Promise<R>) =>
    (...args: A): Promise<R> => {
      calls.push(name);
      return failing.includes(name as Method) ? Promise.reject(new Error(`${name} failed`)) : call(...args);
    };
  const store: ProxyLimitStore = {
    leaseMs: inner.leaseMs,
    acquireSlot: wrap('acquireSlot', inner.acquireSlot.bind(inner)),
    renewSlot: wrap('renewSlot', inner.renewSlot.bind(inner)),
    releaseSlot: wrap('releaseSlot', inner.releaseSlot.bind(inner)),
    takeFromWindow: wrap('takeFromWindow', inner.takeFromWindow.bind(inner)),
    checkBudget: wrap('checkBudget', inner.checkBudget.bind(inner)),
    addToBudget: wrap('addToBudget', inner.addToBudget.bind(inner)),
    ...(withReturn ? { returnToWindow: wrap('returnToWindow', (inner.returnToWindow as NonNullable<ProxyLimitStore['returnToWindow']>).bind(inner)) } : {}),
  };
  // How many of u1's two slots are taken: try to take both, and give back what was granted.
  const held = async (): Promise<number> => {
    const grants = [await inner.acquireSlot('concurrent:u1', 2), await inner.acquireSlot('concurrent:u1', 2)];
    for (const grant of grants) if (grant.granted) await inner.releaseSlot('concurrent:u1', grant.lease);
    return grants.filter((grant) => !grant.granted).length;
  };
  return { store, calls, held };
}

const limits = { maxConcurrentRequests: 2, requestsPerMinute: 10, tokenBudget: { tokens: 100, perMs: 60_000 } };
const refusal = (promise: Promise<unknown>): Promise<ProxyRefusalError> =>
  promise.then(
    () => {
      throw new Error('expected a refusal');
    },
    (error: unknown) => error as ProxyRefusalError,
  );

describe('admitUser', () => {
  it('asks for the slot and the budget at once, then counts the window', async () => {
    const { store, calls } = recordingStore();
    let askedWhenSlotAnswered: string[] = [];
    const acquireSlot = store.acquireSlot.bind(store);
    // The slot answers a turn later; by then the budget has been asked too: one round trip to a shared store, not two.
    store.acquireSlot = (key, limit) =>
      acquireSlot(key, limit).then((grant) => new Promise((resolve) => setImmediate(() => ((askedWhenSlotAnswered = [...calls]), resolve(grant)))));
    const admission = await admitUser(store, limits, 'u1', () => undefined);
    expect(askedWhenSlotAnswered).toEqual(['acquireSlot', 'checkBudget']);
    expect(calls).toEqual(['acquireSlot', 'checkBudget', 'takeFromWindow']);
    admission.release();
  });

  it('counts no request in the window when the slot is full, and says the slot is why', async () => {
    const { store, calls } = recordingStore();
    const open = [await admitUser(store, limits, 'u1', () => undefined), await admitUser(store, limits, 'u1', () => undefined)];
    calls.length = 0;
    const error = await refusal(admitUser(store, limits, 'u1', () => undefined));
    expect(error.status).toBe(429);
    expect(error.message).toMatch(/already has 2 requests open/);
    expect(calls).not.toContain('takeFromWindow');
    open.forEach((admission) => admission.release());
  });

  it('gives the slot back and counts no request when the budget is spent', async () => {
    const { store, calls, held } = recordingStore();
    await store.addToBudget('budget:u1', 100, 60_000);
    calls.length = 0;
    const error = await refusal(admitUser(store, limits, 'u1', () => undefined));
    expect(error.message).toMatch(/spent the 100 tokens/);
    expect(calls).not.toContain('takeFromWindow');
    await new Promise((resolve) => setImmediate(resolve));
    expect(await held()).toBe(0);
  });

  it('refuses with 503 when the store fails on the budget, gives the slot it got back, and reports the failure', async () => {
    const { store, held } = recordingStore(['checkBudget']);
    const heard: unknown[] = [];
    const error = await refusal(admitUser(store, limits, 'u1', (failure) => heard.push(failure)));
    expect(error.status).toBe(503);
    expect(heard).toEqual([expect.objectContaining({ message: 'checkBudget failed' })]);
    await new Promise((resolve) => setImmediate(resolve));
    expect(await held()).toBe(0);
  });

  it('refuses with 503 when the store fails on the window, and gives the slot back', async () => {
    const { store, held } = recordingStore(['takeFromWindow']);
    const error = await refusal(admitUser(store, limits, 'u1', () => undefined));
    expect(error.status).toBe(503);
    await new Promise((resolve) => setImmediate(resolve));
    expect(await held()).toBe(0);
  });

  it('holds the slot until released, once', async () => {
    const { store, held } = recordingStore();
    const admission = await admitUser(store, limits, 'u1', () => undefined);
    expect(await held()).toBe(1);
    admission.release();
    admission.release();
    await new Promise((resolve) => setImmediate(resolve));
    expect(await held()).toBe(0);
  });
});

describe('admitUser: a lease lost while the request runs', () => {
  it('reports it once, renews no more, and goes on', async () => {
    const inner = memoryLimitStore({ leaseMs: 60 });
    let renewals = 0;
    const store: ProxyLimitStore = { ...inner, leaseMs: 60, renewSlot: () => (renewals++, Promise.resolve(false)) };
    const heard: unknown[] = [];
    const admission = await admitUser(store, { maxConcurrentRequests: 1 }, 'u1', (error) => heard.push(error));
    await new Promise((resolve) => setTimeout(resolve, 150)); // some seven renewal periods
    admission.release();
    expect(renewals).toBe(1);
    expect(heard).toHaveLength(1);
    expect(String((heard[0] as Error).message)).toMatch(/no longer held a concurrency slot of u1/);
  });
});

describe('admitUser with a store that can give a request back to its window', () => {
  it('asks for the slot, the budget and the window at once', async () => {
    const { store, calls } = recordingStore([], true);
    const admission = await admitUser(store, limits, 'u1', () => undefined);
    expect(calls).toEqual(['acquireSlot', 'checkBudget', 'takeFromWindow']);
    admission.release();
  });

  it('gives the window back when the slot is full, so that only requests let in are counted', async () => {
    const { store, calls } = recordingStore([], true);
    const perMinute = { maxConcurrentRequests: 1, requestsPerMinute: 3 };
    const open = await admitUser(store, perMinute, 'u1', () => undefined);
    for (let i = 0; i < 5; i++) expect((await refusal(admitUser(store, perMinute, 'u1', () => undefined))).message).toMatch(/already has 1 request open/);
    await new Promise((resolve) => setImmediate(resolve));
    expect(calls.filter((call) => call === 'returnToWindow')).toHaveLength(5);
    open.release();
    await new Promise((resolve) => setImmediate(resolve));
    // One counted so far: two more are let in this minute, then the window refuses.
    for (let i = 0; i < 2; i++) {
      (await admitUser(store, perMinute, 'u1', () => undefined)).release();
      await new Promise((resolve) => setImmediate(resolve)); // the slot is given back in a later turn
    }
    expect((await refusal(admitUser(store, perMinute, 'u1', () => undefined))).message).toMatch(/made 3 requests this minute/);
  });

  it('gives the window back when the budget is spent, and when the store fails on the slot', async () => {
    const spentStore = recordingStore([], true);
    await spentStore.store.addToBudget('budget:u1', 100, 60_000);
    await refusal(admitUser(spentStore.store, limits, 'u1', () => undefined));
    const failing = recordingStore(['acquireSlot'], true);
    expect((await refusal(admitUser(failing.store, limits, 'u1', () => undefined))).status).toBe(503);
    await new Promise((resolve) => setImmediate(resolve));
    expect(spentStore.calls).toContain('returnToWindow');
    expect(failing.calls).toContain('returnToWindow');
  });

  it('gives nothing back for a request the window itself refused, and gives the slot back', async () => {
    const { store, calls, held } = recordingStore([], true);
    const perMinute = { maxConcurrentRequests: 2, requestsPerMinute: 1 };
    (await admitUser(store, perMinute, 'u1', () => undefined)).release();
    await new Promise((resolve) => setImmediate(resolve));
    expect((await refusal(admitUser(store, perMinute, 'u1', () => undefined))).message).toMatch(/made 1 requests this minute/);
    await new Promise((resolve) => setImmediate(resolve));
    expect(calls).not.toContain('returnToWindow');
    expect(await held()).toBe(0);
  });
});

describe('admitUser with a store that admits a request in one call', () => {
  /** A store whose `admit` answers `verdict` and records what it was asked; every other call is recorded too. */
  function admittingStore(verdict: AdmissionVerdict | Error): { store: ProxyLimitStore; calls: string[]; asked: AdmissionRequest[]; released: string[] } {
    const { store, calls } = recordingStore();
    const asked: AdmissionRequest[] = [];
    const released: string[] = [];
    return {
      calls,
      asked,
      released,
      store: {
        ...store,
        releaseSlot: (key, lease) => (released.push(`${key} ${lease}`), Promise.resolve()),
        admit: (request) => (calls.push('admit'), asked.push(request), verdict instanceof Error ? Promise.reject(verdict) : Promise.resolve(verdict)),
      },
    };
  }

  it('asks it once for every limit, and nothing else', async () => {
    const { store, calls, asked, released } = admittingStore({ granted: true, lease: 'lease-1' });
    const admission = await admitUser(store, limits, 'u1', () => undefined);
    expect(calls).toEqual(['admit']);
    expect(asked).toEqual([
      {
        slot: { key: 'concurrent:u1', limit: 2 },
        budget: { key: 'budget:u1', limit: 100, windowMs: 60_000 },
        window: { key: 'rate:u1', limit: 10, windowMs: 60_000 },
      },
    ]);
    admission.release();
    admission.release();
    await new Promise((resolve) => setImmediate(resolve));
    expect(released).toEqual(['concurrent:u1 lease-1']);
  });

  it('asks only the limits set', async () => {
    const { store, asked } = admittingStore({ granted: true, lease: undefined });
    (await admitUser(store, { requestsPerMinute: 5 }, 'u1', () => undefined)).release();
    expect(asked).toEqual([{ window: { key: 'rate:u1', limit: 5, windowMs: 60_000 } }]);
  });

  it.each([
    ['slot', /already has 2 requests open/],
    ['budget', /spent the 100 tokens/],
    ['window', /made 10 requests this minute/],
  ] as const)('refuses with 429 and retry-after, saying the %s is why', async (refusedBy, message) => {
    const { store } = admittingStore({ granted: false, refusedBy, retryAfterMs: 2500 });
    const error = await refusal(admitUser(store, limits, 'u1', () => undefined));
    expect(error.status).toBe(429);
    expect(error.message).toMatch(message);
    expect(error.responseHeaders()).toMatchObject({ 'retry-after': '3' });
  });

  it('refuses with 503 when it fails, and reports the failure', async () => {
    const { store } = admittingStore(new Error('admit failed'));
    const heard: unknown[] = [];
    const error = await refusal(admitUser(store, limits, 'u1', (failure) => heard.push(failure)));
    expect(error.status).toBe(503);
    expect(heard).toEqual([expect.objectContaining({ message: 'admit failed' })]);
  });
});
