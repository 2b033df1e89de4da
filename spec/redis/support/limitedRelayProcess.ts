/**
 * One relay instance of `multiProcess.spec.ts`, a process of its own so that the spec can kill it
 * (SIGKILL) while it holds streams:
 *
 *   node --import tsx spec/redis/support/limitedRelayProcess.ts '<json config>'
 *
 * The config (see {@link RelayProcessConfig}) names the Redis, the upstream, the key prefixes (the
 * same for every instance) and the bearer tokens. The relay listens on 127.0.0.1 (a free port),
 * admits `Authorization: Bearer <token>` as `{ user: tokens[token] }`, holds each user to 2 open
 * requests across all instances (`redisLimitStore`), keeps streams resumable on every instance
 * (`redisStreamStore`), and puts the user into `metadata.user_id` so that the upstream can tell
 * users apart. It prints `listening <url>` once it listens, writes every `onError` to stderr as
 * one line, and exits when its stdin closes (the spec's process is gone).
 */
import { Redis } from 'ioredis';
import { createClient } from '../../../lib/index';
import { createProxyServer, type ProxyParams } from '../../../lib/proxy/index';
import { redisLimitStore, redisStreamStore } from '../../../lib/redis/index';

export interface RelayProcessConfig {
  readonly name: string;
  readonly redisURL: string;
  readonly upstreamURL: string;
  readonly limitPrefix: string;
  readonly streamPrefix: string;
  /** The lease of a concurrency slot (`redisLimitStore`). */
  readonly leaseMs: number;
  /** The lease of a held stream (`redisStreamStore`): how soon a reader learns that its holder died. */
  readonly streamLeaseMs: number;
  /** Bearer token → user. */
  readonly tokens: Readonly<Record<string, string>>;
}

const raw = process.argv[2];
if (!raw) {
  process.stderr.write("usage: limitedRelayProcess.ts '<json config>'\n");
  process.exit(2);
}
const config = JSON.parse(raw) as RelayProcessConfig;
const tokens = new Map(Object.entries(config.tokens));

const redis = new Redis(config.redisURL, { maxRetriesPerRequest: 1 });
redis.on('error', (error: unknown) => process.stderr.write(`relay ${config.name} redis: ${String(error)}\n`));
const proxy = await createProxyServer({
  client: createClient({ apiKey: 'sk-ant-multi-process', baseURL: config.upstreamURL, maxRetries: 0 }),
  authorize: (request) => {
    const match = /^Bearer (\S+)$/.exec(request.headers['authorization'] ?? '');
    const user = match ? tokens.get(match[1] as string) : undefined;
    return user ? { user } : false;
  },
  perUser: { maxConcurrentRequests: 2 },
  limitStore: redisLimitStore(redis, { prefix: config.limitPrefix, leaseMs: config.leaseMs }),
  streamStore: redisStreamStore(redis, { prefix: config.streamPrefix, leaseMs: config.streamLeaseMs, ttlMs: 120_000 }),
  prepare: (params: ProxyParams, { identity }) => ({ ...params, metadata: { user_id: identity?.user ?? 'anonymous' } }) as ProxyParams,
  onError: (error) => process.stderr.write(`relay ${config.name} onError: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}\n`),
});
process.stdin.resume();
process.stdin.on('end', () => process.exit(0));
process.stdout.write(`listening ${proxy.url}\n`);
