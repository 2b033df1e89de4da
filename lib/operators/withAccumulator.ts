import { Observable, type OperatorFunction, type Subscriber } from 'rxjs';
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
      return source.subscribe({
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
