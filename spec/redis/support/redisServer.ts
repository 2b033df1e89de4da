/**
 * A real `redis-server` for the specs: the one `REDIS_URL` names (`.ci/run` starts it), or one
 * started here on a free loopback port (`startRedisServer()`), for the specs that stop and restart
 * it. No mock and no in-memory stand-in: where neither is available, the Redis specs are skipped
 * with a message saying why, except under `CI=true`, where they fail.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { Redis } from 'ioredis';

/** The Redis the specs share, from `REDIS_URL`. */
export const REDIS_URL = process.env['REDIS_URL'];

/** Whether a `redis-server` binary is on the PATH (for the specs that start their own). */
export const HAS_REDIS_SERVER = spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).status === 0;

const WHY_SKIPPED = 'REDIS_URL is unset: start redis-server and set REDIS_URL (README, "Tests"), or run `bash .ci/run`';

/**
 * `describe` when a Redis is there (`REDIS_URL`), else a skipped `describe` whose name says why.
 * Under `CI=true` a missing `REDIS_URL` fails instead: CI must run these.
 */
export function describeWithRedis(name: string, body: () => void): void {
  if (REDIS_URL) return describe(name, body);
  if (process.env['CI'] === 'true') {
    describe(name, () => {
      it('has a Redis to run against', () => {
        throw new Error(`${WHY_SKIPPED}. CI runs the Redis specs, so a missing Redis fails them.`);
      });
    });
    return;
  }
  describe.skip(`${name} (skipped: ${WHY_SKIPPED})`, body);
}

/** A connection to the shared Redis; close it with `quit()` in `afterAll`/`afterEach`. */
export function connectRedis(url: string = REDIS_URL ?? ''): Redis {
  return new Redis(url, { lazyConnect: false, maxRetriesPerRequest: 1, enableOfflineQueue: true });
}

let prefixes = 0;
/** A key prefix of its own for each test, so that specs running at once never share a key. */
export function uniquePrefix(label = 'spec'): string {
  return `rx-test:${label}:${process.pid}:${Date.now().toString(36)}:${++prefixes}:`;
}

/** Deletes every key under `prefix` (SCAN, not KEYS, so a shared server is not blocked). */
export async function deleteKeys(redis: Redis, prefix: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
    cursor = next;
    if (keys.length > 0) await redis.del(...keys);
  } while (cursor !== '0');
}

/** A free TCP port on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** A `redis-server` of a spec's own, which it may stop and start again on the same port. */
export interface OwnRedisServer {
  readonly url: string;
  readonly port: number;
  /** Stops the server (SIGKILL when `hard`, as a crash; SIGTERM otherwise) and waits for it to exit. */
  stop(hard?: boolean): Promise<void>;
  /** Starts it again on the same port, empty (nothing is saved), and waits until it answers. */
  start(): Promise<void>;
  /** Stops it and removes its directory. */
  dispose(): Promise<void>;
}

/** Starts a `redis-server` on a free loopback port, with nothing saved to disk; waits until it answers PING (10 s at most). */
export async function startRedisServer(): Promise<OwnRedisServer> {
  const port = await freePort();
  const dir = mkdtempSync(path.join(tmpdir(), 'rx-redis-'));
  let child: ChildProcess | undefined;
  const start = async (): Promise<void> => {
    child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir], { stdio: 'ignore' });
    const deadline = Date.now() + 10_000;
    for (;;) {
      const probe = new Redis(port, '127.0.0.1', { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, enableOfflineQueue: false });
      probe.on('error', () => undefined); // Refused until the server is up: connect() below says so.
      try {
        await probe.connect();
        if ((await probe.ping()) === 'PONG') return;
      } catch {
        // Not up yet.
      } finally {
        probe.disconnect();
      }
      if (Date.now() > deadline) throw new Error(`redis-server on port ${port} did not answer within 10 s`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };
  const stop = async (hard = false): Promise<void> => {
    const running = child;
    child = undefined;
    if (!running || running.exitCode !== null) return;
    const exited = new Promise<void>((resolve) => running.once('exit', () => resolve()));
    running.kill(hard ? 'SIGKILL' : 'SIGTERM');
    await exited;
  };
  await start();
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    stop,
    start,
    dispose: async () => {
      await stop(true);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
