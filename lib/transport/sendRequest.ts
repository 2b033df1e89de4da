import { Observable, throwError, type Subscription } from 'rxjs';
import { APIError, InvalidArgumentError } from '../errors';
import type { HttpRequest, RequestOptions, TransportConfig } from './HttpRequest';
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
 */
export function sendRequest(config: TransportConfig, request: HttpRequest, options: RequestOptions = {}): Observable<Uint8Array> {
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
    return gate.limit(sendRequest({ ...config, gate: undefined }, request, { ...options, onResponse }));
  }
  const maxRetries = options.maxRetries ?? config.maxRetries;
  return new Observable<Uint8Array>((subscriber) => {
    let attempt: Subscription | undefined;
    let pendingRetry: Subscription | undefined;

    const run = (attemptNumber: number): void => {
      let emitted = false;
      attempt = sendAttempt(config, request, options, attemptNumber).subscribe({
        next: (chunk) => {
          emitted = true;
          subscriber.next(chunk);
        },
        error: (error: unknown) => {
          if (emitted || attemptNumber >= maxRetries || !isRetryable(error) || options.signal?.aborted) {
            subscriber.error(error);
            return;
          }
          const headers = error instanceof APIError ? error.headers : {};
          pendingRetry = config.scheduler.schedule(() => run(attemptNumber + 1), retryDelayMs(attemptNumber, headers));
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
