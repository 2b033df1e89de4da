/**
 * The Redis of the `stores` workload: the one `REDIS_URL` names, or a `redis-server` the bench
 * starts on a free loopback port (nothing saved to disk) and stops at the end; neither, and the
 * workload is not run, with the reason in the report.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { Redis } from 'ioredis';

export type BenchRedis = { url: string; origin: string; deleteKeys(prefix: string): Promise<void>; stop(): Promise<void> } | { url?: undefined; reason: string };

const STARTUP_MS = 10_000;

/** A Redis for the bench: `REDIS_URL`'s, or one started here; `reason` when there is none. */
export async function benchRedis(): Promise<BenchRedis> {
  const fromEnvironment = process.env['REDIS_URL'];
  if (fromEnvironment) return connected(fromEnvironment, 'REDIS_URL', async () => undefined);
  if (spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).status !== 0) {
    return { reason: 'no Redis: REDIS_URL is unset and there is no redis-server on the PATH' };
  }
  const port = await freePort();
  const dir = mkdtempSync(path.join(tmpdir(), 'rx-bench-redis-'));
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir], { stdio: 'ignore' });
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
  };
  const url = `redis://127.0.0.1:${port}`;
  const deadline = Date.now() + STARTUP_MS;
  for (;;) {
    if (await answers(url)) return connected(url, 'a redis-server of its own', stop);
    if (Date.now() > deadline) {
      await stop();
      return { reason: `the redis-server it started on port ${port} did not answer within ${STARTUP_MS / 1000} s` };
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function connected(url: string, origin: string, stop: () => Promise<void>): Promise<BenchRedis> {
  return {
    url,
    origin,
    stop,
    deleteKeys: async (prefix) => {
      const redis = new Redis(url, { maxRetriesPerRequest: 1 });
      try {
        let cursor = '0';
        do {
          const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
          cursor = next;
          if (keys.length > 0) await redis.del(...keys);
        } while (cursor !== '0');
      } finally {
        redis.disconnect();
      }
    },
  };
}

async function answers(url: string): Promise<boolean> {
  const probe = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, enableOfflineQueue: false });
  try {
    await probe.connect();
    return (await probe.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    probe.disconnect();
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no free port'))));
    });
  });
}
