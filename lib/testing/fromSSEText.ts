import { Observable, of, materialize, toArray, type ObservableNotification, type SchedulerLike } from 'rxjs';
import { decodeEvents } from '../schema/decodeEvents';
import type { RawMessageStreamEvent } from '../schema';
import { fromSSE } from '../sse/fromSSE';

/**
 * A recorded SSE stream (the text of a `.sse` file) as an Observable of raw events, for tests.
 *
 * Without a scheduler the events are emitted synchronously on subscribe. With one (a
 * `TestScheduler` in marble tests), event number `i` is emitted at frame `i` of that scheduler
 * and the stream completes, or fails with the same typed error as a live stream would, on the
 * frame of the last event.
 *
 * ## Example
 * ```ts
 * testScheduler.run(({ expectObservable }) => {
 *   const events$ = fromSSEText(readFileSync('hello.sse', 'utf8'), testScheduler);
 *   expectObservable(events$.pipe(textDeltas())).toBe('--ab(c|)', { a: 'Hel', b: 'lo', c: '!' });
 * });
 * ```
 *
 * @param text The SSE text.
 * @param scheduler Where to schedule the events, one per frame.
 * @return The raw events, `ping`s dropped, an `event: error` turned into its `APIError`.
 */
export function fromSSEText(text: string, scheduler?: SchedulerLike): Observable<RawMessageStreamEvent> {
  const events$ = of(text).pipe(fromSSE(), decodeEvents());
  if (!scheduler) return events$;
  return new Observable<RawMessageStreamEvent>((subscriber) => {
    let notifications: ObservableNotification<RawMessageStreamEvent>[] = [];
    events$.pipe(materialize(), toArray()).subscribe((all) => (notifications = all));
    const last = Math.max(0, notifications.filter((n) => n.kind === 'N').length - 1);
    let frame = 0;
    return scheduler.schedule(function () {
      for (;;) {
        const notification = notifications.shift();
        if (!notification) return;
        if (notification.kind === 'N') {
          subscriber.next(notification.value);
          if (frame < last) {
            frame += 1;
            this.schedule(undefined, 1);
            return;
          }
        } else if (notification.kind === 'E') return subscriber.error(notification.error);
        else return subscriber.complete();
      }
    });
  });
}
