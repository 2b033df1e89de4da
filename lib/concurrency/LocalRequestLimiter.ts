import { asyncScheduler, finalize, mergeMap, Observable, type SchedulerLike, type Subscription } from 'rxjs';
import type { RequestLimiter } from './RequestLimiter';
import { rateLimitPauseMs, type RateLimitSignal } from './rateLimitPauseMs';

/**
 * Gives back a place taken with {@link LocalRequestLimiter.acquire}. Calling it again does nothing.
 *
 * ## Example
 * ```ts
 * limiter.acquire().pipe(mergeMap((release: ReleasePlace) => request$.pipe(finalize(release))));
 * ```
 */
export type ReleasePlace = () => void;

/**
 * Options of {@link LocalRequestLimiter}.
 *
 * ## Example
 * ```ts
 * const options: RequestLimiterOptions = { maxConcurrent: 2, rateLimit: 'respect', maxPauseMs: 30_000 };
 * const limiter = new LocalRequestLimiter(options);
 * ```
 */
export interface RequestLimiterOptions {
  /** At most this many places are held at once (a whole number, at least 1). Default: no limit. */
  maxConcurrent?: number;
  /**
   * `'respect'`: responses given to {@link LocalRequestLimiter.observeResponse} can pause the queue
   * (a 429's `retry-after`, a rate limit at 0 until its reset time). Default `'ignore'`.
   */
  rateLimit?: 'respect' | 'ignore';
  /** Where pauses are timed (a `TestScheduler` in tests). Default `asyncScheduler`. */
  scheduler?: SchedulerLike;
  /** The wall clock that RFC 3339 reset times are compared with. Default `Date.now`. */
  wallClock?: () => number;
  /** A longer pause asked by a response is cut to this many milliseconds. Default 60 000. */
  maxPauseMs?: number;
}

interface Waiter {
  grant(): void;
}

/**
 * The in-process {@link RequestLimiter}: a first-in, first-out queue of places for requests, at
 * most `maxConcurrent` held at once, and while the queue is paused (by a rate-limited response)
 * nobody new gets one.
 *
 * `acquire()` is cold and cancellable: subscribing joins the queue, unsubscribing before the
 * place is granted leaves it; once granted, the place is held until the release function it
 * emitted is called or the subscription ends, whichever comes first, so nothing leaks when a
 * consumer goes away. `limit(request$)` wraps an Observable so that it only starts with a place
 * and frees it when it completes, fails or is unsubscribed. The client's `maxConcurrentRequests`
 * and `rateLimit` options build one of these and put every request of the client through it;
 * `createClient({ limiter })` takes one built by hand, to share it between clients. Its limits
 * hold within one process; `redisRequestLimiter` (`rx-anthropic/redis`) shares them between
 * processes. It was called `RequestLimiter` before that name became the interface: the value
 * `RequestLimiter` is still this class, so `new RequestLimiter(options)` keeps working.
 *
 * ## Example
 * ```ts
 * import { createClient, LocalRequestLimiter } from 'rx-anthropic';
 *
 * const limiter = new LocalRequestLimiter({ maxConcurrent: 2, rateLimit: 'respect' });
 * const fast = createClient({ limiter });
 * const careful = createClient({ limiter, maxRetries: 5 }); // the two clients share the two places
 *
 * // Or around any Observable, reporting responses by hand:
 * const limited$ = limiter.limit(client.messages.stream(params, { onResponse: (info) => limiter.observeResponse(info) }));
 *
 * // Or hold a place by hand, as long as some work runs:
 * limiter.acquire().pipe(switchMap((release) => work$.pipe(finalize(release)))).subscribe();
 * ```
 *
 * @see RequestLimiter
 * @see createClient
 * @see rateLimitPauseMs
 */
export class LocalRequestLimiter implements RequestLimiter {
  /** The most places held at once (`Infinity` when unlimited). */
  readonly maxConcurrent: number;
  private readonly respectRateLimits: boolean;
  private readonly scheduler: SchedulerLike;
  private readonly wallClock: () => number;
  private readonly maxPauseMs: number;
  private readonly queue: Waiter[] = [];
  private held = 0;
  /** In the scheduler's time. */
  private pauseEnd: number | undefined;
  private wake: Subscription | undefined;
  private draining = false;

  /**
   * @param options The limit, whether to respect rate-limit headers, the scheduler.
   * @throws RangeError when `maxConcurrent` is not a whole number of at least 1.
   */
  constructor(options: RequestLimiterOptions = {}) {
    const maxConcurrent = options.maxConcurrent ?? Infinity;
    if (!(maxConcurrent >= 1) || (maxConcurrent !== Infinity && !Number.isInteger(maxConcurrent))) {
      throw new RangeError(`maxConcurrent must be a whole number of at least 1 (or Infinity), not ${String(options.maxConcurrent)}.`);
    }
    this.maxConcurrent = maxConcurrent;
    this.respectRateLimits = options.rateLimit === 'respect';
    this.scheduler = options.scheduler ?? asyncScheduler;
    this.wallClock = options.wallClock ?? Date.now;
    this.maxPauseMs = options.maxPauseMs ?? 60_000;
  }

