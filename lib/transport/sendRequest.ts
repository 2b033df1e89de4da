import { Observable, throwError, type Subscription } from 'rxjs';
import { APIError, InvalidArgumentError } from '../errors';
import { requestLog } from '../logging/requestLog';
import { combineObservers } from './combineObservers';
import type { HttpRequest, RequestObserver, RequestOptions, TransportConfig } from './HttpRequest';
import { isRetryable } from './isRetryable';
import { lacksCredentials } from './lacksCredentials';
import { retryDelayMs } from './retryPolicy';
import { sendAttempt } from './sendAttempt';

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
 * and before anything is sent.
 *
 * Each subscription is logged on the config's `log` (see `requestLog`); `observer` (a trace span)
 * adds its headers to every attempt and hears of each attempt, response, retry and final failure.
 */
export function sendRequest(config: TransportConfig, request: HttpRequest, options: RequestOptions = {}, observer?: RequestObserver): Observable<Uint8Array> {
  if (lacksCredentials(config, request, options)) {
    const message = config.requireCredentials as string;
    return throwError(() => new InvalidArgumentError('apiKey', message));
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
  return new Observable<Uint8Array>((subscriber) => {
    const watcher = combineObservers(requestLog(config.log, request.method, `${config.baseURL.replace(/\/+$/, '')}${request.path}`), observer);
    let attempt: Subscription | undefined;
    let pendingRetry: Subscription | undefined;

    const run = (attemptNumber: number): void => {
      let emitted = false;
      attempt = sendAttempt(config, request, options, attemptNumber, watcher).subscribe({
        next: (chunk) => {
          emitted = true;
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
      attempt?.unsubscribe();
      pendingRetry?.unsubscribe();
    };
  });
}
