import { Observable, type MonoTypeOperatorFunction } from 'rxjs';
import { AnthropicError } from '../errors';

/** An upstream request of the relay ran past `maxStreamMs` and was aborted. */
export class StreamDeadlineError extends AnthropicError {
  /** The deadline, in ms. */
  readonly deadlineMs: number;

  constructor(deadlineMs: number) {
    super(`The request ran past this proxy's limit of ${deadlineMs} ms and was stopped.`);
    this.deadlineMs = deadlineMs;
  }
}

/**
 * Fails with `StreamDeadlineError` once `ms` have passed since the subscription, unsubscribing
 * the source (which aborts its request). Written here because RxJS's `timeout` bounds the waits
 * between values, not the whole.
 */
export function withDeadline<T>(ms: number): MonoTypeOperatorFunction<T> {
  return (source) =>
    new Observable<T>((subscriber) => {
      const timer = setTimeout(() => subscriber.error(new StreamDeadlineError(ms)), ms);
      const subscription = source.subscribe(subscriber);
      return () => {
        clearTimeout(timer);
        subscription.unsubscribe();
      };
    });
}
