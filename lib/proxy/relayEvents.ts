import type { ServerResponse } from 'node:http';
import { Subscription, type Observable } from 'rxjs';
import type { RawMessageStreamEvent } from '../schema';
import { toSSE } from '../sse/toSSE';
import { DEFAULT_MAX_BUFFERED_BYTES } from './proxyDefaults';
import { sendJSON } from './sendJSON';
import { upstreamErrorResponse } from './upstreamErrorResponse';

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
 * Backpressure: a frame is written only while the socket takes more (`write()` returned true).
 * Frames that come while it is full wait in one queue and go out as one write on `'drain'`. The
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
  const maxBufferedBytes = options.maxBufferedBytes ?? DEFAULT_MAX_BUFFERED_BYTES;
  let queue: string[] = [];
  let queuedBytes = 0;
  let waitingForDrain = false;

  const start = (): void => {
    if (response.headersSent) return;
    response.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      // Proxies such as nginx buffer responses unless told not to; SSE must go out frame by frame.
      'x-accel-buffering': 'no',
      ...options.headers?.(),
    });
  };

  const writeNow = (text: string): void => {
    if (!response.write(text)) {
      waitingForDrain = true;
      response.once('drain', flush);
    }
  };

  function flush(): void {
    waitingForDrain = false;
    if (queue.length === 0 || response.destroyed) return;
    const text = queue.join('');
    queue = [];
    queuedBytes = 0;
    writeNow(text);
  }

  const write = (frame: string): void => {
    if (response.destroyed) return;
    if (!waitingForDrain) return writeNow(frame);
    queue.push(frame);
    queuedBytes += Buffer.byteLength(frame);
    if (queuedBytes > maxBufferedBytes) {
      subscription.unsubscribe();
      response.destroy(new Error(`the browser fell more than ${maxBufferedBytes} bytes behind the stream`));
    }
  };

  const end = (): void => {
    if (response.destroyed || response.writableEnded) return;
    // What still waits for 'drain' goes into the socket's own buffer: end() flushes it in order.
    if (queue.length > 0) response.write(queue.join(''));
    queue = [];
    response.end();
  };

  const subscription = new Subscription();
  // 'close' comes once the response is over: finished, or the connection dropped (the browser
  // went away or pressed stop). Then the upstream is no longer wanted: unsubscribing aborts it,
  // and is a no-op for a stream that has already ended.
  response.once('close', () => subscription.unsubscribe());
  if (response.destroyed || response.closed) {
    subscription.unsubscribe();
    return subscription;
  }
  subscription.add(
    events$.pipe(toSSE()).subscribe({
      next: (frame) => {
        start();
        write(frame);
      },
      error: (error: unknown) => {
        const answer = upstreamErrorResponse(error);
        if (answer.report) options.onError?.(error);
        if (!response.headersSent) return sendJSON(response, answer.status, answer.body, answer.headers);
        write(`event: error\ndata: ${JSON.stringify(answer.body)}\n\n`);
        end();
      },
      complete: () => {
        start();
        end();
      },
    }),
  );
  return subscription;
}
