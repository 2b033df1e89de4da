/**
 * The relay the benchmark measures, run as a child process of `run.ts` (`relayRun.ts` starts it,
 * with `--expose-gc`) so that its memory is its own and it never shares an event loop with the
 * client or the server: `createProxyServer` from rx-anthropic/proxy on 127.0.0.1, every check on
 * (`relayOptions.ts`), its upstream client pointed at the bench server's text workload. It tells
 * its parent its URL over IPC, and answers `load` (its event loop and CPU so far) and `memory`
 * (its heap and RSS right after a full collection, and what its hooks counted).
 */
import { performance } from 'node:perf_hooks';
import { createClient } from 'rx-anthropic';
import { Redis } from 'ioredis';
import { createProxyServer, memoryStreamStore } from 'rx-anthropic/proxy';
import { redisLimitStore, redisStreamStore } from 'rx-anthropic/redis';
import { BENCH_API_KEY } from './implementations/benchRequest';
import type { RelayMemorySample } from './report/relay';
import { relayOptions, type RelayConfig, type RelayCounters, type RelayStores } from './relayOptions';
import type { ServerLoad } from './server';

export type RelayMessage =
  | { type: 'listening'; url: string }
  | ({ type: 'load' } & ServerLoad)
  | ({ type: 'memory'; counters: RelayCounters } & RelayMemorySample);

/** What the parent may ask: `load`, answered by `load`; `memory`, answered by `memory` (after `gc()`). */
export type RelayRequest = { type: 'load' } | { type: 'memory' };

const MB = 1024 * 1024;

async function main(): Promise<void> {
  const config = JSON.parse(process.argv[2] ?? '{}') as RelayConfig;
  const counters: RelayCounters = { usageRecords: 0, usageTokens: 0, filesAsked: 0, errors: 0 };
  const upstream = createClient({ apiKey: BENCH_API_KEY, baseURL: config.upstreamURL, maxRetries: 0 });
  const proxy = await createProxyServer(relayOptions(config, upstream, counters, storesOf(config)));
  const send = (message: RelayMessage): void => void process.send?.(message);
  process.on('message', (request: RelayRequest) => {
    if (request.type === 'load') send({ type: 'load', elu: performance.eventLoopUtilization(), cpu: process.cpuUsage() });
    if (request.type === 'memory') {
      (globalThis as { gc?: () => void }).gc?.();
      const usage = process.memoryUsage();
      send({ type: 'memory', heapMB: usage.heapUsed / MB, rssMB: usage.rss / MB, externalMB: usage.external / MB, counters: { ...counters } });
    }
  });
  process.on('disconnect', () => process.exit(0));
  send({ type: 'listening', url: proxy.url });
}

/** The stores `config` names; the Redis ones on one connection to `config.redisURL`, their keys under `config.redisPrefix`. */
function storesOf(config: RelayConfig): RelayStores {
  const needsRedis = config.limitStore === 'redis' || config.streamStore === 'redis';
  if (needsRedis && !config.redisURL) throw new Error('a Redis store needs redisURL');
  const redis = needsRedis ? new Redis(config.redisURL as string) : undefined;
  const prefix = config.redisPrefix ?? `rx-bench:${process.pid}:`;
  return {
    ...(config.limitStore === 'redis' ? { limitStore: redisLimitStore(redis as Redis, { prefix: `${prefix}limits:` }) } : {}),
    streamStore: config.streamStore === 'redis' ? redisStreamStore(redis as Redis, { prefix: `${prefix}streams:` }) : config.streamStore === 'memory' ? memoryStreamStore() : false,
  };
}

main().catch((error: unknown) => {
  process.stderr.write(`bench relay: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
