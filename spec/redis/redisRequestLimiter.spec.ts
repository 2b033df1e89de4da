import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import * as path from 'node:path';
import { createInterface } from 'node:readline';
import type { Redis } from 'ioredis';
import { catchError, lastValueFrom, map, mergeMap, Observable, of, range, toArray } from 'rxjs';
import { createClient, finalText, InvalidArgumentError, LimiterUnavailableError, type MessageCreateParams } from 'rx-anthropic';
import { createMockServer, errorReply, textReply, type MockServer, type MockTurn, type RecordedRequest } from 'rx-anthropic/testing';
import { redisRequestLimiter } from '../../lib/redis/redisRequestLimiter';
import { connectRedis, deleteKeys, describeWithRedis, HAS_REDIS_SERVER, REDIS_URL, startRedisServer, uniquePrefix, type OwnRedisServer } from './support/redisServer';

const ROOT = path.resolve(__dirname, '../..');
const CLIENT_SCRIPT = 'spec/redis/support/limitedClient.ts';
const KEY = 'shared';

/** `promise`, or a failure after `ms` that says what was awaited. */
function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`Timed out after ${ms} ms waiting for ${what}`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Resolves once `check()` is true, asking every 10 ms; fails after `ms` naming `what`. */
async function until(check: () => boolean | Promise<boolean>, ms: number, what: string): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`Timed out after ${ms} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const leasesKey = (prefix: string) => `${prefix}{${KEY}}:leases`;
const channelOf = (prefix: string) => `${prefix}{${KEY}}:released`;

/** A stream of about `ms` milliseconds: 7 frames, one every `ms / 7`. */
const slowReply = (ms: number): MockTurn => textReply('ok', { chunkSize: 1, chunkDelayMs: Math.round(ms / 7) });

interface Arrival {
  readonly label: string;
  readonly index: number;
  readonly at: number;
}

/** The mock API, counting the exchanges open at once and noting who asked when (the label before `#` in the prompt). */
async function countingServer(reply: (label: string, index: number) => MockTurn) {
  const stats = { open: 0, maxOpen: 0, arrivals: [] as Arrival[] };
  const server = await createMockServer((request: RecordedRequest, index: number) => {
    const content = String((request.body as { messages: { content: string }[] }).messages[0]?.content);
    const label = content.split('#')[0] ?? '';
    stats.arrivals.push({ label, index, at: Date.now() });
    stats.open += 1;
    stats.maxOpen = Math.max(stats.maxOpen, stats.open);
    void request.closed.then(() => (stats.open -= 1));
    return reply(label, index);
  });
  servers.push(server);
  return { server, stats };
}

interface ReportLine {
  readonly type: 'ready' | 'done' | 'failed' | 'finished' | 'crashed';
  readonly at: number;
  readonly ok?: number;
  readonly failed?: number;
  readonly error?: string;
}

/** A client process running `limitedClient.ts`, its report lines as they come. */
class ClientProcess {
  readonly lines: ReportLine[] = [];
  private readonly child: ChildProcessWithoutNullStreams;
  private stderr = '';
  readonly exited: Promise<number | null>;

  constructor(
    readonly label: string,
    args: { redisURL: string; prefix: string; count: number; baseURL: string; leaseMs?: number },
  ) {
    const argv = [args.redisURL, args.prefix, KEY, String(args.count), args.baseURL, label, ...(args.leaseMs ? [String(args.leaseMs)] : [])];
    this.child = spawn(process.execPath, ['--import', 'tsx', CLIENT_SCRIPT, ...argv], { cwd: ROOT, stdio: 'pipe' });
    children.push(this.child);
    createInterface({ input: this.child.stdout }).on('line', (line) => {
      try {
        this.lines.push(JSON.parse(line) as ReportLine);
      } catch {
        this.stderr += `(stdout) ${line}\n`;
      }
    });
    this.child.stderr.on('data', (chunk: Buffer) => (this.stderr += chunk.toString()));
    this.exited = new Promise((resolve) => this.child.once('exit', (code) => resolve(code)));
  }

