import type { Observable } from 'rxjs';
import type { RequestGate, ResponseInfo } from '../transport/HttpRequest';
import { LocalRequestLimiter } from './LocalRequestLimiter';

export type { ReleasePlace, RequestLimiterOptions } from './LocalRequestLimiter';

/**
 * What a client asks of its limiter (`createClient({ limiter })`): to start each request when it
 * may, and to hear about every response, whose rate-limit headers may hold the next ones back.
 *
 * The client calls `limit` once per request (its retries run inside, with the same place) and
 * `observeResponse` for every HTTP response, retries included. Two implementations come with the
 * library: {@link LocalRequestLimiter}, for one process (what `maxConcurrentRequests` and
 * `rateLimit` build), and `redisRequestLimiter` in `rx-anthropic/redis`, whose places and pauses
 * are shared by every process using the same Redis key. Any object with these two methods will
 * do. It is the transport's `RequestGate` under the name users see.
 *
 * `RequestLimiter` is also a value, the same class as {@link LocalRequestLimiter}, because it
 * was that class before it became this interface: `new RequestLimiter(options)` keeps working.
 *
 * ## Example
 * ```ts
 * import { createClient, type RequestLimiter } from 'rx-anthropic';
 *
 * // Counts what goes through, and lets everything pass.
 * let sent = 0;
 * const counting: RequestLimiter = {
 *   limit: (request$) => defer(() => ((sent += 1), request$)),
 *   observeResponse: (info) => console.log(info.status, info.headers['anthropic-ratelimit-requests-remaining']),
 * };
 * const client = createClient({ limiter: counting });
 * ```
 *
 * @see LocalRequestLimiter
 * @see createClient
 */
export interface RequestLimiter extends RequestGate {
  /**
   * `request`, subscribed once the limiter lets it through; its end (completion, error or
   * unsubscription) frees its place. Unsubscribing while it waits must leave nothing behind.
   */
  limit<T>(request: Observable<T>): Observable<T>;
  /** Called with the status and lower-cased headers of every HTTP response, retries included. */
  observeResponse(response: ResponseInfo): void;
}

/**
 * The in-process limiter under its former name: the same class as {@link LocalRequestLimiter},
 * kept so that `new RequestLimiter(options)` written before `RequestLimiter` became an interface
 * still compiles and runs. New code should write `new LocalRequestLimiter(options)`.
 *
 * A type annotation `: RequestLimiter` now means the interface, without `acquire()`, `active`
 * and the other members of the class: annotate such variables with `LocalRequestLimiter`.
 *
 * ## Example
 * ```ts
 * import { RequestLimiter } from 'rx-anthropic';
 *
 * const limiter = new RequestLimiter({ maxConcurrent: 2 }); // a LocalRequestLimiter
 * limiter.acquire().subscribe((release) => setTimeout(release, 1_000));
 * ```
 */
export const RequestLimiter = LocalRequestLimiter;
