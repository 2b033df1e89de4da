import { firstValueFrom, lastValueFrom, Observable, take, timeout, toArray } from 'rxjs';
import type { ProxyStreamStore } from 'rx-anthropic/proxy';
import { numberEvents } from '../../../lib/proxy/numberEvents';

/**
 * The contract every `ProxyStreamStore` keeps, run against each implementation (in memory, on
 * Redis): append and read, after n, live, the end, the ttl, stop requests, the lease, the bounds.
 */

/** What a contract run needs: a fresh store with these timings and bound, and a unique id per stream. */
export interface StoreUnderTest {
  make(options: { leaseMs: number; ttlMs: number; maxStreamBytes: number }): ProxyStreamStore;
  newId(): string;
}

const LEASE_MS = 300;
const TTL_MS = 400;
const MAX_STREAM_BYTES = 4_000;

/** `count` SSE events as the API writes them, `event: e<n>` with a data line. */
const events = (from: number, count: number): Buffer =>
  Buffer.from(Array.from({ length: count }, (_, index) => `event: e${from + index}\ndata: {"n":${from + index}}\n\n`).join(''));

/** Appends `count` events (numbered from `first`) as one chunk; returns the frames. */
async function appendEvents(store: ProxyStreamStore, id: string, first: number, count: number): Promise<string> {
  const chunk = numberEvents(events(first, count), first);
  expect(await store.append(id, chunk.first, chunk.frames, chunk.count)).toBe(true);
  return chunk.frames.toString('utf8');
}

/** Everything `frames$` gives until it completes, as text; fails after `ms` naming `what`. */
const readAll = (frames$: Observable<Uint8Array>, ms: number, what: string): Promise<string> =>
  lastValueFrom(frames$.pipe(timeout({ first: ms, each: ms, with: () => Promise.reject(new Error(`${what}: nothing within ${ms} ms`)) }), toArray())).then((pieces) =>
    Buffer.concat(pieces.map((piece) => Buffer.from(piece))).toString('utf8'),
  );

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Reads `owner`'s stream, failing the test when it is not found. */
async function opened(store: ProxyStreamStore, id: string, owner: string, after: number): Promise<Observable<Uint8Array>> {
  const frames$ = await store.read(id, owner, after);
  if (!frames$) throw new Error(`stream ${id} not found for ${owner}`);
  return frames$;
}

