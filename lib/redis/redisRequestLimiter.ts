import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { Observable, type Subscription } from 'rxjs';
import { rateLimitPauseMs } from '../concurrency/rateLimitPauseMs';
import type { RequestLimiter } from '../concurrency/RequestLimiter';
import { InvalidArgumentError, LimiterUnavailableError } from '../errors';
import type { ResponseInfo } from '../transport/HttpRequest';
import { defineLimiterCommands, type LimiterCommands } from './limiterScripts';

/**
 * Options of {@link redisRequestLimiter}.
 *
 * ## Example
 * ```ts
 * const options: RedisRequestLimiterOptions = { key: 'claude-batch', maxConcurrentRequests: 8, leaseMs: 30_000, onStoreError: 'refuse' };
 * const limiter = redisRequestLimiter(redis, options);
 * ```
 */
export interface RedisRequestLimiterOptions {
  /** The shared limit's name: every process (and client) with the same key, Redis and `prefix` shares its places and pauses. */
  key: string;
  /** At most this many requests of all those processes are open at once (a whole number, at least 1). */
  maxConcurrentRequests: number;
  /**
   * How long a place stays taken without being renewed, in ms (a whole number, at least 30). A
   * running request renews its place every `leaseMs / 3`; a process that dies stops renewing, and
   * its places are free again `leaseMs` later at most. Default 30 000.
   */
  leaseMs?: number;
  /**
   * `'respect'`: a response that says a rate limit is used up (a 429 with `retry-after`,
   * `anthropic-ratelimit-*-remaining: 0` until its reset), seen by any process, holds back the new
   * requests of all of them until then (requests already sent go on). Default `'respect'`.
   */
  rateLimit?: 'respect' | 'ignore';
  /** A longer pause asked by a response is cut to this many ms. Default 60 000. */
  maxPauseMs?: number;
  /**
   * What a request does when Redis fails (an error, no answer within `storeTimeoutMs`, a lost
   * connection): `'allow'` sends it without the shared limit, with one warning per outage
   * (`onWarning`); `'refuse'` fails it with {@link LimiterUnavailableError}, unsent. Either way the
   * limiter tries Redis again a second later, and limits again once it answers. Default `'allow'`.
   */
  onStoreError?: 'allow' | 'refuse';
  /** Where the warning of `onStoreError: 'allow'` goes, with Redis's error. Default `console.warn`. */
  onWarning?: (message: string, cause: unknown) => void;
  /** How long to wait for an answer from Redis before taking it as failed, in ms. Default 2 000. */
  storeTimeoutMs?: number;
  /** What every key (and the channel) of the limiter starts with. Default `'rx-anthropic:limiter:'`. */
  prefix?: string;
}

/** The longest a waiting request goes without asking Redis again, should a wake-up message be lost. */
const POLL_MS = 1_000;
/** After Redis failed, requests skip it (and take `onStoreError`'s way) this long before it is tried again. */
const STORE_RETRY_MS = 1_000;

interface Waiter {
  /** Starts the request; `lease` is `undefined` when it goes without the shared limit (`onStoreError: 'allow'`). */
  grant(lease: string | undefined): void;
  fail(error: unknown): void;
}

function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function checkOptions(redis: unknown, options: unknown): asserts options is RedisRequestLimiterOptions {
  const client = redis as { defineCommand?: unknown; duplicate?: unknown } | null | undefined;
  if (typeof client?.defineCommand !== 'function' || typeof client.duplicate !== 'function') {
    throw new InvalidArgumentError('redis', 'redisRequestLimiter: redis must be an ioredis client (`new Redis(url)`).');
  }
  if (typeof options !== 'object' || options === null) throw new InvalidArgumentError('options', 'redisRequestLimiter takes an options object with at least key and maxConcurrentRequests.');
  const o = options as Record<keyof RedisRequestLimiterOptions, unknown>;
  const refuse = (name: string, message: string): never => {
    throw new InvalidArgumentError(name, `redisRequestLimiter: ${message}`);
  };
  if (typeof o.key !== 'string' || o.key === '') refuse('key', `key must be a non-empty string naming the shared limit, not ${JSON.stringify(o.key) ?? String(o.key)}.`);
  const whole = (name: keyof RedisRequestLimiterOptions, minimum: number, optional: boolean): void => {
    const value = o[name];
    if (optional && value === undefined) return;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < minimum) refuse(name, `${name} must be a whole number of at least ${minimum}, not ${String(value)}.`);
  };
  whole('maxConcurrentRequests', 1, false);
  whole('leaseMs', 30, true);
  whole('maxPauseMs', 1, true);
  whole('storeTimeoutMs', 1, true);
  if (o.rateLimit !== undefined && o.rateLimit !== 'respect' && o.rateLimit !== 'ignore') refuse('rateLimit', `rateLimit must be 'respect' or 'ignore', not ${String(o.rateLimit)}.`);
  if (o.onStoreError !== undefined && o.onStoreError !== 'allow' && o.onStoreError !== 'refuse') {
    refuse('onStoreError', `onStoreError must be 'allow' or 'refuse', not ${String(o.onStoreError)}.`);
  }
  if (o.onWarning !== undefined && typeof o.onWarning !== 'function') refuse('onWarning', 'onWarning must be a function of (message, cause).');
  if (o.prefix !== undefined && typeof o.prefix !== 'string') refuse('prefix', `prefix must be a string, not ${typeof o.prefix}.`);
}

