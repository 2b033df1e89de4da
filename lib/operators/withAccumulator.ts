import { Observable, Subject, takeUntil, type Observer, type OperatorFunction, type Subscriber, type Subscription } from 'rxjs';
import { MessageAccumulator, type AnyEvent } from '../accumulate/MessageAccumulator';
import { isWholeMessage, wholeMessageError } from './wholeMessageError';

/**
 * The common body of the operators that need the accumulated message: a fresh
 * {@link MessageAccumulator} per subscription, each event folded in order before `onEvent` sees
 * it, errors of the fold (a block never started, tool input that is not JSON) delivered as the
 * Observable's error rather than thrown. A whole `Message` where an event should be (from untyped
 * code: the types refuse it) fails with an `InvalidArgumentError` rather than being skipped.
 *
 * ## Example
 *
 * ```ts
 * const stopReasons = (): OperatorFunction<StreamEventLike, unknown> =>
 *   withAccumulator((event, _folded, accumulator, subscriber) => {
 *     if (event.type === 'message_delta') subscriber.next(accumulator.message()['stop_reason']);
 *   });
 * ```
 *
 * @param onEvent Called after each event is folded; `folded` says whether the event belongs to the message.
 * @param onComplete Called when the source completes (default: complete); `events` counts every event seen.
 * @return The operator.
 */
export function withAccumulator<E, R>(
  onEvent: (event: E, folded: boolean, accumulator: MessageAccumulator, subscriber: Subscriber<R>) => void,
  onComplete?: (accumulator: MessageAccumulator, events: number, subscriber: Subscriber<R>) => void,
): OperatorFunction<E, R> {
  return (source) =>
    new Observable<R>((subscriber) => {
      const accumulator = new MessageAccumulator();
      let events = 0;
      return subscribeWhileOpen(source, subscriber, {
        next: (event) => {
          events += 1;
          let folded: boolean;
          try {
            folded = accumulator.fold(event as AnyEvent);
          } catch (error) {
            subscriber.error(error);
            return;
          }
          if (!folded && isWholeMessage(event)) {
            subscriber.error(wholeMessageError());
            return;
          }
          onEvent(event, folded, accumulator, subscriber);
        },
        error: (error: unknown) => subscriber.error(error),
        complete: () => {
          if (onComplete) onComplete(accumulator, events, subscriber);
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
 *
 * ## Example
 *
 * ```ts
 * new Observable<string>((subscriber) =>
 *   subscribeWhileOpen(source, subscriber, { next: (e) => subscriber.next(e.type), error: (e) => subscriber.error(e), complete: () => subscriber.complete() }),
 * );
 * ```
 *
 * @param source The Observable to subscribe to.
 * @param subscriber The operator's own subscriber: when it closes, so does the subscription.
 * @param observer What receives the source's notifications.
 * @return The subscription to `source`.
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
