import { identity, Observable, Subscription, type MonoTypeOperatorFunction } from 'rxjs';
import { APIUserAbortError } from '../errors';

/**
 * Makes an Observable fail with `APIUserAbortError` when `signal` aborts (at once when it already
 * has), after unsubscribing the source, so that whatever the source started (a request, running
 * tools) is torn down before the error is seen.
 *
 * ## Example
 * ```ts
 * const controller = new AbortController();
 * loop$.pipe(failOnAbort(controller.signal)).subscribe({ error: (error) => console.log(error instanceof APIUserAbortError) });
 * controller.abort(); // true
 * ```
 *
 * @param signal The caller's signal; without one the source is returned as it is.
 * @return An operator that mirrors the source until the signal aborts.
 */
export function failOnAbort<T>(signal: AbortSignal | undefined): MonoTypeOperatorFunction<T> {
  if (signal === undefined) return identity;
  return (source) =>
    new Observable<T>((subscriber) => {
      if (signal.aborted) {
        subscriber.error(new APIUserAbortError());
        return;
      }
      const inner = new Subscription();
      const onAbort = (): void => {
        inner.unsubscribe();
        subscriber.error(new APIUserAbortError());
      };
      signal.addEventListener('abort', onAbort, { once: true });
      inner.add(
        source.subscribe({
          next: (value) => subscriber.next(value),
          error: (error: unknown) => subscriber.error(error),
          complete: () => subscriber.complete(),
        }),
      );
      return () => {
        signal.removeEventListener('abort', onAbort);
        inner.unsubscribe();
      };
    });
}
