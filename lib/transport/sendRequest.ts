import { Observable, throwError, type Subscription } from 'rxjs';
import { APIError, APITimeoutError, InvalidArgumentError } from '../errors';
import { requestLog } from '../logging/requestLog';
import { combineObservers } from './combineObservers';
import type { HttpRequest, RequestObserver, RequestOptions, TransportConfig } from './HttpRequest';
import { isRetryable } from './isRetryable';
import { lacksCredentials } from './lacksCredentials';
import { retryDelayMs } from './retryPolicy';
import { sendAttempt } from './sendAttempt';
import { checkTimeoutOption, phasesOf } from './timeoutOption';

/**
 * Sends a request with retries, as a cold Observable of the response body's chunks.
 *
 * A failure is retried (up to `maxRetries`, after the delay of `retryDelayMs`, scheduled on the
 * config's scheduler) only while no byte of the body has been emitted: once the caller has seen
 * data, a retry would repeat it, so the error is passed on and the caller may `retry()` the
 * whole request knowingly. Unsubscribing aborts the attempt in flight or the pending delay.
 * With a `gate` in the config, the request (retries included) waits for the gate and every
 * response is reported to it. A request that must carry credentials and has none
 * (`config.requireCredentials`) fails at subscribe with `InvalidArgumentError`, before the gate
 * and before anything is sent, as does a request whose own `timeout` is invalid.
 *
 * With timeouts by phase, `totalMs` bounds the whole of it from its first attempt going out
 * (after any wait at the gate): attempts and the waits between them; when it passes, the attempt
 * in flight is aborted and the Observable fails with `APITimeoutError` (phase `'total'`), not
 * retried. `idleMs` is each attempt's (see `sendAttempt`); `firstTokenMs` is a stream's, watched
 * above the transport (`phaseTimeouts`).
 *
 * Each subscription is logged on the config's `log` (see `requestLog`); `observer` (a trace span)
 * adds its headers to every attempt and hears of each attempt, response, retry and final failure.
 */
export function sendRequest(config: TransportConfig, request: HttpRequest, options: RequestOptions = {}, observer?: RequestObserver): Observable<Uint8Array> {
  if (lacksCredentials(config, request, options)) {
    const message = config.requireCredentials as string;
    return throwError(() => new InvalidArgumentError('apiKey', message));
  }
  try {
    checkTimeoutOption(options.timeout);
  } catch (invalid) {
    return throwError(() => invalid);
  }
  const { gate } = config;
  if (gate) {
    const onResponse: RequestOptions['onResponse'] = (info) => {
      gate.observeResponse(info);
      options.onResponse?.(info);
    };
    return gate.limit(sendRequest({ ...config, gate: undefined }, request, { ...options, onResponse }, observer));
  }
  const maxRetries = options.maxRetries ?? config.maxRetries;
  const totalMs = phasesOf(options.timeout ?? config.timeout)?.totalMs;
  return new Observable<Uint8Array>((subscriber) => {
    const watcher = combineObservers(requestLog(config.log, request.method, `${config.baseURL.replace(/\/+$/, '')}${request.path}`), observer);
    let attempt: Subscription | undefined;
    let pendingRetry: Subscription | undefined;
    let currentAttempt = 0;
    let bodyStarted = false;

    // totalMs: one deadline over every attempt and every wait between them, never retried.
    const deadline =
      totalMs === undefined
        ? undefined
        : config.scheduler.schedule(() => {
            attempt?.unsubscribe();
            pendingRetry?.unsubscribe();
            const error = new APITimeoutError(totalMs, 'total');
            watcher?.failed?.({ attempt: currentAttempt, error, retryable: false, bodyStarted });
            subscriber.error(error);
          }, totalMs);

    const run = (attemptNumber: number): void => {
      let emitted = false;
      currentAttempt = attemptNumber;
      attempt = sendAttempt(config, request, options, attemptNumber, watcher).subscribe({
        next: (chunk) => {
          emitted = true;
          bodyStarted = true;
          subscriber.next(chunk);
        },
        error: (error: unknown) => {
          const retryable = !emitted && isRetryable(error) && !options.signal?.aborted;
          if (!retryable || attemptNumber >= maxRetries) {
            watcher?.failed?.({ attempt: attemptNumber, error, retryable, bodyStarted: emitted });
            subscriber.error(error);
            return;
          }
          const headers = error instanceof APIError ? error.headers : {};
          const delayMs = retryDelayMs(attemptNumber, headers);
          watcher?.retrying?.({ attempt: attemptNumber, error, delayMs, retriesLeft: maxRetries - attemptNumber - 1 });
          pendingRetry = config.scheduler.schedule(() => run(attemptNumber + 1), delayMs);
        },
        complete: () => subscriber.complete(),
      });
    };
    run(0);

    return () => {
      deadline?.unsubscribe();
      attempt?.unsubscribe();
      pendingRetry?.unsubscribe();
    };
  });
}
