import { VirtualTimeScheduler } from 'rxjs';
import { sleep } from './guard';

/** The longest delay the retry policy takes from a server (`retry-after` above 60 s is ignored). */
const RETRY_HORIZON_MS = 60_000;

/**
 * Retry delays in virtual time against a real server. The client runs on `scheduler` with a
 * timeout far beyond the horizon, so the only action due within 60 s of virtual time is a pending
 * retry: whenever one is scheduled, its delay is recorded and virtual time jumps to it, so that a
 * `retry-after: 2` costs no real time. Sockets stay real; the loop polls every 2 ms until `done()`.
 */
export async function skipRetryDelays(scheduler: VirtualTimeScheduler, done: () => boolean, boundMs = 5_000): Promise<number[]> {
  const delays: number[] = [];
  const deadline = Date.now() + boundMs;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`the request did not end within ${boundMs} ms of real time`);
    const next = scheduler.actions[0];
    const delay = next === undefined ? undefined : next.delay - scheduler.now();
    if (next !== undefined && delay !== undefined && delay < RETRY_HORIZON_MS) {
      delays.push(delay);
      scheduler.maxFrames = next.delay;
      scheduler.flush();
    } else {
      await sleep(2);
    }
  }
  return delays;
}

/** A client timeout that virtual time never reaches while retry delays are skipped. */
export const FAR_TIMEOUT_MS = 10 * RETRY_HORIZON_MS;
