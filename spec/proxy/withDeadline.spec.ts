import { AnthropicError } from 'rx-anthropic';
import { NEVER, Observable, Subject, finalize, of, throwError } from 'rxjs';
import { StreamDeadlineError, withDeadline } from '../../lib/proxy/withDeadline';

beforeEach(() => jest.useFakeTimers());
afterEach(() => jest.useRealTimers());

/** Subscribes and records what comes out. */
function watch<T>(source: Observable<T>) {
  const seen: { values: T[]; error?: unknown; completed: boolean } = { values: [], completed: false };
  const subscription = source.subscribe({ next: (value) => seen.values.push(value), error: (error: unknown) => (seen.error = error), complete: () => (seen.completed = true) });
  return { seen, subscription };
}

describe('withDeadline', () => {
  it('fails with StreamDeadlineError once ms have passed, and unsubscribes the source', () => {
    let unsubscribed = false;
    const { seen } = watch(NEVER.pipe(finalize(() => (unsubscribed = true)), withDeadline(100)));
    jest.advanceTimersByTime(99);
    expect(seen.error).toBeUndefined();
    expect(unsubscribed).toBe(false);
    jest.advanceTimersByTime(1);
    expect(seen.error).toBeInstanceOf(StreamDeadlineError);
    expect(seen.error).toBeInstanceOf(AnthropicError);
    expect(seen.error).toMatchObject({ deadlineMs: 100, message: "The request ran past this proxy's limit of 100 ms and was stopped." });
    expect(unsubscribed).toBe(true);
  });

  it('bounds the whole stream, not the wait between values', () => {
    const source = new Subject<number>();
    const { seen } = watch(source.pipe(withDeadline(100)));
    for (let i = 0; i < 4; i++) {
      jest.advanceTimersByTime(30);
      source.next(i);
    }
    expect(seen.values).toEqual([0, 1, 2]);
    expect(seen.error).toBeInstanceOf(StreamDeadlineError);
    expect(source.observed).toBe(false);
  });

  it('passes values through and completes normally before the deadline, clearing its timer', () => {
    const { seen } = watch(of(1, 2, 3).pipe(withDeadline(100)));
    expect(seen).toEqual({ values: [1, 2, 3], completed: true });
    expect(jest.getTimerCount()).toBe(0);
    jest.advanceTimersByTime(200);
    expect(seen.error).toBeUndefined();
  });

  it('passes an error of the source through, clearing its timer', () => {
    const failure = new Error('upstream');
    const { seen } = watch(throwError(() => failure).pipe(withDeadline(100)));
    expect(seen.error).toBe(failure);
    expect(jest.getTimerCount()).toBe(0);
  });

  it('clears its timer when unsubscribed', () => {
    let unsubscribed = false;
    const { seen, subscription } = watch(NEVER.pipe(finalize(() => (unsubscribed = true)), withDeadline(100)));
    expect(jest.getTimerCount()).toBe(1);
    subscription.unsubscribe();
    expect(unsubscribed).toBe(true);
    expect(jest.getTimerCount()).toBe(0);
    jest.advanceTimersByTime(200);
    expect(seen.error).toBeUndefined();
  });

  it('counts from each subscription', () => {
    const late = withDeadline<never>(100)(NEVER);
    const first = watch(late);
    jest.advanceTimersByTime(60);
    const second = watch(late);
    jest.advanceTimersByTime(40);
    expect(first.seen.error).toBeInstanceOf(StreamDeadlineError);
    expect(second.seen.error).toBeUndefined();
    jest.advanceTimersByTime(60);
    expect(second.seen.error).toBeInstanceOf(StreamDeadlineError);
  });

  it('completes a slow source that finishes in time', () => {
    const source = new Subject<string>();
    const { seen } = watch(source.pipe(withDeadline(100)));
    jest.advanceTimersByTime(90);
    source.next('last');
    source.complete();
    jest.advanceTimersByTime(50);
    expect(seen).toEqual({ values: ['last'], completed: true });
  });
});
