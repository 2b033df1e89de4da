import { ProxyRefusalError } from './ProxyRefusalError';
import type { LimitVerdict, PerUserLimits, ProxyLimitStore } from './types';

/** A user's request let in by its limits: `release()` gives back its concurrency slot, once. */
export interface UserAdmission {
  release(): void;
}

const MINUTE_MS = 60_000;

const limitReached = (message: string, retryAfterMs: number): ProxyRefusalError =>
  new ProxyRefusalError(429, message, { retryAfterSeconds: retryAfterMs / 1000 });

/**
 * Asks the store at admission. A store that fails (Redis down, say) refuses the request with 503
 * `overloaded_error` and reports the error: a request the limits cannot count never goes through
 * unlimited. Nothing is remembered of the failure, so the next request asks the store again.
 */
async function askStore<T>(ask: () => Promise<T>, onStoreError: (error: unknown) => void): Promise<T> {
  try {
    return await ask();
  } catch (error) {
    onStoreError(error);
    throw new ProxyRefusalError(503, "The relay's limit store is unavailable, so it cannot admit requests now: try again shortly.", { retryAfterSeconds: 1 });
  }
}

/**
 * Lets one request of `user` in under the `perUser` limits, or refuses it with 429
 * `rate_limit_error` and `retry-after`: a concurrency slot (a lease, renewed every third of the
 * store's `leaseMs` until released, so that a relay that dies frees it), a budget with tokens left
 * (only read), and one request of the minute's window. They are asked at once, one round trip to a
 * shared store: the window is given back when the slot or the budget refuses (a store without
 * `returnToWindow` is asked for the window after them instead), so that only a request let in is
 * counted. A refusal gives the slot back; a full slot answers before a spent budget, and that
 * before a full window. A store with `admit` is asked for all of it in that one call instead
 * (a shared store's one command), and counts only what it lets in. A store that fails during
 * admission refuses with 503 `overloaded_error`, and reports the error.
 *
 * @param onStoreError Hears every failure of the store: at admission (the request is refused), or a renewal or release (the request goes on).
 */
export async function admitUser(store: ProxyLimitStore, limits: PerUserLimits, user: string, onStoreError: (error: unknown) => void): Promise<UserAdmission> {
  const slotKey = `concurrent:${user}`;
  const windowKey = `rate:${user}`;
  const { maxConcurrentRequests, tokenBudget, requestsPerMinute } = limits;
  if (typeof store.admit === 'function') {
    const admit = store.admit.bind(store);
    const verdict = await askStore(
      () =>
        admit({
          ...(maxConcurrentRequests !== undefined ? { slot: { key: slotKey, limit: maxConcurrentRequests } } : {}),
          ...(tokenBudget !== undefined ? { budget: { key: `budget:${user}`, limit: tokenBudget.tokens, windowMs: tokenBudget.perMs } } : {}),
          ...(requestsPerMinute !== undefined ? { window: { key: windowKey, limit: requestsPerMinute, windowMs: MINUTE_MS } } : {}),
        }),
      onStoreError,
    );
    if (!verdict.granted) throw refusalBy(verdict.refusedBy, limits, verdict.retryAfterMs);
    return { release: verdict.lease === undefined ? () => undefined : holdSlot(store, slotKey, verdict.lease, user, onStoreError) };
  }
  let release = (): void => undefined;
  const takeWindow = (perMinute: number): Promise<LimitVerdict> => askStore(() => store.takeFromWindow(windowKey, perMinute, MINUTE_MS), onStoreError);
  const windowAtOnce = requestsPerMinute !== undefined && typeof store.returnToWindow === 'function';
  const [slot, budget, window] = await Promise.allSettled([
    maxConcurrentRequests === undefined ? undefined : askStore(() => store.acquireSlot(slotKey, maxConcurrentRequests), onStoreError),
    tokenBudget === undefined ? undefined : askStore(() => store.checkBudget(`budget:${user}`, tokenBudget.tokens, tokenBudget.perMs), onStoreError),
    windowAtOnce ? takeWindow(requestsPerMinute) : undefined,
  ]);
  const grant = slot.status === 'fulfilled' ? slot.value : undefined;
  if (grant?.granted) release = holdSlot(store, slotKey, grant.lease, user, onStoreError);
  /** The window counted this request, and another limit refused it: give it back. */
  const returnWindow = (): void => {
    if (window.status !== 'fulfilled' || !window.value?.granted || requestsPerMinute === undefined) return;
    void Promise.resolve()
      .then(() => store.returnToWindow?.(windowKey, requestsPerMinute, MINUTE_MS))
      .catch(onStoreError);
  };
  try {
    if (slot.status === 'rejected') throw slot.reason;
    if (budget.status === 'rejected') throw budget.reason;
    if (grant && !grant.granted) throw refusalBy('slot', limits, grant.retryAfterMs);
    const spent = budget.value;
    if (spent && !spent.granted && tokenBudget) throw refusalBy('budget', limits, spent.retryAfterMs);
    if (requestsPerMinute !== undefined) {
      if (window.status === 'rejected') throw window.reason;
      const verdict = windowAtOnce ? (window.value as LimitVerdict) : await takeWindow(requestsPerMinute);
      if (!verdict.granted) throw refusalBy('window', limits, verdict.retryAfterMs);
    }
  } catch (error) {
    release();
    returnWindow();
    throw error;
  }
  return { release };
}

/** The 429 of the limit that refused a request. */
function refusalBy(limit: 'slot' | 'budget' | 'window', { maxConcurrentRequests, tokenBudget, requestsPerMinute }: PerUserLimits, retryAfterMs: number): ProxyRefusalError {
  if (limit === 'slot') {
    return limitReached(
      `This user already has ${maxConcurrentRequests} request${maxConcurrentRequests === 1 ? '' : 's'} open, the most this proxy allows at once: wait for one to end.`,
      retryAfterMs,
    );
  }
  if (limit === 'budget') return limitReached(`This user has spent the ${tokenBudget?.tokens} tokens this proxy allows per ${tokenBudget?.perMs} ms: try again later.`, retryAfterMs);
  return limitReached(`This user has made ${requestsPerMinute} requests this minute, the most this proxy allows: try again later.`, retryAfterMs);
}

/**
 * Holds a granted slot: renews its lease every third of the store's `leaseMs` until released. A
 * lease found expired (the relay stalled past `leaseMs`, or the store lost it) is reported once
 * and renewed no more: the stream goes on without its slot. Gives the function that releases it, once.
 */
function holdSlot(store: ProxyLimitStore, slotKey: string, lease: string, user: string, onStoreError: (error: unknown) => void): () => void {
  let renewing = true;
  const renew = (): Promise<void> =>
    store.renewSlot(slotKey, lease).then((held) => {
      if (held || !renewing) return;
      renewing = false;
      clearInterval(renewal);
      onStoreError(new Error(`The limit store no longer held a concurrency slot of ${user} when the relay renewed it (its lease of ${store.leaseMs} ms had expired); the stream goes on without it.`));
    });
  // Through a promise, so that a store that throws instead of rejecting cannot crash the process from a timer.
  const renewal = setInterval(() => void Promise.resolve().then(renew).catch(onStoreError), Math.max(1, store.leaseMs / 3));
  renewal.unref?.();
  let held = true;
  return () => {
    if (!held) return;
    held = false;
    clearInterval(renewal);
    void Promise.resolve().then(() => store.releaseSlot(slotKey, lease)).catch(onStoreError);
  };
}
