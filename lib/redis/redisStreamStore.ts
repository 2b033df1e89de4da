import type { Redis } from 'ioredis';
import { Observable } from 'rxjs';
import { AnthropicError, InvalidArgumentError } from '../errors';
import { bufferView } from '../proxy/bufferView';
import { errorFrameBody, HOLDER_GONE_ERROR, keptFramesFrom } from '../proxy/numberEvents';
import type { ProxyStreamStore } from '../proxy/ProxyStreamStore';
import { defineStreamCommands, type EntryField } from './streamScripts';

/**
 * Options of {@link redisStreamStore}.
 *
 * ## Example
 * ```ts
 * const options: RedisStreamStoreOptions = { prefix: 'chat-relay:streams:', ttlMs: 60_000, leaseMs: 15_000 };
 * ```
 */
export interface RedisStreamStoreOptions {
  /** What every key (and the stop channel) of the store starts with: relays that share streams share it. Default `'rx-anthropic:streams:'`. */
  prefix?: string;
  /** How long an ended stream is kept for a browser to resume, in ms. Default 5 minutes. */
  ttlMs?: number;
  /**
   * How long a stream's holder may go without renewing its lease (every third of it) before a
   * reader ends the stream with an error. Default 30 s. A reader waiting for live events looks
   * every third of it (at most every 5 s).
   */
  leaseMs?: number;
  /**
   * The most bytes kept for one stream (its events as the relay gives them, without the `id:`
   * lines added when they are read); a stream that grows past it is deleted (not resumable any
   * more). Default 8 MiB.
   */
  maxStreamBytes?: number;
}

/** A parsed entry of a stream of frames. */
interface Entry {
  readonly id: string;
  readonly first: number;
  readonly count: number;
  readonly frames: Buffer | undefined;
  /** Whether `frames` have their `id:` lines (`d`), or are the upstream's events, numbered when read (`r`). */
  readonly numbered: boolean;
  readonly ends: boolean;
  /** The names of its fields. */
  readonly fields: string[];
}

/** The raw entry of `XRANGE`/`XREAD` in their Buffer form: `[id, [field, value, …]]`. */
type RawEntry = [Buffer, Buffer[]];

const DEFAULT_TTL_MS = 5 * 60_000;
const DEFAULT_LEASE_MS = 30_000;
const DEFAULT_MAX_STREAM_BYTES = 8 * 1024 * 1024;
/** How long the connection that hears stop requests stays open after its last listener: streams come and go. */
const SUBSCRIBER_IDLE_MS = 5_000;
/** Entries a reader takes per `XREAD`. */
const READ_COUNT = 64;

/**
 * A {@link ProxyStreamStore} on Redis Streams: a browser resumes or stops a stream on any relay
 * instance given the same Redis (and `prefix`), whichever instance relays it.
 *
 * Each upstream chunk is one entry of a Redis Stream (`XADD` with the explicit id
 * `<first event's number>-0`, its events and their count), so that `Last-Event-ID: n`
 * is a stream position: a resume reads back to the entry that holds event `n + 1`
 * (`XREVRANGE … COUNT 1`), cuts it there, and goes on from it with `XREAD BLOCK`, on a
 * connection of its own (`duplicate()`), through the live entries to the end. A hash beside it
 * holds the owner, the lease and the end. Appends, the end, lease renewals and a reader's "holder
 * gone" are small Lua scripts, each atomic. Stop requests go out on one pub/sub channel (heard on
 * one `duplicate()` connection per store) and are also marked in the hash, which the holder's
 * next renewal reads, so none is lost. Both keys expire with the lease and ttl: an ended stream
 * `ttlMs` after its end, a stream whose holder died `leaseMs + ttlMs` after its last renewal.
 *
 * Bounds: `maxStreamBytes` per stream (past it the stream is deleted, and a resume answers 404);
 * what all streams hold together is Redis's memory (`maxmemory`, with a `volatile-*` policy: every
 * key of this store has an expiry).
 *
 * When Redis fails, the relay reports it (`onError`) and relays the stream as one that cannot be
 * resumed; a resume or stop answers 502 or 500.
 *
 * ## Example
 * ```ts
 * import { Redis } from 'ioredis';
 * import { createProxyHandler } from 'rx-anthropic/proxy';
 * import { redisStreamStore } from 'rx-anthropic/redis';
 *
 * const redis = new Redis(process.env.REDIS_URL!, { maxRetriesPerRequest: 1 });
 * createProxyHandler({ client, authorize, streamStore: redisStreamStore(redis, { prefix: 'chat-relay:streams:' }) });
 * ```
 *
 * @param redis An ioredis client (the store defines its scripts on it, and never closes it; it opens `duplicate()`s of it for live reads and stop requests).
 * @param options `prefix`, `ttlMs`, `leaseMs`, `maxStreamBytes`.
 * @return The store.
 * @see ProxyStreamStore
 */
