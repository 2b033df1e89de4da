import type { ServerResponse } from 'node:http';
import type { Observable, Subscription } from 'rxjs';
import type { RawMessageStreamEvent } from '../schema';
import { toSSE } from '../sse/toSSE';
import { relayFrames } from './relayFrames';

/**
 * Options of {@link relayEvents}.
 *
 * ## Example
 * ```ts
 * const options: RelayOptions = { maxBufferedBytes: 1024 * 1024, headers: () => ({ 'x-served-by': 'proxy-1' }) };
 * ```
 */
export interface RelayOptions {
  /**
   * The most SSE text, in bytes, held for a browser that reads slower than the upstream writes.
   * Past it the browser is cut off and the upstream request aborted. Default 4 MiB.
   */
  maxBufferedBytes?: number;
  /** Headers added to the response when it starts (the upstream `request-id`, say). */
  headers?: () => Record<string, string>;
  /** Hears a failure to get the stream that is not the API's own error (no connection, a timeout), for logs. */
  onError?: (error: unknown) => void;
}

/**
 * Streams raw events to an HTTP response as SSE text, and aborts them when the browser leaves.
 *
 * Writes the frames `toSSE()` makes and ties the two ends together: the response closing (the
 * browser went away, or pressed stop) unsubscribes, which aborts the upstream request; the stream
 * ending ends the response.
 *
 * Backpressure: the frames of one burst (those the upstream's chunk gave at once) are written as
 * one, and only while the socket takes more (`write()` returned true). Frames that come while it
 * is full wait in one queue and go out as one write on `'drain'`. The
 * upstream is a push stream and cannot be paused, so the queue is bounded instead: a browser that
 * falls `maxBufferedBytes` behind is cut off and the upstream aborted, so that a stalled reader
 * cannot make the server hold a whole reply.
 *
 * Errors: before the first event the browser gets the API's status and error body (so that a
 * client there fails with the same typed error); after it, an `event: error` frame, which
 * `decodeEvents()` there turns into the same `APIError`.
 *
 * ## Example
 * ```ts
 * import { createServer } from 'node:http';
 *
 * // A route of your own server that streams a fixed request (the proxy handler does this for its routes).
 * createServer((request, response) => {
 *   relayEvents(client.messages.stream(params), response);
 * }).listen(8787);
 * ```
 *
 * @param events$ The raw events, e.g. `client.messages.stream(params)`: subscribed here.
 * @param response The response to write.
 * @param options The buffer bound, extra headers, an error listener.
 * @return The subscription, already tied to the response's `'close'`.
 * @see createProxyHandler
 */
export function relayEvents(events$: Observable<RawMessageStreamEvent>, response: ServerResponse, options: RelayOptions = {}): Subscription {
  return relayFrames(events$.pipe(toSSE()), response, options);
}