  /** How many places are held now. */
  get active(): number {
    return this.held;
  }

  /** How many subscriptions wait for a place now. */
  get queued(): number {
    return this.queue.length;
  }

  /** While the queue is paused: when it resumes, in the scheduler's time; otherwise `undefined`. */
  get pausedUntil(): number | undefined {
    return this.isPaused() ? this.pauseEnd : undefined;
  }

  /**
   * Waits for a place: a cold Observable that emits a release function once the place is
   * granted, and completes when the place is given back.
   *
   * Places are granted in subscription order. The place is held until `release()` is called or
   * the subscription ends; unsubscribing while still queued leaves the queue.
   *
   * ## Example
   * ```ts
   * limiter.acquire().pipe(mergeMap((release) => request$.pipe(finalize(release))));
   * ```
   *
   * @return An Observable of one release function.
   * @see LocalRequestLimiter.limit
   */
  acquire(): Observable<ReleasePlace> {
    return new Observable<ReleasePlace>((subscriber) => {
      let holding = false;
      const release: ReleasePlace = () => {
        if (!holding) return;
        holding = false;
        this.held -= 1;
        subscriber.complete();
        this.drain();
      };
      const waiter: Waiter = {
        grant: () => {
          holding = true;
          subscriber.next(release);
        },
      };
      this.queue.push(waiter);
      this.drain();
      return () => {
        const index = this.queue.indexOf(waiter);
        if (index >= 0) {
          this.queue.splice(index, 1);
          if (this.queue.length === 0) this.cancelWake();
        }
        release();
      };
    });
  }

  /**
   * Runs `request` with a place: it is subscribed once a place is granted, and the place is
   * given back when it completes, fails or is unsubscribed.
   *
   * ## Example
   * ```ts
   * const limiter = new LocalRequestLimiter({ maxConcurrent: 3 });
   * from(questions).pipe(mergeMap((question) => limiter.limit(client.messages.stream(paramsFor(question)))));
   * ```
   *
   * @param request A cold Observable, typically one request.
   * @return The same values, started when a place is free.
   * @see LocalRequestLimiter.acquire
   */
  limit<T>(request: Observable<T>): Observable<T> {
    return this.acquire().pipe(mergeMap((release) => request.pipe(finalize(release))));
  }

  /**
   * Reads a response's rate-limit signals (see {@link rateLimitPauseMs}) and, with
   * `rateLimit: 'respect'`, pauses the queue for as long as they ask. Requests already sent are
   * not affected; a pause only ever gets longer.
   *
   * ## Example
   * ```ts
   * client.messages.stream(params, { onResponse: (info) => limiter.observeResponse(info) });
   * ```
   *
   * @param response The status and lower-cased headers of a response (a `ResponseInfo`).
   */
  observeResponse(response: RateLimitSignal): void {
    if (!this.respectRateLimits) return;
    const wait = rateLimitPauseMs(response, this.wallClock());
    if (wait !== undefined) this.pauseFor(wait);
  }

  /**
   * Grants no new place for `ms` milliseconds (at most `maxPauseMs`) from now, unless the queue
   * is already paused for longer.
   *
   * ## Example
   * ```ts
   * limiter.pauseFor(1_000); // a burst is coming back: hold new requests for a second
   * ```
   *
   * @param ms The pause, in milliseconds.
   */
  pauseFor(ms: number): void {
    if (!(ms > 0)) return;
    const end = this.scheduler.now() + Math.min(ms, this.maxPauseMs);
    if (this.pauseEnd !== undefined && this.pauseEnd >= end) return;
    this.pauseEnd = end;
    this.cancelWake();
    this.drain();
  }

  private isPaused(): boolean {
    return this.pauseEnd !== undefined && this.scheduler.now() < this.pauseEnd;
  }

  /** Grants places while some are free; re-entrant calls (a grant that releases at once) fold into the running loop. */
  private drain(): void {
    if (this.draining) return;
    this.draining = true;
    try {
      while (this.queue.length > 0 && this.held < this.maxConcurrent) {
        if (this.isPaused()) {
          this.scheduleWake();
          break;
        }
        const waiter = this.queue.shift() as Waiter;
        this.held += 1;
        waiter.grant();
      }
    } finally {
      this.draining = false;
    }
  }

  /** Only scheduled while someone waits, so an idle paused limiter keeps no timer alive. */
  private scheduleWake(): void {
    if (this.wake !== undefined || this.pauseEnd === undefined) return;
    this.wake = this.scheduler.schedule(() => {
      this.wake = undefined;
      this.drain();
    }, Math.max(0, this.pauseEnd - this.scheduler.now()));
  }

  private cancelWake(): void {
    this.wake?.unsubscribe();
    this.wake = undefined;
  }
}