export function redisStreamStore(redis: Redis, options: RedisStreamStoreOptions = {}): ProxyStreamStore {
  const prefix = options.prefix ?? 'rx-anthropic:streams:';
  if (typeof redis?.defineCommand !== 'function') throw new InvalidArgumentError('redis', 'redisStreamStore: redis must be an ioredis client (`new Redis(url)`).');
  if (typeof prefix !== 'string') throw new InvalidArgumentError('prefix', `redisStreamStore: prefix must be a string, got ${typeof prefix}.`);
  const ttlMs = positive('ttlMs', options.ttlMs ?? DEFAULT_TTL_MS);
  const leaseMs = positive('leaseMs', options.leaseMs ?? DEFAULT_LEASE_MS);
  const maxStreamBytes = positive('maxStreamBytes', options.maxStreamBytes ?? DEFAULT_MAX_STREAM_BYTES);
  const keepMs = Math.ceil(leaseMs + ttlMs);
  const blockMs = Math.round(Math.min(5_000, Math.max(20, leaseMs / 3)));
  const commands = defineStreamCommands(redis);
  // One hash slot per stream (the braces), so that the scripts may touch both keys under Redis Cluster.
  const hashKey = (id: string): string => `${prefix}{${id}}`;
  const eventsKey = (id: string): string => `${prefix}{${id}}:events`;
  const stopChannel = `${prefix}stop`;
  const holderGone = errorFrameBody(HOLDER_GONE_ERROR);
  const stops = stopListeners(redis, stopChannel, (id) => redis.hget(hashKey(id), 'stop').then((stop) => stop !== null));
  /** An append whose bytes go in the entry's field `field`; a Buffer view of them, since ioredis would send any other Uint8Array as the text of its numbers. */
  const appendIn =
    (field: EntryField) =>
    async (id: string, first: number, bytes: Uint8Array, count: number): Promise<boolean> =>
      (await commands.rxAnthropicStreamAppend(hashKey(id), eventsKey(id), first, count, bufferView(bytes), maxStreamBytes, keepMs, field)) === 1;

  return {
    leaseMs,
    async create(id, owner) {
      await commands.rxAnthropicStreamCreate(hashKey(id), eventsKey(id), owner, leaseMs, keepMs);
    },
    append: appendIn('d'),
    // What the relay uses: the upstream's bytes go to Redis as they came (no buffer of numbered frames is made for a batch), without the `id:` lines.
    appendEvents: appendIn('r'),
    async end(id) {
      await commands.rxAnthropicStreamEnd(hashKey(id), eventsKey(id), ttlMs);
    },
    async renew(id) {
      return (await commands.rxAnthropicStreamRenew(hashKey(id), eventsKey(id), leaseMs, keepMs)) === 1;
    },
    async read(id, owner, after) {
      if ((await redis.hget(hashKey(id), 'owner')) !== owner) return undefined;
      const events = eventsKey(id);
      return new Observable<Uint8Array>((subscriber) => {
        let closed = false;
        let reader: Redis | undefined;
        /** Emits what an entry holds after event `after`; whether it ends the stream. */
        const take = (entry: Entry): boolean => {
          // An entry of events in a field this version does not know (written by another): failing loudly, not skipping them.
          if (!entry.frames && entry.count > 0) throw unreadableEntry(id, entry);
          if (entry.frames && entry.first + entry.count > after + 1) {
            const frames = keptFramesFrom({ first: entry.first, count: entry.count, frames: entry.frames, numbered: entry.numbered }, after + 1);
            if (frames.byteLength > 0) subscriber.next(frames);
          }
          return entry.ends;
        };
        const run = async (): Promise<void> => {
          // The entry that holds event after + 1 is the last whose first event is at most after + 1.
          const [start] = (await redis.xrevrangeBuffer(events, `${after + 1}-0`, '-', 'COUNT', 1)) as RawEntry[];
          let cursor = '0-0';
          if (start) {
            const entry = entryOf(start);
            if (take(entry)) return subscriber.complete();
            cursor = entry.id;
          }
          reader = redis.duplicate();
          while (!closed) {
            const answer = (await reader.xreadBuffer('COUNT', READ_COUNT, 'BLOCK', blockMs, 'STREAMS', events, cursor)) as [Buffer, RawEntry[]][] | null;
            if (closed) return;
            const entries = answer?.[0]?.[1] ?? [];
            for (const raw of entries) {
              const entry = entryOf(raw);
              cursor = entry.id;
              if (take(entry)) return subscriber.complete();
            }
            if (entries.length > 0) continue;
            // Nothing for a while: the stream may be gone, or its holder.
            const verdict = await commands.rxAnthropicStreamEndIfHolderGone(hashKey(id), events, holderGone, ttlMs);
            if (verdict === 0) return subscriber.complete();
          }
        };
        run()
          .catch((error: unknown) => {
            if (!closed) subscriber.error(error);
          })
          .finally(() => reader?.disconnect());
        return () => {
          closed = true;
          reader?.disconnect();
        };
      });
    },
    async requestStop(id, owner) {
      return (await commands.rxAnthropicStreamRequestStop(hashKey(id), owner, stopChannel, id)) === 1;
    },
    stopRequests(id) {
      return stops(id);
    },
  };
}