/**
 * A {@link RequestLimiter} whose places and pauses live in Redis, so that every process (and
 * client) using the same `key` shares one limit: at most `maxConcurrentRequests` requests open
 * among all of them, and a rate limit met by one holds all of them back.
 *
 * A place is a lease in a sorted set, taken and renewed by small Lua scripts timed by Redis's own
 * clock (`TIME`): taken when fewer than `maxConcurrentRequests` live leases are held and no pause
 * lasts, renewed every `leaseMs / 3` while the request runs, and given back when it completes,
 * fails or is unsubscribed. A process that dies stops renewing, and its places are free again
 * within `leaseMs`. With `rateLimit: 'respect'`, a response's rate-limit signals (see
 * `rateLimitPauseMs`) set a pause in Redis (a key that expires when the pause ends, only ever
 * lengthened) that no process takes a place during.
 *
 * A request that finds no place waits: a second connection (`redis.duplicate()`, opened when a
 * request first waits and closed when none does) hears about every place given back, and the
 * request asks again when a pause or the earliest lease ends, and at least every second should a
 * message be lost. Within a process, requests get places in subscription order; between
 * processes, whoever asks first. Unsubscribing a waiting request leaves no lease and no timer.
 *
 * When Redis fails, `onStoreError` decides: `'allow'` (the default) lets requests through without
 * the shared limit and warns once, `'refuse'` fails them with {@link LimiterUnavailableError}. The
 * limiter tries Redis again by itself; leases of requests still running are written back when
 * they are renewed, so a Redis that restarts empty counts them again. Give the ioredis client a
 * small `maxRetriesPerRequest`, so that a command fails soon when Redis is down; `storeTimeoutMs`
 * bounds the wait in any case. Needs Redis 5 or later (scripts that write after `TIME`).
 *
 * ## Example
 * ```ts
 * import { Redis } from 'ioredis';
 * import { createClient } from 'rx-anthropic';
 * import { redisRequestLimiter } from 'rx-anthropic/redis';
 *
 * const redis = new Redis(process.env.REDIS_URL!, { maxRetriesPerRequest: 1 });
 * // In every worker process: 8 requests at most among all of them.
 * const client = createClient({ limiter: redisRequestLimiter(redis, { key: 'claude-batch', maxConcurrentRequests: 8 }) });
 * from(documents).pipe(mergeMap((document) => client.messages.stream(paramsFor(document)).pipe(finalText())));
 * ```
 *
 * @param redis An ioredis client; the limiter defines its scripts on it, duplicates it for
 *   wake-ups, and never closes it.
 * @param options `key` and `maxConcurrentRequests`, and how leases, rate limits and failures of Redis are handled.
 * @return The limiter, for `createClient({ limiter })` or `limiter.limit(request$)`.
 * @throws InvalidArgumentError when `redis` is not an ioredis client or an option cannot be used.
 * @see RequestLimiter
 * @see LocalRequestLimiter
 */
export function redisRequestLimiter(redis: Redis, options: RedisRequestLimiterOptions): RequestLimiter {
  checkOptions(redis, options);
  return new RedisRequestLimiter(redis, options);
}

class RedisRequestLimiter implements RequestLimiter {
  private readonly redis: Redis & LimiterCommands;
  private readonly key: string;
  private readonly maxConcurrent: number;
  private readonly leaseMs: number;
  private readonly respectRateLimits: boolean;
  private readonly maxPauseMs: number;
  private readonly refuseWithoutStore: boolean;
  private readonly warn: (message: string, cause: unknown) => void;
  private readonly storeTimeoutMs: number;
  private readonly leasesKey: string;
  private readonly pauseKey: string;
  private readonly channel: string;

