import { Observable, Subject, takeUntil, type Observer, type OperatorFunction, type Subscriber, type Subscription } from 'rxjs';
import { accumulateEvent, type AccumulatorState } from '../accumulate/accumulateEvent';

type AnyEvent = { readonly type: string } & Readonly<Record<string, unknown>>;

/** What an operator built on the accumulator sees of each event. */
export interface AccumulatorStep<E> {
  event: E;
  /** The state after the event (the same object as `previous` when the event folded nothing). */
  state: AccumulatorState | undefined;
  previous: AccumulatorState | undefined;
}

/**
 * The common body of the operators that need message snapshots: a fresh accumulation per
 * subscription, each event folded in order, errors of the fold (a block never started, tool
 * input that is not JSON) delivered as the Observable's error rather than thrown.
 */
export function withAccumulator<E, R>(
  onStep: (step: AccumulatorStep<E>, subscriber: Subscriber<R>) => void,
  onComplete?: (state: AccumulatorState | undefined, eventCount: number, subscriber: Subscriber<R>) => void,
): OperatorFunction<E, R> {
  return (source) =>
    new Observable<R>((subscriber) => {
      let state: AccumulatorState | undefined;
      let eventCount = 0;
      return subscribeWhileOpen(source, subscriber, {
        next: (event) => {
          eventCount += 1;
          const previous = state;
          try {
            state = accumulateEvent(state, event as AnyEvent);
          } catch (error) {
            subscriber.error(error);
            return;
          }
          onStep({ event, state, previous }, subscriber);
        },
        error: (error: unknown) => subscriber.error(error),
        complete: () => {
          if (onComplete) onComplete(state, eventCount, subscriber);
          else subscriber.complete();
        },
      });
    });
}

/**
 * Subscribes `observer` to `source` for as long as `subscriber` (the operator's own) is open.
 *
 * `source.subscribe()` hands back its subscription only when it returns, so a synchronous
 * source (`from(events)`, `fromSSEText(text)`) would otherwise run to its end after the
 * consumer unsubscribed (`take(1)`) or the operator failed; an endless one would never return.
 */
export function subscribeWhileOpen<T>(source: Observable<T>, subscriber: Subscriber<unknown>, observer: Observer<T>): Subscription {
  const closed = new Subject<void>();
  subscriber.add(() => closed.next());
  return source.pipe(takeUntil(closed)).subscribe({
    next: (value) => observer.next(value),
    error: (error: unknown) => observer.error(error),
    // takeUntil completes when `subscriber` closes: nothing is left to tell it then.
    complete: () => {
      if (!subscriber.closed) observer.complete();
    },
  });
}