export function streamStoreContract(subject: StoreUnderTest): void {
  const stores: ProxyStreamStore[] = [];
  const make = (overrides: Partial<{ leaseMs: number; ttlMs: number; maxStreamBytes: number }> = {}): ProxyStreamStore => {
    const store = subject.make({ leaseMs: LEASE_MS, ttlMs: TTL_MS, maxStreamBytes: MAX_STREAM_BYTES, ...overrides });
    stores.push(store);
    return store;
  };

  it('gives the frames appended, then the live ones, and completes at the end', async () => {
    const store = make();
    const id = subject.newId();
    await store.create(id, 'user:u1');
    const head = (await appendEvents(store, id, 1, 3)) + (await appendEvents(store, id, 4, 2));
    const reading = readAll(await opened(store, id, 'user:u1', 0), 2_000, 'the frames until the end');
    await sleep(50);
    const live = await appendEvents(store, id, 6, 4);
    await store.end(id);
    expect(await reading).toBe(head + live);
  });

  it('reads after event n: the chunk that holds n + 1 is cut there, and an ended stream read after its last event completes at once', async () => {
    const store = make();
    const id = subject.newId();
    await store.create(id, 'user:u1');
    const first = await appendEvents(store, id, 1, 4);
    const second = await appendEvents(store, id, 5, 3);
    await store.end(id);
    const all = first + second;
    const frames = all.split(/(?<=\n\n)/);
    for (let after = 0; after <= 7; after += 1) {
      expect(await readAll(await opened(store, id, 'user:u1', after), 1_000, `the frames after ${after}`)).toBe(frames.slice(after).join(''));
    }
    expect(await readAll(await opened(store, id, 'user:u1', 40), 1_000, 'the end past the last event')).toBe('');
  });

  it('does not find a stream for another owner, or one never created', async () => {
    const store = make();
    const id = subject.newId();
    await store.create(id, 'user:u1');
    await appendEvents(store, id, 1, 2);
    expect(await store.read(id, 'user:u2', 0)).toBeUndefined();
    expect(await store.read(id, 'anonymous', 0)).toBeUndefined();
    expect(await store.read(subject.newId(), 'user:u1', 0)).toBeUndefined();
    expect(await store.requestStop(id, 'user:u2')).toBe(false);
    expect(await store.requestStop(subject.newId(), 'user:u1')).toBe(false);
    expect(await store.renew(id)).toBe(true);
  });

  it('appends nothing after the end, nor out of step', async () => {
    const store = make();
    const id = subject.newId();
    await store.create(id, 'user:u1');
    const kept = await appendEvents(store, id, 1, 2);
    const stray = numberEvents(events(9, 1), 9);
    expect(await store.append(id, 9, stray.frames, 1)).toBe(false);
    await store.end(id);
    const late = numberEvents(events(3, 1), 3);
    expect(await store.append(id, 3, late.frames, 1)).toBe(false);
    expect(await store.renew(id)).toBe(false);
    expect(await readAll(await opened(store, id, 'user:u1', 0), 1_000, 'the ended stream')).toBe(kept);
  });

  it('forgets an ended stream after its ttl', async () => {
    const store = make();
    const id = subject.newId();
    await store.create(id, 'user:u1');
    await appendEvents(store, id, 1, 2);
    await store.end(id);
    expect(await store.read(id, 'user:u1', 0)).toBeDefined();
    await sleep(TTL_MS + 250);
    expect(await store.read(id, 'user:u1', 0)).toBeUndefined();
  });

  it("tells the holder of a stop its owner requested, and renewing it then fails; another owner's request is not heard", async () => {
    const store = make();
    const id = subject.newId();
    await store.create(id, 'user:u1');
    const heard = firstValueFrom(store.stopRequests(id).pipe(take(1), timeout({ first: 2_000, with: () => Promise.reject(new Error('no stop request heard within 2 s')) })));
    await sleep(100);
    expect(await store.requestStop(id, 'user:u2')).toBe(false);
    expect(await store.renew(id)).toBe(true);
    expect(await store.requestStop(id, 'user:u1')).toBe(true);
    await heard;
    expect(await store.renew(id)).toBe(false);
  });

  it('ends the stream of a holder that stopped renewing with one error frame, numbered next, for every reader', async () => {
    const store = make();
    const id = subject.newId();
    await store.create(id, 'user:u1');
    const head = await appendEvents(store, id, 1, 3);
    const started = Date.now();
    const readers = [readAll(await opened(store, id, 'user:u1', 0), 3 * LEASE_MS + 2_000, 'the end of a stream whose holder is gone'), readAll(await opened(store, id, 'user:u1', 2), 3 * LEASE_MS + 2_000, 'the same end, read after 2')];
    const [whole, tail] = await Promise.all(readers);
    const error =
      'id: 4\nevent: error\ndata: {"type":"error","error":{"type":"api_error","message":"The relay instance that held this stream stopped before it ended."}}\n\n';
    expect(whole).toBe(head + error);
    expect(tail).toBe(head.split(/(?<=\n\n)/).slice(2).join('') + error);
    expect(Date.now() - started).toBeLessThan(3 * LEASE_MS + 2_000);
    // The holder, back, finds it ended.
    const late = numberEvents(events(4, 1), 4);
    expect(await store.append(id, 4, late.frames, 1)).toBe(false);
    expect(await store.renew(id)).toBe(false);
  });

  it('keeps a stream whose holder renews: a reader waiting three leases gets no error', async () => {
    const store = make();
    const id = subject.newId();
    await store.create(id, 'user:u1');
    const renewal = setInterval(() => void store.renew(id), LEASE_MS / 3);
    try {
      const reading = readAll(await opened(store, id, 'user:u1', 0), 3 * LEASE_MS + 2_000, 'the live frames');
      await sleep(3 * LEASE_MS);
      const live = await appendEvents(store, id, 1, 2);
      await store.end(id);
      expect(await reading).toBe(live);
    } finally {
      clearInterval(renewal);
    }
  });

  it('drops a stream that grows past maxStreamBytes: the append says so, and the stream is not found', async () => {
    const store = make({ maxStreamBytes: 600 });
    const id = subject.newId();
    await store.create(id, 'user:u1');
    await appendEvents(store, id, 1, 5);
    const big = numberEvents(events(6, 20), 6);
    expect(await store.append(id, 6, big.frames, big.count)).toBe(false);
    expect(await store.read(id, 'user:u1', 0)).toBeUndefined();
  });
}
