import type { ServerResponse } from 'node:http';
import { Subscription, type Observable } from 'rxjs';
import { Latin1Frames } from './Latin1Frames';
import { DEFAULT_MAX_BUFFERED_BYTES } from './proxyDefaults';
import type { RelayOptions } from './relayEvents';
import { sendJSON } from './sendJSON';
import { upstreamErrorResponse } from './upstreamErrorResponse';

/** What the relay writes: SSE frames it made, the API's bytes as they came, or a held stream's numbered frames. */
type Piece = string | Uint8Array | Latin1Frames;

const byteLength = (piece: Piece): number => (typeof piece === 'string' ? Buffer.byteLength(piece) : piece instanceof Latin1Frames ? piece.text.length : piece.byteLength);

const bytesOf = (piece: Piece): Uint8Array => (typeof piece === 'string' ? Buffer.from(piece) : piece instanceof Latin1Frames ? piece.toBuffer() : piece);

/**
 * Writes an event stream to an HTTP response with backpressure, and unsubscribes when the browser
 * leaves: what {@link relayEvents} does once the events are frames. The pieces are SSE frames
 * (`toSSE()`'s), the API's own bytes, which the relay passes on as they came (see
 * `client.messages.streamBody`), or a held stream's numbered frames as Latin-1 text
 * ({@link Latin1Frames}), written with that encoding. Frames that come in one synchronous burst (those of one upstream
 * chunk) go out as one write, not one write (and one chunk of the response) each.
 */
export function relayFrames(frames$: Observable<Piece>, response: ServerResponse, options: RelayOptions = {}): Subscription {
  const maxBufferedBytes = options.maxBufferedBytes ?? DEFAULT_MAX_BUFFERED_BYTES;
  let queue: Piece[] = [];
  let queuedBytes = 0;
  let waitingForDrain = false;
  let burst: string[] = [];
  let corked = false;

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

  /** One piece into the response, Latin-1 frames with their encoding; whether the response takes more now. */
  const writePiece = (piece: Piece): boolean => (piece instanceof Latin1Frames ? response.write(piece.text, 'latin1') : response.write(piece));

  const writeNow = (piece: Piece): void => {
    if (!writePiece(piece)) {
      waitingForDrain = true;
      response.once('drain', flush);
    }
  };

  /**
   * What waited for 'drain', as one write. A held stream's frames (all Latin-1 text) are joined as
   * text and written with that encoding: made into buffers, each was copied into one of its own,
   * then into their concatenation (bench/NOTES.md).
   */
  const queued = (): Piece | undefined => {
    if (queue.length === 0) return undefined;
    const whole =
      queue.length === 1
        ? (queue[0] as Piece)
        : queue.every((piece) => piece instanceof Latin1Frames)
          ? new Latin1Frames((queue as Latin1Frames[]).map((piece) => piece.text).join(''))
          : Buffer.concat(queue.map(bytesOf));
    queue = [];
    queuedBytes = 0;
    return whole;
  };

  function flush(): void {
    waitingForDrain = false;
    const whole = queued();
    if (whole !== undefined && !response.destroyed) writeNow(whole);
  }

  const send = (piece: Piece): void => {
    if (response.destroyed || response.writableEnded) return;
    if (!waitingForDrain) return writeNow(piece);
    // The upstream is a push stream and cannot be paused: what the browser has not taken waits, up to a bound.
    queue.push(piece);
    queuedBytes += byteLength(piece);
    if (queuedBytes > maxBufferedBytes) {
      subscription.unsubscribe();
      response.destroy(new Error(`the browser fell more than ${maxBufferedBytes} bytes behind the stream`));
    }
  };

  const sendBurst = (): void => {
    if (burst.length === 0) return;
    const text = burst.length === 1 ? (burst[0] as string) : burst.join('');
    burst = [];
    send(text);
  };

  const uncork = (): void => {
    corked = false;
    response.uncork();
  };

  const write = (piece: Piece): void => {
    if (response.destroyed) return;
    if (typeof piece !== 'string') {
      sendBurst();
      // The pieces of one upstream chunk (see wholeEvents) leave in one system call, each uncopied.
      if (!corked) {
        corked = true;
        response.cork();
        process.nextTick(uncork);
      }
      return send(piece);
    }
    burst.push(piece);
    if (burst.length === 1) queueMicrotask(sendBurst);
  };

  const end = (): void => {
    if (response.destroyed || response.writableEnded) return;
    // What still waits for 'drain' goes into the socket's own buffer: end() flushes it in order.
    const rest = queued();
    if (rest !== undefined) writePiece(rest);
    if (burst.length > 0) response.write(burst.join(''));
    burst = [];
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
    frames$.subscribe({
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
