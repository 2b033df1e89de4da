import type { ProxyClient, ProxyLimitStore, ProxyServerOptions, ProxyStreamStore } from 'rx-anthropic/proxy';
import { BENCH_REQUEST } from './implementations/benchRequest';
import type { RelayAccess } from './implementations/Implementation';

/** What `relayRun.ts` passes to `relay.ts` (JSON). */
export interface RelayConfig {
  /** The upstream's base URL: the bench server's text workload, `http://127.0.0.1:<port>/w/text`. */
  upstreamURL: string;
  /** Where the relay's routes live: the browser's client has `baseURL: <relay url> + basePath`. */
  basePath: string;
  /** The bearer token its `authorize` lets in, and the origin of the page the clients stand for. */
  access: RelayAccess;
  /** The most streams the bench opens through it at once; its limits are set well above. */
  maxOpenStreams: number;
  /**
   * Where it keeps resumable streams: `none` (`streamStore: false`: the relay of issue 21's
   * comparison), `memory` (`memoryStreamStore()`) or `redis` (`redisStreamStore()` on `redisURL`).
   * Default `none`.
   */
  streamStore?: 'none' | 'memory' | 'redis';
  /** Where the per-user limits' counters live: `memory` (the default store) or `redis` (`redisLimitStore()` on `redisURL`). */
  limitStore?: 'memory' | 'redis';
  /** The Redis of the `redis` stores. */
  redisURL?: string;
  /** The prefix of every Redis key it writes (deleted by the runner afterwards). */
  redisPrefix?: string;
}

/** The stores a relay of the bench runs with, built by `relay.ts` from {@link RelayConfig}. */
export interface RelayStores {
  limitStore?: ProxyLimitStore;
  streamStore: ProxyStreamStore | false;
}

/** What the relay's hooks count, for the report. */
export interface RelayCounters {
  /** Calls of `onUsage`. */
  usageRecords: number;
  /** Input + output tokens `onUsage` heard of. */
  usageTokens: number;
  /** Calls of `authorizeFile` (the bench request names no file: 0). */
  filesAsked: number;
  /** Calls of `onError`. */
  errors: number;
}

/** The bench's browser-side access to the relay, and its base path. */
export const RELAY_ACCESS: RelayAccess = { token: 'bench-session-token', origin: 'https://app.bench.example' };
export const RELAY_BASE_PATH = '/relay';

/** The user the bench's token stands for. */
export const RELAY_USER = 'bench-user';

/**
 * The options of the relay the bench measures: `createProxyServer` on 127.0.0.1 with every check
 * there is on (the list is {@link RELAY_CHECKS}). The limits are real but set far above what the
 * bench asks (its held streams, and one measured stream at a time), so that none refuses it;
 * `allowedContentTypes`, `allowedToolTypes`, `allowedParams` and `allowedBetas` keep their closed
 * defaults, which the bench request passes.
 *
 * @param config The upstream, the base path, the access, the most streams the bench opens at once.
 * @param client The upstream client (pointed at `config.upstreamURL`).
 * @param counters Counted into by `onUsage`, `authorizeFile` and `onError`.
 * @param stores Its limit store (default: the relay's own in memory) and stream store (`false`: none).
 * @return The options, for `createProxyServer`.
 */
export function relayOptions(config: RelayConfig, client: ProxyClient, counters: RelayCounters, stores: RelayStores = { streamStore: false }): ProxyServerOptions {
  const limit = 2 * config.maxOpenStreams + 16;
  const bearer = `Bearer ${config.access.token}`;
  return {
    client,
    host: '127.0.0.1',
    port: 0,
    basePath: config.basePath,
    authorize: (request) => (request.headers['authorization'] === bearer ? { user: RELAY_USER } : false),
    allowedModels: [BENCH_REQUEST.model],
    maxTokens: BENCH_REQUEST.max_tokens,
    allowedHosts: ['127.0.0.1', 'localhost'],
    allowedOrigins: [config.access.origin],
    authorizeFile: () => {
      counters.filesAsked += 1;
      return false;
    },
    maxConcurrentRequests: limit,
    bodyTimeoutMs: 10_000,
    maxStreamMs: 10 * 60_000,
    perUser: { maxConcurrentRequests: limit, requestsPerMinute: 100 * limit, tokenBudget: { tokens: 1e12, perMs: 60_000 } },
    onUsage: (record) => {
      counters.usageRecords += 1;
      counters.usageTokens += (record.usage.input_tokens ?? 0) + (record.usage.output_tokens ?? 0);
    },
    ...(stores.limitStore ? { limitStore: stores.limitStore } : {}),
    streamStore: stores.streamStore,
    onError: (error) => {
      counters.errors += 1;
      process.stderr.write(`bench relay: ${error instanceof Error ? error.message : String(error)}\n`);
    },
  };
}

/**
 * The request checks the relay runs with: the options of {@link relayOptions} that refuse a
 * request, and the defaults that do (closed by default). Reported with the figures.
 */
export const RELAY_CHECKS: readonly string[] = [
  'authorize (bearer → identity)',
  'allowedModels',
  'maxTokens',
  'allowedHosts',
  'allowedOrigins',
  'allowedContentTypes (default)',
  'allowedToolTypes (default)',
  'allowedParams (default)',
  'allowedBetas (default: none)',
  'authorizeFile',
  'maxConcurrentRequests',
  'maxBodyBytes (default)',
  'bodyTimeoutMs',
  'maxStreamMs',
  'perUser (concurrency, rate, token budget)',
  'onUsage',
];
