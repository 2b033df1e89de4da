import { finalize, type Observable } from 'rxjs';
import { AnthropicError } from 'rx-anthropic';

/** How a subscription ended: every value it gave, then completion or an error. */
export interface Outcome<T> {
  readonly values: T[];
  /** The error, or `undefined` when the Observable completed. */
  readonly error: unknown;
  readonly completed: boolean;
  /** The `finalize` callback at the end of the pipe ran (teardown happened). */
  readonly finalized: boolean;
  /** Milliseconds from subscribe to the end. */
  readonly ms: number;
}

/**
 * Subscribes to `source$` and resolves with how it ended. If it neither completes nor errors
 * within `boundMs`, the subscription is dropped and the promise rejects: a hang fails the test
 * instead of stalling the run.
 */
export function runBounded<T>(source$: Observable<T>, boundMs: number): Promise<Outcome<T>> {
  return new Promise((resolve, reject) => {
    const values: T[] = [];
    const started = performance.now();
    let finalized = false;
    let settled = false;
    const timer = setTimeout(() => {
      if (settled) return;
      settled = true;
      subscription.unsubscribe();
      reject(new Error(`the stream neither completed nor failed within ${boundMs} ms (${values.length} values so far)`));
    }, boundMs);
    const end = (error: unknown, completed: boolean): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      const ms = performance.now() - started;
      // finalize runs in the teardown, just after this callback returns.
      queueMicrotask(() => resolve({ values, error, completed, finalized, ms }));
    };
    const subscription = source$
      .pipe(
        finalize(() => {
          finalized = true;
        }),
      )
      .subscribe({
        next: (value) => values.push(value),
        error: (error: unknown) => end(error, false),
        complete: () => end(undefined, true),
      });
  });
}

/**
 * Asserts that `error` is the library's typed error `ErrorClass` (so also an `AnthropicError`),
 * and returns it typed.
 */
export function expectTyped<E extends Error>(error: unknown, ErrorClass: abstract new (...args: never[]) => E): E {
  expect(error).toBeInstanceOf(ErrorClass);
  expect(error).toBeInstanceOf(AnthropicError);
  return error as E;
}
