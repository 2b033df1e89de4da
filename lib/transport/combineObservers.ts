import type { RequestObserver } from './HttpRequest';

/**
 * One observer that tells each of `observers` (those that are defined) everything, in order; its
 * `attemptHeaders` are theirs merged. `undefined` when none is defined, so that a request nobody
 * watches pays nothing.
 *
 * ## Example
 * ```ts
 * combineObservers(requestLog(config.log, 'POST', url), trace); // the log lines, then the span
 * ```
 *
 * @param observers The observers, some of them `undefined`.
 * @return Them as one, or `undefined`.
 */
export function combineObservers(...observers: ReadonlyArray<RequestObserver | undefined>): RequestObserver | undefined {
  const present = observers.filter((observer): observer is RequestObserver => observer !== undefined);
  if (present.length <= 1) return present[0];
  return {
    attemptHeaders: () => Object.assign({}, ...present.map((observer) => observer.attemptHeaders?.() ?? {})) as Record<string, string>,
    attemptStarted: (attempt) => present.forEach((observer) => observer.attemptStarted?.(attempt)),
    responded: (response) => present.forEach((observer) => observer.responded?.(response)),
    retrying: (retry) => present.forEach((observer) => observer.retrying?.(retry)),
    failed: (failure) => present.forEach((observer) => observer.failed?.(failure)),
  };
}
