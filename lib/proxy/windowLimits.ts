import { RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { LimitVerdict, ProxyLimitStore } from './types';

/**
 * How soon a browser refused for concurrency is told to retry, at most: a slot frees when a request
 * ends, which nobody can foresee (and long before a lease would expire).
 */
export const SLOT_RETRY_AFTER_MS = 1000;

/** The limiter of a store for a kind of count, its limit and its window: one per combination, kept by the store. */
export type LimiterOf = (kind: 'rate' | 'budget', points: number, windowMs: number) => RateLimiterAbstract;

/**
 * The rate windows and token budgets of a {@link ProxyLimitStore}, on `rate-limiter-flexible`
 * limiters (in memory or on Redis, the same calls): a window is `consume`d and given back with
 * `reward`; a budget is only counted (`penalty`, `get`) and compared with its limit here, so one
 * limiter per window length holds every budget of that length, whatever its limit.
 *
 * @param limiter The store's limiter for a kind, a limit and a window.
 * @return `takeFromWindow`, `returnToWindow`, `checkBudget` and `addToBudget`.
 */
export function windowLimits(limiter: LimiterOf): Pick<ProxyLimitStore, 'takeFromWindow' | 'checkBudget' | 'addToBudget'> & Required<Pick<ProxyLimitStore, 'returnToWindow'>> {
  const budget = (windowMs: number): RateLimiterAbstract => limiter('budget', 1, windowMs);
  return {
    async takeFromWindow(key: string, limit: number, windowMs: number): Promise<LimitVerdict> {
      try {
        await limiter('rate', limit, windowMs).consume(key, 1);
        return { granted: true };
      } catch (refusal) {
        if (refusal instanceof RateLimiterRes) return { granted: false, retryAfterMs: refusal.msBeforeNext };
        throw refusal;
      }
    },
    async returnToWindow(key: string, limit: number, windowMs: number): Promise<void> {
      await limiter('rate', limit, windowMs).reward(key, 1);
    },
    async checkBudget(key: string, limit: number, windowMs: number): Promise<LimitVerdict> {
      const spent = await budget(windowMs).get(key);
      return spent && spent.consumedPoints >= limit ? { granted: false, retryAfterMs: spent.msBeforeNext } : { granted: true };
    },
    async addToBudget(key: string, amount: number, windowMs: number): Promise<void> {
      await budget(windowMs).penalty(key, amount);
    },
  };
}