  private readonly queue: Waiter[] = [];
  private readonly held = new Set<string>();
  /** An acquire is on its way to Redis; there is never more than one, for the head of the queue. */
  private asking = false;
  /** A place was given back while asking: the refusal may be stale, so ask again at once. */
  private wokenWhileAsking = false;
  private wake: ReturnType<typeof setTimeout> | undefined;
  private renewal: ReturnType<typeof setInterval> | undefined;
  private subscriber: Redis | undefined;
  /** The end of the latest pause this process asked for, by its own clock: it waits without asking Redis. */
  private localPauseEnd = 0;
  private storeDownUntil = 0;
  private storeError: unknown;
  private warned = false;

  constructor(redis: Redis, options: RedisRequestLimiterOptions) {
    this.redis = defineLimiterCommands(redis);
    this.key = options.key;
    this.maxConcurrent = options.maxConcurrentRequests;
    this.leaseMs = options.leaseMs ?? 30_000;
    this.respectRateLimits = (options.rateLimit ?? 'respect') === 'respect';
    this.maxPauseMs = options.maxPauseMs ?? 60_000;
    this.refuseWithoutStore = options.onStoreError === 'refuse';
    this.warn = options.onWarning ?? ((message) => console.warn(message));
    this.storeTimeoutMs = options.storeTimeoutMs ?? 2_000;
    // One hash tag for the limit's keys: they land in one slot of a Redis Cluster, as its scripts need.
    const base = `${options.prefix ?? 'rx-anthropic:limiter:'}{${options.key}}`;
    this.leasesKey = `${base}:leases`;
    this.pauseKey = `${base}:pause`;
    this.channel = `${base}:released`;
  }

  limit<T>(request: Observable<T>): Observable<T> {
    return new Observable<T>((subscriber) => {
      let lease: string | undefined;
      let inner: Subscription | undefined;
      const waiter: Waiter = {
        grant: (granted) => {
          lease = granted;
          inner = request.subscribe({
            next: (value) => subscriber.next(value),
            error: (error: unknown) => subscriber.error(error),
            complete: () => subscriber.complete(),
          });
        },
        fail: (error) => subscriber.error(error),
      };
      this.queue.push(waiter);
      this.pump();
      return () => {
        this.leave(waiter);
        inner?.unsubscribe();
        if (lease !== undefined) this.release(lease);
        lease = undefined;
      };
    });
  }

  observeResponse(response: ResponseInfo): void {
    if (!this.respectRateLimits) return;
    const wait = rateLimitPauseMs(response, Date.now());
    if (wait === undefined) return;
    const ms = Math.ceil(Math.min(wait, this.maxPauseMs));
    this.localPauseEnd = Math.max(this.localPauseEnd, Date.now() + ms);
    // Should Redis fail, this process still keeps the pause; the others hear of it from their own responses.
    this.store(() => this.redis.rxAnthropicLimiterPause(this.pauseKey, ms)).catch(() => undefined);
  }

  /** Gives the head of the queue a place, if Redis has one; otherwise waits for a wake-up. */
  private pump(): void {
    if (this.queue.length === 0) return this.idle();
    if (this.asking) {
      this.wokenWhileAsking = true;
      return;
    }
    const now = Date.now();
    // A pause this process heard of holds even while Redis is down.
    if (now < this.localPauseEnd) return this.waitFor(this.localPauseEnd - now);
    if (now < this.storeDownUntil) return this.withoutStore();
    this.clearWake();
    this.asking = true;
    this.wokenWhileAsking = false;
    const lease = randomUUID();
    const acquire = () => this.redis.rxAnthropicLimiterAcquire(this.leasesKey, this.pauseKey, this.maxConcurrent, this.leaseMs, lease);
    // An answer after the timeout may still have taken the place: give it back at once.
    this.store(acquire, (late) => late[0] === 1 && this.giveBack(lease)).then(
      (answer) => {
        this.asking = false;
        this.storeAnswered();
        if (answer[0] === 1) {
          const waiter = this.queue.shift();
          if (waiter === undefined) {
            this.giveBack(lease);
            return this.idle();
          }
          this.hold(lease);
          waiter.grant(lease);
          return this.pump();
        }
        if (this.queue.length === 0) return this.idle();
        if (this.wokenWhileAsking) return this.pump();
        this.waitFor(answer[1]);
      },
      (error: unknown) => {
        this.asking = false;
        this.storeFailed(error);
        this.pump();
      },
    );
  }

