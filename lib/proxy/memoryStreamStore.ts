import { Observable } from 'rxjs';
import { InvalidArgumentError } from '../errors';
import { errorFrame, HOLDER_GONE_ERROR, keptFramesFrom, numberEvents, type KeptChunk } from './numberEvents';
import type { ProxyStreamStore } from './ProxyStreamStore';
import { SlabPool } from './slabPool';
import { bufferView } from './bufferView';

/**
 * Options of {@link memoryStreamStore}.
 *
 * ## Example
 * ```ts
 * const options: MemoryStreamStoreOptions = { ttlMs: 60_000, maxBytes: 32 * 1024 * 1024, maxStreamBytes: 2 * 1024 * 1024 };
 * ```
 */
export interface MemoryStreamStoreOptions {
  /** How long an ended stream is kept for a browser to resume, in ms. Default 5 minutes. */
  ttlMs?: number;
  /** How long a stream's holder may go without renewing its lease before readers end it with an error. Default 30 s. */
  leaseMs?: number;
  /**
   * The most memory the frames of every stream take in all: they are copied into buffers of
   * 64 KiB (a sixteenth of `maxBytes` if that is smaller; a chunk larger than one gets its own),
   * reused once their stream is forgotten. Past it, the streams that have ended are forgotten
   * first, the longest ended first; if that is not enough, the stream that would pass it is
   * forgotten (not resumable any more). Default 128 MiB.
   *
   * The buffers are cut from one piece of memory of this size (256 MiB at most at a time), asked
   * for when the first stream is kept and kept by the store from then on: it counts in
   * `process.memoryUsage().arrayBuffers` at once, while the system gives it pages only as frames
   * are written into them.
   */
  maxBytes?: number;
  /**
   * The most bytes kept for one stream (its events as the relay gives them: without the `id:` lines
   * added when they are read); a stream that grows past it is forgotten (not resumable any more).
   * Default 8 MiB.
   */
  maxStreamBytes?: number;
}

/** A reader waiting for live frames. */
interface Reader {
  frames(frames: Buffer): void;
  end(): void;
}

interface StoredStream {
  readonly owner: string;
  /**
   * Its frames as kept: each a view of one of its slabs (or a buffer of its own when larger than
   * one), each event with its `id:` line (`append`), or without (`appendEvents`: numbered when read).
   */
  readonly chunks: KeptChunk[];
  /** The pool's buffers its frames were copied into; the last one is being filled, from `slabFill`. */
  readonly slabs: Buffer[];
  slabFill: number;
  /** The memory it takes: its slabs, and its chunks larger than a slab. */
  memory: number;
  /** The number of the next event. */
  next: number;
  bytes: number;
  ended: boolean;
  stopRequested: boolean;
  leaseUntil: number;
  /** When it is forgotten, if nobody renews or ends it before. */
  forgetAt: number;
  forgetTimer: NodeJS.Timeout | undefined;
  readonly readers: Set<Reader>;
  readonly stopListeners: Set<() => void>;
}

const DEFAULT_TTL_MS = 5 * 60_000;
const DEFAULT_LEASE_MS = 30_000;
const DEFAULT_MAX_BYTES = 128 * 1024 * 1024;
const DEFAULT_MAX_STREAM_BYTES = 8 * 1024 * 1024;
/** The buffers frames are copied into: an upstream chunk of the API (16 KiB at most as it writes them) fits several times. */
const MAX_SLAB_BYTES = 64 * 1024;
/** The streams whose holder vanished without a reader to notice are looked for at most this often. */
const SWEEP_EVERY_MS = 1_000;

/**
 * A {@link ProxyStreamStore} in this process's memory: the default `streamStore` of `createProxyHandler`.
 *
 * A browser can resume a stream on the relay instance that relays it, and only there: relays behind
 * a load balancer need a shared store (`redisStreamStore` in `rx-anthropic/redis`), or sticky
 * sessions. The relay gives it each stream's events as they came from upstream (`appendEvents`),
 * which it numbers when a browser reads them. They are copied into buffers cut from one piece of memory (`maxBytes`) and
 * reused once their stream is forgotten (kept for minutes in buffers of their own, or in buffers
 * allocated one at a time, every stream would grow the memory V8 counts and cost a full
 * collection every few streams), and bounded: `maxStreamBytes` per stream and
 * `maxBytes` in all. Past a bound, ended
 * streams are forgotten first, oldest end first; a stream that still does not fit is forgotten, and
 * a resume of it answers 404 like an unknown one (its browser, if still connected, gets the rest as
 * usual; if it has left, the relay stops the upstream request, which nobody can resume). An ended
 * stream is forgotten `ttlMs` after its end.
 *
 * ## Example
 * ```ts
 * import { createProxyHandler, memoryStreamStore } from 'rx-anthropic/proxy';
 *
 * createProxyHandler({ client, authorize, streamStore: memoryStreamStore({ ttlMs: 60_000, maxBytes: 32 * 1024 * 1024 }) });
 * ```
 *
 * @param options `ttlMs`, `leaseMs`, and the bounds `maxBytes` and `maxStreamBytes`.
 * @return The store.
 * @see ProxyStreamStore
 */
