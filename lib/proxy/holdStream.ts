import { randomBytes } from 'node:crypto';
import { Observable, Subscription, type Subscriber } from 'rxjs';
import { Latin1Frames } from './Latin1Frames';
import { errorFrameBody, numberEventsAsLatin1, type NumberedText } from './numberEvents';
import type { ProxyStreamStore } from './ProxyStreamStore';
import { upstreamErrorResponse } from './upstreamErrorResponse';

/** A stream the relay holds: what its browser reads, and when the upstream request is over. */
export interface HeldStream {
  /**
   * The frames for the browser that started the stream, numbered, as they come. Unsubscribing
   * (the browser left) leaves the upstream running while the store keeps the stream, so that the
   * browser can resume it; when the store does not keep it, nobody could, and the upstream is
   * aborted. An upstream failure before the first frame fails it (the browser gets the status);
   * after, it ends with the relay's `event: error` frame. The frames are Latin-1 text
   * ({@link Latin1Frames}): written so, they are the bytes the store keeps.
   */
  readonly frames$: Observable<Latin1Frames>;
  /** Resolves once the upstream request is over: finished, failed, or stopped. */
  readonly done: Promise<void>;
  /** Sends the request upstream, if it has not gone yet (subscribing to `frames$` does too). */
  start(): void;
  /** Stops the stream: aborts the upstream request and ends the stream in the store. */
  stop(): void;
}

/** A new stream id: 16 random bytes, base64url, after `strm_`. */
export function newStreamId(): string {
  return `strm_${randomBytes(16).toString('base64url')}`;
}

/**
 * Relays `upstream$` (whole events, `wholeEvents()`'s) as numbered SSE frames to the browser and
 * into `store` under `id` (created already), renewing the stream's lease every `leaseMs / 3` and
 * stopping when a stop is requested (a `DELETE` on any instance) or the lease is lost. The
 * upstream is subscribed once the browser subscribes to `frames$` (so that it misses nothing of
 * an upstream that answers at once), or on `start()`.
 */
export function holdStream(upstream$: Observable<Uint8Array>, store: ProxyStreamStore, id: string, onError: (error: unknown) => void): HeldStream {
  let next = 1;
  let kept = true;
  let over = false;
  let browser: Subscriber<Latin1Frames> | undefined;
  let framesSent = false;
  let settle!: () => void;
  const done = new Promise<void>((resolve) => (settle = resolve));
  const subscriptions = new Subscription();

  const finish = (): void => {
    over = true;
    clearInterval(renewal);
    subscriptions.unsubscribe();
    settle();
  };

  /** No one can resume a stream the store dropped: the upstream goes on only for a browser still reading. */
  const unkeep = (): void => {
    kept = false;
    if (!browser) stop();
  };

  // One append at a time: the chunks that come meanwhile wait, and go as one (one round trip to a
  // shared store for many chunks); the end waits for the last of them.
  let appending = false;
  let waiting: TeedChunk[] = [];
  let endWhenAppended = false;
  let endSent = false;

  const appendNext = (): void => {
    if (waiting.length === 0 || !kept) {
      appending = false;
      if (endWhenAppended && kept && !endSent) {
        endSent = true;
        store.end(id).catch(onError);
      }
      return;
    }
    appending = true;
    const batch = waiting;
    waiting = [];
    const last = batch[batch.length - 1] as TeedChunk;
    const first = batch[0] as TeedChunk;
    const count = last.first + last.count - first.first;
    Promise.resolve()
      .then(() => appendBatch(store, id, batch, first.first, count))
      .then(
        (stillKept) => {
          if (!stillKept && kept) unkeep();
          appendNext();
        },
        (error: unknown) => {
          onError(error);
          if (kept) unkeep();
          appendNext();
        },
      );
  };

  const tee = (chunk: TeedChunk): void => {
    if (!kept) return;
    waiting.push(chunk);
    if (!appending) appendNext();
  };

  const endInStore = (): void => {
    if (!kept || endWhenAppended) return;
    endWhenAppended = true;
    if (!appending) appendNext();
  };

  function stop(): void {
    if (over) return;
    finish();
    endInStore();
    browser?.complete();
  }

  const frames$ = new Observable<Latin1Frames>((subscriber) => {
    if (over) return subscriber.complete();
    browser = subscriber;
    start();
    return () => {
      if (browser === subscriber) browser = undefined;
      if (!kept) stop();
    };
  });

  const renewal = setInterval(
    () =>
      void store.renew(id).then((held) => {
        if (!held) stop();
      }, onError),
    Math.max(1, store.leaseMs / 3),
  );
  renewal.unref?.();
  subscriptions.add(store.stopRequests(id).subscribe(() => stop()));
  let started = false;
  function start(): void {
    if (started || over) return;
    started = true;
    subscriptions.add(
      upstream$.subscribe({
        next: (chunk) => {
          const numbered = numberEventsAsLatin1(chunk, next);
          if (numbered.count === 0) return;
          next += numbered.count;
          tee({ ...numbered, events: chunk });
          if (browser) {
            framesSent = true;
            browser.next(new Latin1Frames(numbered.text));
          }
        },
        error: (error: unknown) => {
          const answer = upstreamErrorResponse(error);
          // The relay's own event, numbered as the upstream's are: the store gets it without its id, the browser with it.
          const events = Buffer.from(errorFrameBody(answer.body));
          const numbered = numberEventsAsLatin1(events, next);
          const frames = new Latin1Frames(numbered.text);
          tee({ ...numbered, events });
          next += 1;
          const reader = browser;
          finish();
          endInStore();
          // Before any frame the browser gets the API's status and body (relayFrames reports it then).
          if (reader && !framesSent) return reader.error(error);
          if (answer.report) onError(error);
          reader?.next(frames);
          reader?.complete();
        },
        complete: () => {
          finish();
          endInStore();
          browser?.complete();
        },
      }),
    );
  }
  return { frames$, done, start, stop };
}

/** A chunk on its way to the store: its frames numbered (as the browser gets them), and its events as they came from upstream. */
interface TeedChunk extends NumberedText {
  readonly events: Uint8Array;
}

/**
 * Appends a batch of chunks, the events `first` to `first + count - 1`, as the store takes them
 * best: the upstream's bytes (`appendEvents`, which copies them as they are and numbers them when
 * read), the numbered frames as Latin-1 text, or as bytes.
 */
function appendBatch(store: ProxyStreamStore, id: string, batch: readonly TeedChunk[], first: number, count: number): Promise<boolean> {
  if (store.appendEvents) return store.appendEvents(id, first, batch.length === 1 ? (batch[0] as TeedChunk).events : Buffer.concat(batch.map((chunk) => chunk.events)), count);
  const text = batch.length === 1 ? (batch[0] as TeedChunk).text : batch.map((chunk) => chunk.text).join('');
  return store.appendLatin1 ? store.appendLatin1(id, first, text, count) : store.append(id, first, Buffer.from(text, 'latin1'), count);
}