/** An entry of a stream of frames, from its raw form. */
function entryOf([id, fields]: RawEntry): Entry {
  let count = 0;
  const names: string[] = [];
  let frames: Buffer | undefined;
  let numbered = true;
  let ends = false;
  for (let index = 0; index + 1 < fields.length; index += 2) {
    const name = (fields[index] as Buffer).toString('latin1');
    const value = fields[index + 1] as Buffer;
    names.push(name);
    if (name === 'n') count = Number(value.toString('latin1'));
    else if (name === 'd' || name === 'r') [frames, numbered] = [value, name === 'd'];
    else if (name === 'e') ends = true;
  }
  const text = id.toString('latin1');
  return { id: text, first: Number(text.slice(0, text.indexOf('-'))), count, frames, numbered, ends, fields: names };
}

/** The error of a reader that found an entry with events in no field it reads (`d` or `r`). */
function unreadableEntry(stream: string, entry: Entry): AnthropicError {
  const events = entry.count === 1 ? `event ${entry.first}` : `events ${entry.first} to ${entry.first + entry.count - 1}`;
  return new AnthropicError(
    `redisStreamStore: the entry ${entry.id} of stream ${stream} holds ${events} in fields this version does not read (${entry.fields.join(', ')}; it reads d and r): ` +
      'relay instances that share this Redis and prefix keep streams in different ways (a mix of versions).',
  );
}

/**
 * The stop requests of streams, heard on one subscriber connection (a `duplicate()` of `redis`)
 * while any stream listens, and for a while after. A request published before the subscription
 * took is caught by `stopped(id)`, asked once it has.
 */
function stopListeners(redis: Redis, channel: string, stopped: (id: string) => Promise<boolean>): (id: string) => Observable<void> {
  const listeners = new Map<string, Set<() => void>>();
  let subscriber: Redis | undefined;
  let subscribed: Promise<unknown> | undefined;
  let idle: NodeJS.Timeout | undefined;

  const connect = (): Promise<unknown> => {
    clearTimeout(idle);
    idle = undefined;
    if (subscriber && subscribed) return subscribed;
    const connection = redis.duplicate();
    connection.on('message', (_channel: string, id: string) => {
      for (const listener of [...(listeners.get(id) ?? [])]) listener();
    });
    // A failing subscriber must not crash the process: renewals still catch a stop.
    connection.on('error', () => undefined);
    // A listener in the background: it must not keep the process alive by itself (for its idle while, say).
    connection.on('ready', () => (connection as unknown as { stream?: { unref?(): void } }).stream?.unref?.());
    subscriber = connection;
    subscribed = connection.subscribe(channel);
    return subscribed;
  };

  const release = (): void => {
    if (listeners.size > 0 || idle) return;
    idle = setTimeout(() => {
      idle = undefined;
      if (listeners.size > 0) return;
      subscriber?.disconnect();
      subscriber = undefined;
      subscribed = undefined;
    }, SUBSCRIBER_IDLE_MS);
    idle.unref?.();
  };

  return (id) =>
    new Observable<void>((observer) => {
      const listener = (): void => observer.next();
      let set = listeners.get(id);
      if (!set) listeners.set(id, (set = new Set()));
      set.add(listener);
      connect()
        .then(() => stopped(id))
        .then(
          (stop) => {
            if (stop && set.has(listener)) listener();
          },
          () => undefined,
        );
      return () => {
        set.delete(listener);
        if (set.size === 0 && listeners.get(id) === set) listeners.delete(id);
        release();
      };
    });
}

function positive(name: string, value: number): number {
  if (!(typeof value === 'number' && Number.isFinite(value) && value > 0)) {
    throw new InvalidArgumentError(name, `redisStreamStore: ${name} must be a positive number, got ${String(value)}.`);
  }
  return value;
}