export function memoryStreamStore(options: MemoryStreamStoreOptions = {}): ProxyStreamStore {
  const ttlMs = positive('ttlMs', options.ttlMs ?? DEFAULT_TTL_MS);
  const leaseMs = positive('leaseMs', options.leaseMs ?? DEFAULT_LEASE_MS);
  const maxBytes = positive('maxBytes', options.maxBytes ?? DEFAULT_MAX_BYTES);
  const maxStreamBytes = positive('maxStreamBytes', options.maxStreamBytes ?? DEFAULT_MAX_STREAM_BYTES);

  const streams = new Map<string, StoredStream>();
  // At least 16 slabs fit in maxBytes; they are cut from one piece of memory of maxBytes, asked for by the first stream.
  const SLAB_BYTES = Math.max(1, Math.min(MAX_SLAB_BYTES, Math.floor(maxBytes / 16)));
  const pool = new SlabPool(SLAB_BYTES, maxBytes);
  /** The ended streams, in the order they ended: the first to forget when memory runs short. */
  const ended = new Set<string>();
  let totalBytes = 0;
  let sweptAt = 0;

  const forget = (id: string): void => {
    const stream = streams.get(id);
    if (!stream) return;
    streams.delete(id);
    ended.delete(id);
    totalBytes -= stream.memory;
    // Nothing reads them any more: readers got copies (see read), and the holder its own frames.
    for (const slab of stream.slabs) pool.give(slab);
    stream.slabs.length = 0;
    clearTimeout(stream.forgetTimer);
    for (const reader of stream.readers) reader.end();
    stream.readers.clear();
  };

  /** Forgets the streams past their time: ended ones have a timer; one whose holder vanished without anyone reading it is found here. */
  const sweep = (now: number): void => {
    if (now - sweptAt < SWEEP_EVERY_MS) return;
    sweptAt = now;
    for (const [id, stream] of streams) if (stream.forgetAt <= now) forget(id);
  };

  const found = (id: string, now = Date.now()): StoredStream | undefined => {
    const stream = streams.get(id);
    if (stream && stream.forgetAt <= now) {
      forget(id);
      return undefined;
    }
    return stream;
  };

  const endStream = (id: string, stream: StoredStream): void => {
    if (stream.ended) return;
    stream.ended = true;
    ended.add(id);
    stream.forgetAt = Date.now() + ttlMs;
    stream.forgetTimer = setTimeout(() => forget(id), ttlMs);
    stream.forgetTimer.unref?.();
    for (const reader of stream.readers) reader.end();
    stream.readers.clear();
    stream.stopListeners.clear();
  };

  /**
   * Adds the frames of events `first` to `first + count - 1` (bytes, or their Latin-1 text; with
   * their `id:` lines, or without when not `numbered`) to a stream within the bounds (copied into
   * its slabs), or forgets it; whether it is still kept.
   */
  const keep = (id: string, stream: StoredStream, first: number, count: number, frames: Buffer | string, numbered = true): boolean => {
    const size = typeof frames === 'string' ? frames.length : frames.byteLength;
    if (stream.bytes + size > maxStreamBytes) {
      forget(id);
      return false;
    }
    const last = stream.slabs[stream.slabs.length - 1];
    const fits = last !== undefined && stream.slabFill + size <= SLAB_BYTES;
    // New memory: a slab, or a buffer of its own for a chunk larger than one.
    const grows = fits ? 0 : size > SLAB_BYTES ? size : SLAB_BYTES;
    for (const oldest of ended) {
      if (totalBytes + grows <= maxBytes) break;
      forget(oldest);
    }
    if (totalBytes + grows > maxBytes) {
      forget(id);
      return false;
    }
    let stored: Buffer;
    if (size > SLAB_BYTES) {
      stored = typeof frames === 'string' ? Buffer.from(frames, 'latin1') : Buffer.from(frames);
    } else {
      if (!fits) {
        stream.slabs.push(pool.take());
        stream.slabFill = 0;
      }
      const slab = stream.slabs[stream.slabs.length - 1] as Buffer;
      if (typeof frames === 'string') slab.write(frames, stream.slabFill, size, 'latin1');
      else frames.copy(slab, stream.slabFill);
      stored = slab.subarray(stream.slabFill, stream.slabFill + size);
      stream.slabFill += size;
    }
    stream.chunks.push({ first, count, frames: stored, numbered });
    stream.bytes += size;
    stream.memory += grows;
    totalBytes += grows;
    stream.next = first + count;
    // Readers get the holder's buffer, or a copy of the text's bytes, or the events numbered (not the slab: it is reused once the stream is forgotten).
    if (stream.readers.size > 0) {
      const given = !numbered ? numberEvents(stored, first).frames : typeof frames === 'string' ? Buffer.from(stored) : frames;
      for (const reader of stream.readers) reader.frames(given);
    }
    return true;
  };

  /** `append`, `appendLatin1` and `appendEvents`: the frames kept when they are the stream's next events and it has not ended. */
  const appendTo = (id: string, first: number, count: number, frames: Buffer | string, numbered = true): Promise<boolean> => {
    const stream = found(id);
    if (!stream || stream.ended || first !== stream.next) return Promise.resolve(false);
    return Promise.resolve(keep(id, stream, first, count, frames, numbered));
  };

  /** The holder has not renewed in time: the stream ends with an error frame, so that its readers do not wait forever. */
  const endIfHolderGone = (id: string, stream: StoredStream): void => {
    if (stream.ended || stream.leaseUntil > Date.now()) return;
    keep(id, stream, stream.next, 1, errorFrame(stream.next, HOLDER_GONE_ERROR));
    endStream(id, stream);
  };

  return {
    leaseMs,
    create(id, owner) {
      const now = Date.now();
      sweep(now);
      forget(id);
      streams.set(id, {
        owner,
        chunks: [],
        slabs: [],
        slabFill: 0,
        memory: 0,
        next: 1,
        bytes: 0,
        ended: false,
        stopRequested: false,
        leaseUntil: now + leaseMs,
        forgetAt: now + leaseMs + ttlMs,
        forgetTimer: undefined,
        readers: new Set(),
        stopListeners: new Set(),
      });
      return Promise.resolve();
    },
    append(id, first, frames, count) {
      const bytes = bufferView(frames);
      return appendTo(id, first, count, bytes);
    },
    appendLatin1(id, first, frames, count) {
      return appendTo(id, first, count, frames);
    },
    appendEvents(id, first, events, count) {
      return appendTo(id, first, count, bufferView(events), false);
    },
    end(id) {
      const stream = found(id);
      if (stream) endStream(id, stream);
      return Promise.resolve();
    },
    renew(id) {
      const stream = found(id);
      if (!stream || stream.ended || stream.stopRequested) return Promise.resolve(false);
      const now = Date.now();
      stream.leaseUntil = now + leaseMs;
      stream.forgetAt = now + leaseMs + ttlMs;
      return Promise.resolve(true);
    },
    read(id, owner, after) {
      const now = Date.now();
      sweep(now);
      const stream = found(id, now);
      if (!stream || stream.owner !== owner) return Promise.resolve(undefined);
      return Promise.resolve(
        new Observable<Uint8Array>((subscriber) => {
          for (const chunk of stream.chunks) {
            if (chunk.first + chunk.count <= after + 1) continue;
            // Numbered frames are copied: the slab is reused once the stream is forgotten, perhaps before the response has written it.
            const view = keptFramesFrom(chunk, after + 1);
            const frames = chunk.numbered ? Buffer.from(view) : view;
            if (frames.byteLength > 0) subscriber.next(frames);
          }
          if (stream.ended || !streams.has(id)) return subscriber.complete();
          const reader: Reader = { frames: (frames) => subscriber.next(frames), end: () => subscriber.complete() };
          stream.readers.add(reader);
          const check = setInterval(() => endIfHolderGone(id, stream), Math.max(10, Math.floor(leaseMs / 3)));
          check.unref?.();
          return () => {
            clearInterval(check);
            stream.readers.delete(reader);
          };
        }),
      );
    },
    requestStop(id, owner) {
      const stream = found(id);
      if (!stream || stream.owner !== owner) return Promise.resolve(false);
      if (!stream.ended) {
        stream.stopRequested = true;
        for (const listener of [...stream.stopListeners]) listener();
      }
      return Promise.resolve(true);
    },
    stopRequests(id) {
      return new Observable<void>((subscriber) => {
        const stream = found(id);
        if (!stream) return undefined;
        const listener = (): void => subscriber.next();
        stream.stopListeners.add(listener);
        if (stream.stopRequested) subscriber.next();
        return () => stream.stopListeners.delete(listener);
      });
    },
  };
}

function positive(name: string, value: number): number {
  if (!(Number.isFinite(value) && value > 0)) throw new InvalidArgumentError(name, `memoryStreamStore: ${name} must be a positive number, got ${String(value)}.`);
  return value;
}