  /** The first line of `type`, waiting for it at most `ms`. */
  async line(type: ReportLine['type'], ms: number): Promise<ReportLine> {
    try {
      await until(() => this.lines.some((line) => line.type === type || line.type === 'crashed') || this.child.exitCode !== null, ms, `"${type}" from client process ${this.label}`);
    } catch (error) {
      throw new Error(`${(error as Error).message}; its stderr: ${this.stderr.slice(-2000) || '(empty)'}`);
    }
    const found = this.lines.find((line) => line.type === type);
    if (!found) throw new Error(`Client process ${this.label} ended without "${type}": ${JSON.stringify(this.lines.slice(-3))}; stderr: ${this.stderr.slice(-2000)}`);
    return found;
  }

  go(): void {
    this.child.stdin.write('go\n');
  }

  kill(): void {
    this.child.kill('SIGKILL');
  }
}

const params = (content: string): MessageCreateParams => ({ model: 'claude-test', max_tokens: 16, messages: [{ role: 'user', content }] });

let servers: MockServer[] = [];
let children: ChildProcessWithoutNullStreams[] = [];
let connections: Redis[] = [];

afterEach(async () => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  children = [];
  await Promise.all(servers.map((server) => server.close()));
  servers = [];
  for (const connection of connections) connection.disconnect();
  connections = [];
});

function connect(url?: string): Redis {
  const redis = connectRedis(url);
  connections.push(redis);
  return redis;
}

describeWithRedis('redisRequestLimiter across processes', () => {
  let redis: Redis;
  let prefix: string;
  beforeEach(() => {
    redis = connect();
    prefix = uniquePrefix('limiter');
  });
  afterEach(async () => {
    await deleteKeys(redis, prefix);
  });

  const startClients = async (labels: string[], baseURL: string, count: number, leaseMs?: number): Promise<ClientProcess[]> => {
    const clients = labels.map((label) => new ClientProcess(label, { redisURL: REDIS_URL!, prefix, count, baseURL, ...(leaseMs ? { leaseMs } : {}) }));
    await Promise.all(clients.map((client) => client.line('ready', 15_000)));
    return clients;
  };

  it('three processes sending 10 streams each never have more than 4 open at once, and all 30 complete', async () => {
    const { server, stats } = await countingServer(() => slowReply(150));
    const clients = await startClients(['a', 'b', 'c'], server.baseURL, 10);
    clients.forEach((client) => client.go());
    const finished = await Promise.all(clients.map((client) => client.line('finished', 20_000)));

    expect(finished.map((line) => [line.ok, line.failed])).toEqual([[10, 0], [10, 0], [10, 0]]);
    expect(stats.arrivals).toHaveLength(30);
    for (const label of ['a', 'b', 'c']) expect(stats.arrivals.filter((arrival) => arrival.label === label)).toHaveLength(10);
    // Four per process would open twelve: the limit is the processes' together, and it is used.
    expect(stats.maxOpen).toBe(4);
    await Promise.all(clients.map((client) => within(client.exited, 5_000, 'the client processes to exit')));
    expect(await redis.zcard(leasesKey(prefix))).toBe(0);
  }, 45_000);

  it('a 429 with retry-after: 2 answered to one process holds back all three for 2 s, then they go on', async () => {
    const RATE_LIMITED = 7;
    const { server, stats } = await countingServer((_label, index) =>
      index === RATE_LIMITED ? errorReply(429, { type: 'rate_limit_error', headers: { 'retry-after': '2' } }) : slowReply(150),
    );
    const clients = await startClients(['a', 'b', 'c'], server.baseURL, 10);
    clients.forEach((client) => client.go());
    const finished = await Promise.all(clients.map((client) => client.line('finished', 25_000)));

    // Every request succeeds in the end: the rate-limited one on its retry, after the pause.
    expect(finished.map((line) => [line.ok, line.failed])).toEqual([[10, 0], [10, 0], [10, 0]]);
    expect(stats.arrivals).toHaveLength(31);
    const limited = stats.arrivals[RATE_LIMITED]!;
    // Requests let through before the pause reached Redis arrive within a few ms of the 429; none later until the pause ends.
    const RACE_MS = 150;
    const TOLERANCE_MS = 50;
    const after = stats.arrivals.filter((arrival) => arrival.at > limited.at + RACE_MS);
    expect(after.filter((arrival) => arrival.at < limited.at + 2_000 - TOLERANCE_MS)).toEqual([]);
    // All three processes still had requests to send, and sent them after the pause: it held back each of them.
    expect(new Set(after.map((arrival) => arrival.label))).toEqual(new Set(['a', 'b', 'c']));
    expect(stats.maxOpen).toBeLessThanOrEqual(4);
  }, 45_000);

  it('a process killed while holding places frees them within leaseMs', async () => {
    const LEASE_MS = 900;
    const { server, stats } = await countingServer((label) => (label === 'doomed' ? { ...slowReply(0), hangAfterHeaders: true } : slowReply(50)));
    const [doomed] = await startClients(['doomed'], server.baseURL, 4, LEASE_MS);
    doomed!.go();
    await until(() => stats.open === 4, 10_000, 'the doomed process to hold its 4 places open on the server');
    expect(await redis.zcard(leasesKey(prefix))).toBe(4);
    doomed!.kill();
    const killedAt = Date.now();
    await within(doomed!.exited, 5_000, 'the killed process to exit');

    const limiter = redisRequestLimiter(redis, { key: KEY, prefix, maxConcurrentRequests: 4, leaseMs: LEASE_MS });
    const client = createClient({ apiKey: 'k', baseURL: server.baseURL, limiter });
    const answers = await within(
      lastValueFrom(range(0, 4).pipe(mergeMap((n) => client.messages.stream(params(`survivor#${n}`)).pipe(finalText())), toArray())),
      LEASE_MS + 3_000,
      'the 4 places of the killed process to free',
    );
    expect(answers).toEqual(['ok', 'ok', 'ok', 'ok']);
    const survivors = stats.arrivals.filter((arrival) => arrival.label === 'survivor').map((arrival) => arrival.at - killedAt);
    expect(survivors).toHaveLength(4);
    // The leases were renewed at most leaseMs / 3 before the kill: they held the places for a while after it…
    expect(Math.min(...survivors)).toBeGreaterThanOrEqual(LEASE_MS / 3);
    // …and freed them within leaseMs (and a little for the request to travel).
    expect(Math.max(...survivors)).toBeLessThanOrEqual(LEASE_MS + 300);
  }, 30_000);
});

