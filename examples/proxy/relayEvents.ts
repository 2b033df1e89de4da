import type { ServerResponse } from 'node:http';
import { Subscription, type Observable } from 'rxjs';
import { APIError, toSSE, type RawMessageStreamEvent } from 'rx-anthropic';

/** Options of {@link relayEvents}. */
export interface RelayOptions {
  /**
   * The most SSE text, in bytes, held for a browser that reads slower than the upstream writes.
   * Past it the browser is cut off and the upstream request aborted. Default 4 MiB.
   */
  maxBufferedBytes?: number;
  /** Headers added to the response (the upstream `request-id`, say) when it starts. */
  headers?: () => Record<string, string>;
}

/** The default of {@link RelayOptions.maxBufferedBytes}. */
export const DEFAULT_MAX_BUFFERED_BYTES = 4 * 1024 * 1024;

/** An error as the API sends it: the HTTP status and the `{ type: 'error', error }` body. */
export function apiErrorResponse(error: unknown): { status: number; body: { type: 'error'; error: { type: string; message: string }; request_id?: string } } {
  if (error instanceof APIError && error.error) {
    // The API's error object whole (type, message and whatever else it carries), so the client on
    // the other side builds an equal error.
    const body = { type: 'error' as const, error: { ...error.error }, ...(error.requestId ? { request_id: error.requestId } : {}) };
    // An error sent inside a stream has no status of its own: 500 is what it would have been.
    return { status: error.status ?? 500, body };
  }
  // No API error: the connection failed, timed out, or the body did not decode. 502: the upstream failed us.
  const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return { status: 502, body: { type: 'error', error: { type: 'api_error', message: `The proxy's request to the API failed: ${message}` } } };
}

/** Answers with an API-shaped error, unless the response has already started. */
export function sendAPIError(res: ServerResponse, error: unknown): void {
  if (res.headersSent || res.destroyed) return;
  const { status, body } = apiErrorResponse(error);
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' }).end(JSON.stringify(body));
}

/**
 * Streams `events$` to `res` as SSE text, the frames `toSSE()` makes, and ties the two ends
 * together: the response closing (the browser went away, or pressed stop) unsubscribes, which
 * aborts the upstream request; the stream ending ends the response.
 *
 * Backpressure: a frame is written only while the socket takes more (`write()` returned true).
 * Frames that come while it is full wait in one queue and go out as one write on `'drain'`. The
 * upstream is a push stream (the transport reads the API's body as it comes) and cannot be
 * paused, so the queue is bounded instead: a browser that falls `maxBufferedBytes` behind is cut
 * off and the upstream aborted, so a stalled reader cannot make the server hold a whole reply.
 *
 * Errors: before the first event the browser gets the API's status and error body (so a client
 * on the other side throws the same typed error); after it, an `event: error` frame, which
 * `decodeEvents()` turns into the same `APIError` there.
 *
 * @param events$ The raw events, e.g. `client.messages.stream(params)`: subscribed here.
 * @param res The response to write.
 * @param options The buffer bound, extra headers.
 * @return The subscription (already tied to the response's `'close'`).
 */
export function relayEvents(events$: Observable<RawMessageStreamEvent>, res: ServerResponse, options: RelayOptions = {}): Subscription {
  const maxBufferedBytes = options.maxBufferedBytes ?? DEFAULT_MAX_BUFFERED_BYTES;
  let queue: string[] = [];
  let queuedBytes = 0;
  let waitingForDrain = false;

  const start = (): void => {
    if (res.headersSent) return;
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      // Proxies such as nginx buffer responses unless told not to; SSE must go out frame by frame.
      'x-accel-buffering': 'no',
      ...options.headers?.(),
    });
  };

  const writeNow = (text: string): void => {
    if (!res.write(text)) {
      waitingForDrain = true;
      res.once('drain', flush);
    }
  };

  function flush(): void {
    waitingForDrain = false;
    if (queue.length === 0 || res.destroyed) return;
    const text = queue.join('');
    queue = [];
    queuedBytes = 0;
    writeNow(text);
  }

  const write = (frame: string): void => {
    if (res.destroyed) return;
    if (!waitingForDrain) return writeNow(frame);
    queue.push(frame);
    queuedBytes += Buffer.byteLength(frame);
    if (queuedBytes > maxBufferedBytes) {
      subscription.unsubscribe();
      res.destroy(new Error(`the browser fell more than ${maxBufferedBytes} bytes behind the stream`));
    }
  };

  const end = (): void => {
    if (res.destroyed || res.writableEnded) return;
    // What still waits for 'drain' goes into the socket's own buffer: end() flushes it in order.
    if (queue.length > 0) res.write(queue.join(''));
    queue = [];
    res.end();
  };

  const subscription = new Subscription();
  // 'close' comes once the response is over: finished, or the connection dropped (the browser
  // went away or pressed stop). Then the upstream is no longer wanted: unsubscribing aborts it,
  // and is a no-op for a stream that has already ended.
  res.once('close', () => subscription.unsubscribe());
  if (res.destroyed || res.closed) {
    subscription.unsubscribe();
    return subscription;
  }
  subscription.add(events$.pipe(toSSE()).subscribe({
    next: (frame) => {
      start();
      write(frame);
    },
    error: (error: unknown) => {
      if (!res.headersSent) return sendAPIError(res, error);
      write(`event: error\ndata: ${JSON.stringify(apiErrorResponse(error).body)}\n\n`);
      end();
    },
    complete: () => {
      start();
      end();
    },
  }));
  return subscription;
}
