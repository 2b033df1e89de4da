import { defer, from, isObservable, type Observable, take } from 'rxjs';
import type { HookResult } from './ToolLoopOptions';

/**
 * The answer of a tool-loop hook as an Observable of at most one value: a plain value at once, a
 * Promise when it settles, an Observable's first value (it is unsubscribed then, or when the loop is).
 *
 * The hook is called on subscribe, not before, so that nothing is asked of a loop that was
 * unsubscribed first; a hook that throws becomes the Observable's error.
 *
 * ## Example
 * ```ts
 * hookAnswer(() => options.stopWhen(state)).pipe(defaultIfEmpty(false)).subscribe((stop) => console.log(stop));
 * ```
 *
 * @param call Calls the hook.
 * @return An Observable of the hook's first answer.
 */
export function hookAnswer<T>(call: () => HookResult<T>): Observable<T> {
  return defer(() => {
    const answer = call();
    if (isObservable(answer)) return answer.pipe(take(1));
    if (typeof (answer as PromiseLike<T> | null)?.then === 'function') return from(answer as PromiseLike<T>);
    return [answer as T];
  });
}
