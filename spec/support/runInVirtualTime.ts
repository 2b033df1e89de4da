import type { Observable, VirtualTimeScheduler } from 'rxjs';

/** What an Observable run in virtual time gave. */
export interface VirtualOutcome<T> {
  values: T[];
  error: unknown;
  completed: boolean;
  /** The waits that were skipped, in virtual milliseconds. */
  delays: number[];
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Subscribes and runs until the Observable ends (at most `boundMs` of real time, else it fails
 * saying so): whenever the next action of `scheduler` is due within `horizonMs` (a wait of the
 * client's), its delay is recorded and virtual time jumps to it; otherwise the loop lets the
 * sockets work for 2 ms. The client's own timeout lies beyond the horizon, so it never fires.
 */
export async function runInVirtualTime<T>(scheduler: VirtualTimeScheduler, source: Observable<T>, horizonMs: number, boundMs = 5_000): Promise<VirtualOutcome<T>> {
  const outcome: VirtualOutcome<T> = { values: [], error: undefined, completed: false, delays: [] };
  let done = false;
  const subscription = source.subscribe({
    next: (value) => outcome.values.push(value),
    error: (error: unknown) => ((outcome.error = error), (done = true)),
    complete: () => ((outcome.completed = true), (done = true)),
  });
  const deadline = Date.now() + boundMs;
  while (!done) {
    if (Date.now() > deadline) {
      subscription.unsubscribe();
      throw new Error(`the Observable did not end within ${boundMs} ms of real time (timed out)`);
    }
    const next = scheduler.actions[0];
    if (next !== undefined && next.delay - scheduler.now() < horizonMs) {
      outcome.delays.push(next.delay - scheduler.now());
      scheduler.maxFrames = next.delay;
      scheduler.flush();
    } else {
      await sleep(2);
    }
  }
  return outcome;
}
