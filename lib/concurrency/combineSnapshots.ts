import { asyncScheduler, Observable, type SchedulerLike, type Subscription } from 'rxjs';
import { accumulateMessage } from '../operators/accumulateMessage';
import type { StreamEventLike } from '../operators/MessageStreamEvent';
import type { Message, RawMessageStreamEvent } from '../schema';

/**
 * The latest snapshot of every stream, by key: `undefined` until a stream's first `message_start`.
 *
 * ## Example
 * ```ts
 * combineSnapshots({ a: streamA$, b: streamB$ }).subscribe((record: SnapshotRecord<'a' | 'b'>) => render(record.a, record.b));
 * ```
 */
export type SnapshotRecord<K extends string> = { readonly [P in K]: Message | undefined };

/**
 * Options of {@link combineSnapshots}.
 *
 * ## Example
 * ```ts
 * const options: CombineSnapshotsOptions = { throttle: 100 }; // at most one record per 100 ms
 * combineSnapshots({ a: streamA$, b: streamB$ }, options);
 * ```
 */
export interface CombineSnapshotsOptions {
  /**
   * How often the record may be emitted:
   * - a scheduler: at most once per action of it, e.g. `animationFrameScheduler` gives at most one
   *   record per animation frame, rendered just before the browser paints;
   * - a number: at most once per that many milliseconds (timed on `scheduler`);
   * - left out: a record after every change.
   */
  throttle?: SchedulerLike | number;
  /** Where a throttle in milliseconds is timed. Default `asyncScheduler`. */
  scheduler?: SchedulerLike;
}

/**
 * Combines the live message snapshots of several streams into one record by key, emitted at
 * most once per animation frame or interval: the `combineLatest` of their `accumulateMessage()`
 * for a UI that shows several answers side by side.
 *
 * Every stream is subscribed at once. A change (a new snapshot of any stream) is not emitted at
 * once but at the end of the throttle window that it opens, with every other change made in
 * that window: the record is always the latest state, never a stale one. When every stream has
 * completed, the final state is emitted straight away (even inside a window) and the result
 * completes; nothing is left scheduled. The first error of a stream fails the result and
 * unsubscribes the others. Each record is a new object; the snapshots in it are the immutable
 * ones `accumulateMessage()` makes, so unchanged streams keep the same snapshot object
 * (cheap `===` checks for rendering). With no stream at all, one empty record is emitted.
 *
 * ## Example
 * ```ts
 * import { animationFrameScheduler } from 'rxjs';
 * import { combineSnapshots } from 'rx-anthropic';
 *
 * combineSnapshots(
 *   { left: client.messages.stream(paramsA), right: client.messages.stream(paramsB) },
 *   { throttle: animationFrameScheduler }, // in Node: { throttle: 100 }
 * ).subscribe(({ left, right }) => render(left?.content, right?.content));
 * ```
 *
 * @param streams The event streams by key (raw events, or `messageStreamEvents()` output).
 * @param options The throttle: a scheduler, milliseconds, or none.
 * @return Records of the latest snapshot of every stream.
 * @see accumulateMessage
 * @see streamAll
 */
export function combineSnapshots<K extends string, E extends StreamEventLike = RawMessageStreamEvent>(
  streams: Readonly<Record<K, Observable<E>>>,
  options: CombineSnapshotsOptions = {},
): Observable<SnapshotRecord<K>> {
  const { throttle, scheduler = asyncScheduler } = options;
  return new Observable<SnapshotRecord<K>>((subscriber) => {
    const keys = Object.keys(streams) as K[];
    // Mutated per snapshot, copied once per emission: records already emitted never change.
    const latest = Object.fromEntries(keys.map((key) => [key, undefined])) as Record<K, Message | undefined>;
    let changed = false;
    let pending: Subscription | undefined;
    let open = keys.length;

    const flush = (): void => {
      pending?.unsubscribe();
      pending = undefined;
      if (!changed) return;
      changed = false;
      subscriber.next({ ...latest });
    };
    const onChange = (): void => {
      changed = true;
      if (throttle === undefined) flush();
      else if (pending === undefined) {
        pending = typeof throttle === 'number' ? scheduler.schedule(flush, throttle) : throttle.schedule(flush);
      }
    };

    if (open === 0) {
      subscriber.next({ ...latest });
      subscriber.complete();
      return;
    }
    subscriber.add(() => pending?.unsubscribe());
    for (const key of keys) {
      const subscription = streams[key].pipe(accumulateMessage<E>()).subscribe({
        next: (message) => {
          latest[key] = message;
          onChange();
        },
        error: (error: unknown) => subscriber.error(error),
        complete: () => {
          open -= 1;
          if (open > 0) return;
          flush();
          subscriber.complete();
        },
      });
      subscriber.add(subscription);
      if (subscriber.closed) break;
    }
  });
}
