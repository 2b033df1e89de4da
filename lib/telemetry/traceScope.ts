import { Observable, type MonoTypeOperatorFunction } from 'rxjs';
import type { TraceScope } from './Telemetry';

/**
 * Covers an Observable with a trace scope: subscribes to it with the scope's context current (so
 * that what starts during the subscription, a request's span or an HTTP client's, is the scope's
 * child), shows the scope every value, and ends the scope when the Observable completes
 * (`complete`), fails (`error`, before the error goes on) or is unsubscribed first
 * (`cancelled`). Without a scope it is the identity, so an untraced client pays nothing.
 *
 * ## Example
 * ```ts
 * client.messages.stream(params).pipe(traceScope(telemetry.startRequest(request)));
 * ```
 *
 * @param scope The scope, or `undefined` for none.
 * @return The same values, covered.
 */
export function traceScope<T>(scope: TraceScope | undefined): MonoTypeOperatorFunction<T> {
  if (scope === undefined) return (source) => source;
  return (source) =>
    new Observable<T>((subscriber) => {
      const subscription = scope.within(() =>
        source.subscribe({
          next: (value) => {
            scope.observe?.(value);
            subscriber.next(value);
          },
          error: (error: unknown) => {
            scope.end({ kind: 'error', error });
            subscriber.error(error);
          },
          complete: () => {
            scope.end({ kind: 'complete' });
            subscriber.complete();
          },
        }),
      );
      return () => {
        subscription.unsubscribe();
        scope.end({ kind: 'cancelled' });
      };
    });
}