  /** Asks again after `ms` (at most {@link POLL_MS}), or sooner when a place is given back. */
  private waitFor(ms: number): void {
    this.listen();
    this.clearWake();
    // A few ms more, so as not to ask just before the pause or lease ends; spread so that processes do not ask in step.
    const delay = Math.min(Math.max(ms, 0), POLL_MS) + 2 + Math.floor(Math.random() * 8);
    this.wake = setTimeout(() => {
      this.wake = undefined;
      this.pump();
    }, delay);
  }

  private listen(): void {
    if (this.subscriber !== undefined) return;
    const subscriber = this.redis.duplicate();
    this.subscriber = subscriber;
    // Its failures change nothing: the requests' own commands meet them, and waiting falls back to polling.
    subscriber.on('error', () => undefined);
    subscriber.on('message', () => this.subscriber === subscriber && this.pump());
    subscriber.subscribe(this.channel).then(
      // A place given back before the subscription took effect was not heard: ask once more.
      () => this.subscriber === subscriber && this.pump(),
      () => undefined,
    );
  }

  /** Nobody waits: no timer, no second connection. */
  private idle(): void {
    this.clearWake();
    const subscriber = this.subscriber;
    this.subscriber = undefined;
    subscriber?.disconnect();
  }

  private leave(waiter: Waiter): void {
    const index = this.queue.indexOf(waiter);
    if (index < 0) return;
    this.queue.splice(index, 1);
    if (this.queue.length === 0) this.idle();
  }

  private clearWake(): void {
    if (this.wake !== undefined) clearTimeout(this.wake);
    this.wake = undefined;
  }

  private hold(lease: string): void {
    this.held.add(lease);
    this.renewal ??= setInterval(() => {
      // A renewal that fails is not retried: the lease lasts leaseMs, and the next renewal writes it back.
      this.store(() => this.redis.rxAnthropicLimiterRenew(this.leasesKey, this.leaseMs, ...this.held)).catch(() => undefined);
    }, Math.floor(this.leaseMs / 3));
  }

  private release(lease: string): void {
    if (!this.held.delete(lease)) return;
    if (this.held.size === 0) {
      clearInterval(this.renewal);
      this.renewal = undefined;
    }
    this.giveBack(lease);
  }

  /** Should Redis not hear of it, the lease expires by itself within leaseMs. */
  private giveBack(lease: string): void {
    this.store(() => this.redis.rxAnthropicLimiterRelease(this.leasesKey, lease, this.channel)).catch(() => undefined);
  }

  /** Every waiter goes the way `onStoreError` says, at once. */
  private withoutStore(): void {
    const waiting = this.queue.splice(0);
    this.idle();
    const cause = this.storeError;
    for (const waiter of waiting) {
      if (!this.refuseWithoutStore) {
        waiter.grant(undefined);
        continue;
      }
      const message =
        `redisRequestLimiter "${this.key}": Redis failed (${describeError(cause)}), so the request was not sent (onStoreError: 'refuse'). ` +
        `The limiter tries Redis again by itself; onStoreError: 'allow' sends requests without the shared limit while Redis is down.`;
      waiter.fail(new LimiterUnavailableError(this.key, message, cause));
    }
  }

  private storeFailed(error: unknown): void {
    this.storeError = error;
    this.storeDownUntil = Date.now() + STORE_RETRY_MS;
    if (this.refuseWithoutStore || this.warned) return;
    this.warned = true;
    this.warn(
      `redisRequestLimiter "${this.key}": Redis failed (${describeError(error)}), so requests go without the shared limit of ${this.maxConcurrent} ` +
        `(onStoreError: 'allow') until it answers again.`,
      error,
    );
  }

  private storeAnswered(): void {
    this.storeDownUntil = 0;
    this.storeError = undefined;
    this.warned = false;
  }

  /**
   * Runs a command, failing at once when the connection is known to be lost and after
   * `storeTimeoutMs` without an answer (ioredis would otherwise hold it until it reconnects).
   */
  private store<T>(command: () => Promise<T>, onLateAnswer?: (value: T) => void): Promise<T> {
    const status = this.redis.status;
    if (status === 'reconnecting' || status === 'close' || status === 'end') {
      return Promise.reject(new Error(`connection lost, ioredis status "${status}"`));
    }
    return new Promise<T>((resolve, reject) => {
      let timedOut = false;
      const timer = setTimeout(() => {
        timedOut = true;
        reject(new Error(`Redis did not answer within ${this.storeTimeoutMs} ms`));
      }, this.storeTimeoutMs);
      command().then(
        (value) => {
          clearTimeout(timer);
          if (timedOut) onLateAnswer?.(value);
          else resolve(value);
        },
        (error: unknown) => {
          clearTimeout(timer);
          if (!timedOut) reject(error);
        },
      );
    });
  }
}
