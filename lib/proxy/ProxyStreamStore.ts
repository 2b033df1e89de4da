import type { Observable } from 'rxjs';

/**
 * Where the relay keeps its streams so that a browser whose connection dropped can resume them
 * (`GET {basePath}/streams/{id}` with `Last-Event-ID`) or stop them (`DELETE …`), on any relay
 * instance that shares the store. The default, {@link memoryStreamStore}, keeps them in this
 * process; `redisStreamStore` (in `rx-anthropic/redis`) shares them between instances.
 *
 * A stream is held by the instance that relays it: it creates the stream, appends its events as
 * SSE frames (each starting with `id: <n>\n`, `n` counting from 1), renews a lease every
 * `leaseMs / 3`, and ends it. A reader anywhere gets the frames after an event, then the live
 * ones, and completes at the end; a reader that finds the lease expired before the end appends
 * (once, atomically) an `event: error` frame saying that the holder stopped, and ends the stream,
 * so that nobody waits forever. An ended stream is forgotten after the store's ttl.
 *
 * Every method is atomic. Owners are opaque keys the relay composes from the identity
 * (`user:<id>`, or `anonymous`); a stream read or stopped with another owner is not found, as is
 * one forgotten or never created, and nothing tells them apart.
 *
 * ## Example
 * ```ts
 * const store: ProxyStreamStore = memoryStreamStore({ ttlMs: 60_000 });
 * createProxyHandler({ client, authorize, streamStore: store });
 * ```
 */
export interface ProxyStreamStore {
  /** How long a stream's holder may go without renewing before readers count it gone. The relay renews every third of it. */
  readonly leaseMs: number;
  /** Starts a stream owned by `owner`, held (and leased) by the caller. */
  create(id: string, owner: string): Promise<void>;
  /**
   * Appends the frames of `count` events, the first numbered `first` (the one after the last
   * appended). `false` when the store does not keep the stream (any more): over its bounds,
   * forgotten, or ended by a reader that found the lease expired. The stream is then not
   * resumable, and the holder stops appending.
   */
  append(id: string, first: number, frames: Uint8Array, count: number): Promise<boolean>;
  /**
   * Optional: {@link append}, the frames given as a Latin-1 string (one character per byte). The
   * relay numbers its frames as such a string; a store that copies the frames anyway (the memory
   * store into its buffers) writes them from it, and the relay makes no buffer for them. Without
   * it, the relay gives `append` a buffer of the same bytes.
   */
  appendLatin1?(id: string, first: number, frames: string, count: number): Promise<boolean>;
  /**
   * Optional: {@link append}, the `count` events given as they came from upstream, whole and
   * without their `id:` lines (the first is event `first`, the next `first + 1`, …). A store that
   * keeps them so numbers them where it hands them out (`read`), so that what it copies (or
   * sends to Redis) is the upstream's bytes as they are; the relay prefers it to
   * {@link appendLatin1} and {@link append}. Both `memoryStreamStore` and `redisStreamStore` have it.
   */
  appendEvents?(id: string, first: number, events: Uint8Array, count: number): Promise<boolean>;
  /** Ends the stream: its readers complete, and it is forgotten after the store's ttl. A no-op for a stream already ended or forgotten. */
  end(id: string): Promise<void>;
  /** Extends the holder's lease by `leaseMs`: `false` when the stream is not held any more (ended, forgotten, or a stop requested): the holder then stops. */
  renew(id: string): Promise<boolean>;
  /**
   * The frames of `owner`'s stream after event `after` (0: from the first), as they were
   * appended (the first cut at the event after `after`), then the live ones as they come;
   * completes when the stream has ended (at once for one that has). `undefined` when there is no
   * such stream for `owner`.
   */
  read(id: string, owner: string, after: number): Promise<Observable<Uint8Array> | undefined>;
  /** Asks the holder of `owner`'s stream, wherever it is, to stop it. `false` when there is no such stream for `owner`. */
  requestStop(id: string, owner: string): Promise<boolean>;
  /** Emits when a stop of the stream is requested, on any instance; the holder subscribes while it holds the stream. */
  stopRequests(id: string): Observable<void>;
}
