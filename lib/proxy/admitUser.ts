import { ProxyRefusalError } from './ProxyRefusalError';
import type { PerUserLimits, ProxyLimitStore } from './types';

/** A user's request let in by its limits: `release()` gives back its concurrency slot, once. */
export interface UserAdmission {
  release(): void;
}

const MINUTE_MS = 60_000;

const limitReached = (message: string, retryAfterMs: number): ProxyRefusalError =>
  new ProxyRefusalError(429, message, { retryAfterSeconds: retryAfterMs / 1000 });

/**
 * Lets one request of `user` in under the `perUser` limits, or refuses it with 429
 * `rate_limit_error` and `retry-after`: a concurrency slot (a lease, renewed every third of the
 * store's `leaseMs` until released, so that a relay that dies frees it), then one request of the
 * minute's window, then a budget with tokens left. A refusal after the slot was taken gives it back.
 *
 * @param onStoreError Hears a renewal or release the store failed (the request goes on).
 */
export async function admitUser(store: ProxyLimitStore, limits: PerUserLimits, user: string, onStoreError: (error: unknown) => void): Promise<UserAdmission> {
  let release = (): void => undefined;
  if (limits.maxConcurrentRequests !== undefined) {
    const key = `concurrent:${user}`;
    const grant = await store.acquireSlot(key, limits.maxConcurrentRequests);
    if (!grant.granted) {
      throw limitReached(
        `This user already has ${limits.maxConcurrentRequests} request${limits.maxConcurrentRequests === 1 ? '' : 's'} open, the most this proxy allows at once: wait for one to end.`,
        grant.retryAfterMs,
      );
    }
    const renewal = setInterval(() => void store.renewSlot(key, grant.lease).catch(onStoreError), Math.max(1, store.leaseMs / 3));
    renewal.unref?.();
    let held = true;
    release = () => {
      if (!held) return;
      held = false;
      clearInterval(renewal);
      store.releaseSlot(key, grant.lease).catch(onStoreError);
    };
  }
  try {
    if (limits.requestsPerMinute !== undefined) {
      const verdict = await store.takeFromWindow(`rate:${user}`, limits.requestsPerMinute, MINUTE_MS);
      if (!verdict.granted) {
        throw limitReached(`This user has made ${limits.requestsPerMinute} requests this minute, the most this proxy allows: try again later.`, verdict.retryAfterMs);
      }
    }
    if (limits.tokenBudget !== undefined) {
      const { tokens, perMs } = limits.tokenBudget;
      const verdict = await store.checkBudget(`budget:${user}`, tokens, perMs);
      if (!verdict.granted) throw limitReached(`This user has spent the ${tokens} tokens this proxy allows per ${perMs} ms: try again later.`, verdict.retryAfterMs);
    }
  } catch (error) {
    release();
    throw error;
  }
  return { release };
}