describeWithRedis('redisRequestLimiter in one process', () => {
  let redis: Redis;
  let prefix: string;
  beforeEach(() => {
    redis = connect();
    prefix = uniquePrefix('limiter');
  });
  afterEach(async () => {
    await deleteKeys(redis, prefix);
  });

  /**
   * Watches the timers that lib/redis/redisRequestLimiter.ts sets (found by the stack where they
   * are set): `pending()` lists those neither fired nor cleared, as `timeout` or `interval`.
   */
  function watchLimiterTimers() {
    const real = { setTimeout: global.setTimeout, setInterval: global.setInterval, clearTimeout: global.clearTimeout, clearInterval: global.clearInterval };
    const pending = new Map<unknown, 'timeout' | 'interval'>();
    const fromLimiter = () => /lib[\\/]redis[\\/]redisRequestLimiter\.ts/.test(new Error().stack ?? '');
    global.setTimeout = ((callback: (...args: unknown[]) => void, ms?: number, ...args: unknown[]) => {
      const handle = real.setTimeout(() => {
        pending.delete(handle);
        callback(...args);
      }, ms);
      if (fromLimiter()) pending.set(handle, 'timeout');
      return handle;
    }) as typeof setTimeout;
    global.setInterval = ((callback: (...args: unknown[]) => void, ms?: number, ...args: unknown[]) => {
      const handle = real.setInterval(callback, ms, ...args);
      if (fromLimiter()) pending.set(handle, 'interval');
      return handle;
    }) as typeof setInterval;
    global.clearTimeout = ((handle?: Parameters<typeof clearTimeout>[0]) => {
      pending.delete(handle);
      real.clearTimeout(handle);
    }) as typeof clearTimeout;
    global.clearInterval = ((handle?: Parameters<typeof clearInterval>[0]) => {
      pending.delete(handle);
      real.clearInterval(handle);
    }) as typeof clearInterval;
    return {
      pending: () => [...pending.values()].sort(),
      restore: () => Object.assign(global, real),
    };
  }
  const subscribers = async () => Number((await redis.pubsub('NUMSUB', channelOf(prefix)))[1]);

  it('a request unsubscribed while it waits leaves no lease, no timer and no subscriber behind', async () => {
    const timers = watchLimiterTimers();
    try {
      const limiter = redisRequestLimiter(redis, { key: KEY, prefix, maxConcurrentRequests: 1 });
      const holder = limiter.limit(new Observable<never>()).subscribe();
      await until(async () => (await redis.zcard(leasesKey(prefix))) === 1, 5_000, 'the first request to take the only place');
      expect(timers.pending()).toEqual(['interval']); // the renewal of its lease

      const started = jest.fn();
      const waiting = limiter.limit(new Observable<string>(() => started())).subscribe();
      await until(async () => (await subscribers()) === 1, 5_000, 'the waiting request to listen for a place');
      expect(timers.pending()).toContain('timeout'); // it asks again within a second, should a message be lost
      waiting.unsubscribe();
      await until(async () => (await subscribers()) === 0, 5_000, 'the wake-up connection to close');
      await until(() => timers.pending().length === 1, 200, 'the timers of the waiting request to go (an acquire on its way when it left may still answer)');
      expect(timers.pending()).toEqual(['interval']);

      holder.unsubscribe();
      await until(async () => (await redis.zcard(leasesKey(prefix))) === 0, 5_000, 'the place to be given back');
      await sleep(100);
      expect(started).not.toHaveBeenCalled();
      expect(await redis.zcard(leasesKey(prefix))).toBe(0);
      expect(timers.pending()).toEqual([]);
    } finally {
      timers.restore();
    }
  });

  it('a place given back wakes a waiter at once, in subscription order', async () => {
    const limiter = redisRequestLimiter(redis, { key: KEY, prefix, maxConcurrentRequests: 1 });
    const order: string[] = [];
    const holder = limiter.limit(new Observable<never>()).subscribe();
    await until(async () => (await redis.zcard(leasesKey(prefix))) === 1, 5_000, 'the first request to take the only place');
    const first = lastValueFrom(limiter.limit(of('first')).pipe(map((value) => (order.push(value), value))));
    const second = lastValueFrom(limiter.limit(of('second')).pipe(map((value) => (order.push(value), value))));
    await until(async () => (await subscribers()) === 1, 5_000, 'the waiting requests to listen for a place');
    const releasedAt = Date.now();
    holder.unsubscribe();
    await within(Promise.all([first, second]), 2_000, 'both waiters to get the place in turn');
    // Polling alone would take up to a second; the released message wakes them at once.
    expect(Date.now() - releasedAt).toBeLessThan(500);
    expect(order).toEqual(['first', 'second']);
  });

  it('renews the place of a request that runs longer than leaseMs, so that nobody else takes it', async () => {
    const LEASE_MS = 150;
    const limiter = redisRequestLimiter(redis, { key: KEY, prefix, maxConcurrentRequests: 1, leaseMs: LEASE_MS });
    const holder = limiter.limit(new Observable<never>()).subscribe();
    await until(async () => (await redis.zcard(leasesKey(prefix))) === 1, 5_000, 'the first request to take the only place');
    const started = jest.fn();
    const waiting = limiter.limit(new Observable<string>(() => started())).subscribe();
    await sleep(LEASE_MS * 6);
    expect(started).not.toHaveBeenCalled();
    expect(await redis.zcard(leasesKey(prefix))).toBe(1);
    holder.unsubscribe();
    await until(() => started.mock.calls.length === 1, 2_000, 'the waiting request to start once the place is given back');
    waiting.unsubscribe();
  });

  it('refuses options it cannot use, naming them', () => {
    const cases: [string, () => unknown][] = [
      ['redis', () => redisRequestLimiter({} as Redis, { key: KEY, maxConcurrentRequests: 1 })],
      ['key', () => redisRequestLimiter(redis, { key: '', maxConcurrentRequests: 1 })],
      ['maxConcurrentRequests', () => redisRequestLimiter(redis, { key: KEY, maxConcurrentRequests: 0 })],
      ['leaseMs', () => redisRequestLimiter(redis, { key: KEY, maxConcurrentRequests: 1, leaseMs: 1.5 })],
      ['onStoreError', () => redisRequestLimiter(redis, { key: KEY, maxConcurrentRequests: 1, onStoreError: 'ignore' as 'allow' })],
      ['rateLimit', () => redisRequestLimiter(redis, { key: KEY, maxConcurrentRequests: 1, rateLimit: 'yes' as 'respect' })],
    ];
    for (const [argument, build] of cases) {
      let thrown: unknown;
      try {
        build();
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(InvalidArgumentError);
      expect((thrown as InvalidArgumentError).argument).toBe(argument);
    }
  });
});

// These start, stop and restart a redis-server of their own.
(HAS_REDIS_SERVER ? describeWithRedis : describe.skip)('redisRequestLimiter when Redis stops', () => {
  let own: OwnRedisServer;
  let stopped = false;
  beforeAll(async () => {
    own = await startRedisServer();
  }, 15_000);
  afterAll(async () => {
    await own?.dispose();
  });
  afterEach(async () => {
    // A test that failed midway may have left it stopped.
    if (stopped) await own.start();
    stopped = false;
  }, 15_000);

  /** Sends `count` streams at once; each ends as its text or its error's class name. */
  const burst = (client: ReturnType<typeof createClient>, label: string, count: number) =>
    lastValueFrom(
      range(0, count).pipe(
        mergeMap((n) => client.messages.stream(params(`${label}#${n}`)).pipe(finalText(), catchError((error: unknown) => of(error)))),
        toArray(),
      ),
    );

  /** Stops Redis once 4 requests are open, then lets it come back; the next burst is limited again. */
  async function outage(onStoreError: 'allow' | 'refuse') {
    const { server, stats } = await countingServer(() => slowReply(600));
    const redis = connect(own.url);
    const prefix = uniquePrefix('outage');
    const warnings: string[] = [];
    const limiter = redisRequestLimiter(redis, { key: KEY, prefix, maxConcurrentRequests: 4, onStoreError, onWarning: (message) => warnings.push(message) });
    const client = createClient({ apiKey: 'k', baseURL: server.baseURL, limiter });

    const during = burst(client, 'during', 10);
    await until(() => stats.open === 4, 5_000, 'the first 4 requests to be open');
    await own.stop();
    stopped = true;
    const duringResults = await within(during, 10_000, `the burst sent while Redis was down to end (onStoreError: '${onStoreError}')`);
    const maxOpenDuring = stats.maxOpen;
    // Still down a second later, when the limiter tries Redis again: a second failure of the same outage.
    await sleep(1_100);
    const stillDownResults = await within(burst(client, 'still-down', 3), 10_000, 'a second burst sent while Redis was down to end');

    await own.start();
    stopped = false;
    await until(() => redis.status === 'ready', 10_000, 'the limiter\'s ioredis client to reconnect');
    await sleep(1_100); // the limiter tries Redis again a second after it last failed
    stats.maxOpen = 0;
    const afterResults = await within(burst(client, 'after', 10), 10_000, 'the burst sent after Redis came back to end');
    return { duringResults, maxOpenDuring, stillDownResults, afterResults, maxOpenAfter: stats.maxOpen, warnings, redis, prefix };
  }

  it("onStoreError: 'allow' goes on without the limit and warns once, then limits again by itself", async () => {
    const result = await outage('allow');
    expect(result.duringResults).toEqual(Array(10).fill('ok'));
    expect(result.maxOpenDuring).toBeGreaterThan(4); // the six waiting went at once, unlimited
    expect(result.stillDownResults).toEqual(Array(3).fill('ok'));
    expect(result.warnings).toHaveLength(1); // one per outage, however many requests meet it
    expect(result.warnings[0]).toMatch(/Redis failed .*without the shared limit/);
    expect(result.afterResults).toEqual(Array(10).fill('ok'));
    expect(result.maxOpenAfter).toBe(4);
    expect(result.warnings).toHaveLength(1);
    expect(await result.redis.zcard(`${result.prefix}{${KEY}}:leases`)).toBe(0);
  }, 45_000);

  it("onStoreError: 'refuse' fails the waiting requests with LimiterUnavailableError, then limits again by itself", async () => {
    const result = await outage('refuse');
    const refused = result.duringResults.filter((value): value is LimiterUnavailableError => value instanceof LimiterUnavailableError);
    // The four open when Redis stopped end well; the six waiting are refused, unsent.
    expect(result.duringResults.filter((value) => value === 'ok')).toHaveLength(4);
    expect(refused).toHaveLength(6);
    expect(refused[0]?.key).toBe(KEY);
    expect(refused[0]?.cause).toBeInstanceOf(Error);
    expect(refused[0]?.message).toMatch(/Redis failed/);
    expect(result.maxOpenDuring).toBe(4);
    expect(result.stillDownResults.every((value) => value instanceof LimiterUnavailableError)).toBe(true);
    expect(result.afterResults).toEqual(Array(10).fill('ok'));
    expect(result.maxOpenAfter).toBe(4);
    expect(result.warnings).toEqual([]);
  }, 45_000);
});
