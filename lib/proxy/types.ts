import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Observable } from 'rxjs';
import type { MessageTokensCount } from '../client/messages';
import type { Message, MessageCountTokensParams, MessageCreateParams, RawMessageStreamEvent, Usage } from '../schema';
import type { RequestOptions } from '../transport/HttpRequest';
import type { ProxyStreamStore } from './ProxyStreamStore';

/**
 * What the proxy needs of the server-side client: a `Client` from `createClient()` is one.
 *
 * The interface is structural so that a test, or a server with its own transport, can hand the
 * proxy any object with these three methods (and, optionally, `streamBody`).
 *
 * ## Example
 * ```ts
 * const upstream: ProxyClient = createClient({ apiKey: process.env.ANTHROPIC_API_KEY });
 * const handler = createProxyHandler({ client: upstream });
 * ```
 */
export interface ProxyClient {
  readonly messages: {
    /** Streams a message (relayed as SSE). */
    stream(params: MessageCreateParams, options?: RequestOptions): Observable<RawMessageStreamEvent>;
    /**
     * Streams a message as the bytes of the API's event stream: when the client has it (a
     * `Client` does), the relay passes them on as they came instead of decoding each event and
     * writing it again.
     */
    streamBody?(params: MessageCreateParams, options?: RequestOptions): Observable<Uint8Array>;
    /** Creates a message without streaming (relayed as JSON). */
    create(params: MessageCreateParams & { stream?: false | null }, options?: RequestOptions): Observable<Message>;
    /** Counts a request's input tokens. */
    countTokens(params: MessageCountTokensParams, options?: RequestOptions): Observable<MessageTokensCount>;
  };
}

/**
 * The API call a request is relayed as: `stream` (`POST …/messages`, or `POST …/v1/messages`
 * with `stream: true`), `create` (`POST …/v1/messages` without it), `countTokens`
 * (`POST …/v1/messages/count_tokens`).
 *
 * ## Example
 * ```ts
 * const prepare = (params: ProxyParams, { route }: ProxyContext) => (route === 'countTokens' ? params : { ...params, system: 'Be brief.' });
 * ```
 */
export type ProxyRoute = 'stream' | 'create' | 'countTokens';

/**
 * The params of a relayed request: a Messages request, or a token count's params on the
 * `countTokens` route.
 *
 * ## Example
 * ```ts
 * const withSystem = (params: ProxyParams): ProxyParams => ({ ...params, system: 'Answer in French.' });
 * ```
 */
export type ProxyParams = MessageCreateParams | MessageCountTokensParams;

/**
 * Who a request is for, as `authorize` answered: `{ user }` names the user that per-user limits,
 * `prepare` and `onUsage` see. Other fields pass through untouched (a plan, a team).
 *
 * ## Example
 * ```ts
 * const authorize = (request: IncomingMessage): ProxyIdentity | false => {
 *   const session = sessions.get(String(request.headers['authorization']));
 *   return session ? { user: session.userId, plan: session.plan } : false;
 * };
 * ```
 */
export interface ProxyIdentity {
  /** The user's id: a non-empty string, the key of the per-user limits. */
  readonly user: string;
  readonly [field: string]: unknown;
}

/**
 * What `authorize` answers: exactly `true` (let in, no identity) or an identity `{ user }` lets
 * the request through; anything else (`false`, `"true"`, `{}`, `[]`, `1`, `undefined`) refuses it
 * with 401. Throwing a `ProxyRefusalError` refuses with its own status.
 *
 * ## Example
 * ```ts
 * const answer: AuthorizeAnswer = { user: 'u_123' };
 * ```
 */
export type AuthorizeAnswer = true | ProxyIdentity | false | null | undefined;

/**
 * Decides whether a request may use the relay, before its body is read.
 *
 * ## Example
 * ```ts
 * const authorize: ProxyAuthorize = (request) =>
 *   request.headers['authorization'] === `Bearer ${process.env.SESSION_TOKEN}` ? { user: 'the-one-user' } : false;
 * ```
 */
export type ProxyAuthorize = (request: IncomingMessage) => AuthorizeAnswer | Promise<AuthorizeAnswer>;

/**
 * What the `prepare` hook knows of the request besides its params.
 *
 * ## Example
 * ```ts
 * const prepare = (params: ProxyParams, { identity }: ProxyContext) => ({ ...params, metadata: { user_id: identity?.user } });
 * ```
 */
export interface ProxyContext {
  /** The browser's request (an Express `Request` under Express): headers, URL, socket. */
  readonly request: IncomingMessage;
  /** The API call the request becomes. */
  readonly route: ProxyRoute;
  /** Who `authorize` let in: the identity it answered, or `undefined` for `true` (and for `authorize: 'anyone'`). */
  readonly identity: ProxyIdentity | undefined;
}

/**
 * Limits per user (the `user` of the identity `authorize` answered; requests let in with `true`
 * count as one user). Past any of them the relay answers 429 `rate_limit_error` with
 * `retry-after`, and sends nothing upstream.
 *
 * ## Example
 * ```ts
 * const perUser: PerUserLimits = { maxConcurrentRequests: 2, requestsPerMinute: 20, tokenBudget: { tokens: 200_000, perMs: 24 * 3_600_000 } };
 * ```
 */
export interface PerUserLimits {
  /** Requests one user may have open at once (streams count until they end). */
  maxConcurrentRequests?: number;
  /** Requests one user may start per minute (a fixed window of 60 s), refused ones included. */
  requestsPerMinute?: number;
  /**
   * Tokens one user may spend per window of `perMs`: the usage the API reported for finished and
   * cut-off requests (input, cache creation, cache reads and output). Nothing is reserved up front
   * from `max_tokens`; while the window's total is at `tokens` or over, new requests are refused.
   */
  tokenBudget?: { tokens: number; perMs: number };
}

/**
 * One upstream request's usage, for `onUsage`: metering, billing, logs.
 *
 * ## Example
 * ```ts
 * const onUsage = (record: ProxyUsageRecord) => meter.add(record.identity?.user ?? 'anonymous', record.usage.output_tokens);
 * ```
 */
export interface ProxyUsageRecord {
  /** Who `authorize` let in (`undefined` for `true`). */
  readonly identity: ProxyIdentity | undefined;
  /** The API call it was. */
  readonly route: ProxyRoute;
  /** The model that answered, as the API named it. */
  readonly model: string;
  /** The usage as far as the API reported it (a stream cut off early has its `message_start` figures). */
  readonly usage: Usage;
  /** The API's `request-id`, when it sent one. */
  readonly requestId: string | undefined;
  /** From sending the request upstream to its end (finished, failed or cut off). */
  readonly durationMs: number;
  /** Why the answer stopped; `null` for a stream that was cut off or failed before its end. */
  readonly stopReason: string | null;
}

/**
 * Where the relay keeps the counters of its limits: concurrency slots held as leases, fixed rate
 * windows, and token budgets. The default, {@link memoryLimitStore}, keeps them in this process;
 * a shared store (Redis, say) makes every relay instance count together. Every method must be
 * atomic: two relays asking at once must not both get the last slot.
 *
 * Keys are strings the relay composes (`user:<id>`); `limit`s are positive whole numbers.
 *
 * ## Example
 * ```ts
 * createProxyHandler({ client, authorize, perUser: { maxConcurrentRequests: 2 }, limitStore: memoryLimitStore() });
 * ```
 */
export interface ProxyLimitStore {
  /** How long a slot is held without `renewSlot`: a relay that dies frees its slots after this long. The relay renews every third of it. */
  readonly leaseMs: number;
  /** Takes one of `limit` concurrency slots of `key`, or says when to try again. */
  acquireSlot(key: string, limit: number): Promise<SlotGrant>;
  /** Extends a held slot by `leaseMs`; `false` when the lease had already expired (the slot is then not held). */
  renewSlot(key: string, lease: string): Promise<boolean>;
  /** Gives a slot back; releasing a lease that has expired or was released is a no-op. */
  releaseSlot(key: string, lease: string): Promise<void>;
  /** Counts one request in the fixed window of `windowMs` of `key`, refused once `limit` are counted. */
  takeFromWindow(key: string, limit: number, windowMs: number): Promise<LimitVerdict>;
  /**
   * Gives back one request counted by {@link takeFromWindow} (the same `limit` and `windowMs`)
   * for a request another limit refused. Optional: a store that has it is asked for the slot, the
   * budget and the window at once (one round trip to a shared store), and the window is given
   * back when the slot or the budget refuses; without it, the window is counted after them.
   */
  returnToWindow?(key: string, limit: number, windowMs: number): Promise<void>;
  /** Whether the budget of `key` (`limit` per window of `windowMs`) has any left. */
  checkBudget(key: string, limit: number, windowMs: number): Promise<LimitVerdict>;
  /** Adds `amount` spent to the budget of `key`, in its current window of `windowMs`. */
  addToBudget(key: string, amount: number, windowMs: number): Promise<void>;
  /**
   * Asks every limit of one request at once, atomically: the slot, then the budget, then the
   * window, stopping at the first that refuses; only a request every limit lets in takes a slot,
   * and only one that the slot and the budget let in is counted in the window (refused there, it
   * stays counted, as {@link takeFromWindow} counts it). Optional: a shared store that has it
   * admits a request in one command; without it, the relay asks the other methods.
   */
  admit?(request: AdmissionRequest): Promise<AdmissionVerdict>;
}

/**
 * The limits of one request, for {@link ProxyLimitStore.admit}: each one that applies, with the
 * same keys, limits and windows as the single methods take.
 *
 * ## Example
 * ```ts
 * const request: AdmissionRequest = {
 *   slot: { key: 'concurrent:user:u1', limit: 2 },
 *   budget: { key: 'budget:user:u1', limit: 200_000, windowMs: 86_400_000 },
 *   window: { key: 'rate:user:u1', limit: 20, windowMs: 60_000 },
 * };
 * ```
 */
export interface AdmissionRequest {
  readonly slot?: { readonly key: string; readonly limit: number };
  readonly budget?: { readonly key: string; readonly limit: number; readonly windowMs: number };
  readonly window?: { readonly key: string; readonly limit: number; readonly windowMs: number };
}

/**
 * The answer of {@link ProxyLimitStore.admit}: let in (with the slot's lease, when a slot was
 * asked), or which limit refused and how long until it may let the request in.
 *
 * ## Example
 * ```ts
 * const verdict: AdmissionVerdict = await store.admit!({ slot: { key: 'concurrent:user:u1', limit: 2 } });
 * if (verdict.granted && verdict.lease !== undefined) await store.releaseSlot('concurrent:user:u1', verdict.lease);
 * ```
 */
export type AdmissionVerdict =
  | { readonly granted: true; readonly lease: string | undefined }
  | { readonly granted: false; readonly refusedBy: 'slot' | 'budget' | 'window'; readonly retryAfterMs: number };

/**
 * The answer of {@link ProxyLimitStore.acquireSlot}: a lease to renew and release, or a refusal.
 *
 * ## Example
 * ```ts
 * const grant: SlotGrant = await store.acquireSlot('user:u1', 2);
 * if (grant.granted) await store.releaseSlot('user:u1', grant.lease);
 * ```
 */
export type SlotGrant = { readonly granted: true; readonly lease: string } | { readonly granted: false; readonly retryAfterMs: number };

/**
 * The answer of a rate window or budget: go ahead, or how long until the window frees some.
 *
 * ## Example
 * ```ts
 * const verdict: LimitVerdict = await store.takeFromWindow('rate:u1', 20, 60_000);
 * if (!verdict.granted) console.log(`retry in ${verdict.retryAfterMs} ms`);
 * ```
 */
export type LimitVerdict = { readonly granted: true } | { readonly granted: false; readonly retryAfterMs: number };

/**
 * Options of {@link createProxyHandler}: the server-side client, and what a browser may ask of it.
 *
 Closed by default: every check runs on what the browser sent, in this order: the path
 * (exact, canonical), `allowedHosts`, `allowedOrigins` (and preflights), the JSON content type,
 * `maxConcurrentRequests`, `authorize`, the beta header, `perUser` (concurrency, rate, budget),
 * the body (size, `bodyTimeoutMs`, JSON), its shape, `allowedParams` (a system-role message counts
 * as `system`), `allowedModels`, `maxTokens`, `allowedContentTypes` and `allowedToolTypes` on the
 * whole request, `authorizeFile`; then `prepare` rewrites the params (its output is trusted and not
 * checked again); then the request goes upstream, for at most `maxStreamMs`. A refusal answers a
 * 4xx (or 503) in the API's error shape and sends nothing upstream.
 *
 * ## Example
 * ```ts
 * const options: ProxyOptions = {
 *   client: createClient(),
 *   authorize: (request) => (request.headers['authorization'] === `Bearer ${process.env.SESSION_TOKEN}` ? { user: 'owner' } : false),
 *   allowedModels: ['claude-sonnet-4-6', 'claude-haiku-4-5'],
 *   maxTokens: 2048,
 *   perUser: { maxConcurrentRequests: 2, requestsPerMinute: 20 },
 * };
 * ```
 */
export interface ProxyOptions {
  /** The server-side client: it holds the API key, which never leaves the server. */
  client: ProxyClient;
  /**
   * The path the routes live under, as the browser sees it (under Express, whatever the mount:
   * the handler reads `originalUrl`). Default `'/api'`: `POST /api/messages`,
   * `POST /api/v1/messages`, `POST /api/v1/messages/count_tokens`.
   */
  basePath?: string;
  /**
   * The models a browser may ask for; a request for another one is refused with 403
   * `permission_error`. Default: every model.
   */
  allowedModels?: readonly string[];
  /** The largest `max_tokens` a browser may ask for. Default: no cap (the model's own limit). */
  maxTokens?: number;
  /**
   * What a `max_tokens` over {@link ProxyOptions.maxTokens} gets: `'refuse'` answers 400
   * `invalid_request_error` naming the cap; `'clamp'` lowers it to the cap. Default `'refuse'`.
   */
  overMaxTokens?: 'refuse' | 'clamp';
  /**
   * The top-level params a browser may set; a request with any other is refused with 403
   * `permission_error` naming it (never silently dropped). Default {@link DEFAULT_ALLOWED_PARAMS}.
   */
  allowedParams?: readonly string[];
  /**
   * The tool types a browser may declare, in `tools` and anywhere else a tool definition can stand
   * (a `tool_definition`, a versioned tool type in a message). A tool without a `type` is
   * `'custom'` (its code runs in the browser). Server tools (`web_search_…`, `web_fetch_…`, `code_execution_…`)
   * run at the key owner's cost and must be listed by their versioned type to pass.
   * Default {@link DEFAULT_ALLOWED_TOOL_TYPES}: custom tools only.
   */
  allowedToolTypes?: readonly string[];
  /**
   * The beta names a browser may send in `anthropic-beta`; a request with another is refused with
   * 403 `permission_error`. Default: none.
   */
  allowedBetas?: readonly string[];
  /**
   * The content block types a browser may send, anywhere in `messages` (every role, and nested
   * blocks: a `tool_result`'s content, a document's) and in a `system` array. Default
   * {@link DEFAULT_ALLOWED_CONTENT_TYPES}: what a chat in a browser sends; not `tool_addition`,
   * `tool_removal` or `container_upload`. Refused with 403 `permission_error`.
   */
  allowedContentTypes?: readonly string[];
  /**
   * Decides whether the browser may refer to a file (`file_id` anywhere in the request, as a
   * document's or image's source, say): only an answer of exactly `true` lets it through.
   * Default: no file is allowed (403 `permission_error`).
   */
  authorizeFile?: (fileId: string, identity: ProxyIdentity | undefined) => boolean | Promise<boolean>;
  /**
   * Decides, before the body is read, who may use the relay. Required: it answers exactly `true`
   * or an identity `{ user }` to let a request through (see {@link ProxyIdentity}); anything else
   * answers 401 `authentication_error`; a thrown `ProxyRefusalError` answers its own status.
   * `'anyone'` lets every caller in: for local development only, on a loopback address.
   */
  authorize: ProxyAuthorize | 'anyone';
  /**
   * The origins (`https://app.example`) whose pages may call the relay; a request whose `Origin`
   * is another (or `null`) is refused with 403. The relay's own origin (whose host is the request's
   * `Host`) always may. A request without `Origin` (a server, curl) is judged by `authorize` alone.
   * Preflights (`OPTIONS`) are answered, with CORS headers, for listed origins only.
   */
  allowedOrigins?: readonly string[];
  /**
   * The `Host` names the relay answers to, `host` (any port) or `host:port`; a request for another
   * is refused with 403, which stops DNS rebinding. Default: on a loopback address, `localhost`,
   * `127.0.0.1` and `[::1]` with the port the request came in on; on any other address, that
   * address itself with its port (list your domain names).
   */
  allowedHosts?: readonly string[];
  /** The most requests the relay holds at once (reading, waiting, streaming); past it, 503 `overloaded_error` with `retry-after`. Default 256. */
  maxConcurrentRequests?: number;
  /** The deadline of a whole request body, in ms, however steadily it drips; past it, 408. Default 10 s. */
  bodyTimeoutMs?: number;
  /**
   * The longest an upstream request may run, in ms; a stream still open then is aborted upstream
   * and ends for the browser with an SSE `error` event (`timeout_error`; a 504 before its first
   * event). Default 10 minutes.
   */
  maxStreamMs?: number;
  /** Limits per user: concurrency, requests per minute, a token budget (see {@link PerUserLimits}). Default: none. */
  perUser?: PerUserLimits;
  /** Where the limits' counters live. Default: {@link memoryLimitStore} (this process only). */
  limitStore?: ProxyLimitStore;
  /**
   * Where streams are kept so that a browser can resume them (`GET {basePath}/streams/{id}` with
   * `Last-Event-ID`) or stop them (`DELETE …`). With a store, a stream's response names it
   * (`x-stream-id`), every frame starts with `id: <n>`, and a browser that drops its connection
   * without a `DELETE` leaves the upstream request running until the answer ends (or
   * `maxStreamMs`). `false`: no resumption; the upstream request is aborted as soon as the browser
   * leaves. Default: {@link memoryStreamStore} (resumable on this instance only); share
   * `redisStreamStore` between instances.
   */
  streamStore?: ProxyStreamStore | false;
  /**
   * Called once per upstream request that got an answer (a message, streamed or not), with its
   * usage as far as it came, also for a stream the browser cut off. Not for token counts (free).
   * A hook that throws is reported to `onError`.
   */
  onUsage?: (record: ProxyUsageRecord) => void | Promise<void>;
  /**
   * Rewrites the checked params before they go upstream: a system prompt, `metadata.user_id`
   * from `context.identity` (never from a header the browser sets), a forced model. Throwing a `ProxyRefusalError` refuses the request with
   * its status. Default: the params as the browser sent them (less `stream`, which the route decides).
   */
  prepare?: (params: ProxyParams, context: ProxyContext) => ProxyParams | Promise<ProxyParams>;
  /** The largest request body accepted, in bytes; a larger one answers 413. Default 1 MiB. */
  maxBodyBytes?: number;
  /**
   * The most SSE text, in bytes, held for a browser that reads slower than the upstream writes;
   * past it the browser is cut off and the upstream request aborted. Default 4 MiB.
   */
  maxBufferedBytes?: number;
  /**
   * Hears the failures the proxy answers with 500 or 502: a hook that threw something other than a
   * `ProxyRefusalError`, a request to the API that got no answer (no connection, a timeout), the
   * server's own key refused upstream (401/403, answered 502), an `onUsage` that threw.
   * The API's own errors are not reported: the browser gets those as they came. The browser gets
   * no details of a 500. Default: `console.error`.
   */
  onError?: (error: unknown, request: IncomingMessage) => void;
}

/**

/**
 * A request handler for `node:http` and Express alike: `(request, response, next?)`.
 *
 * It answers the proxy's routes and passes every other request to `next` (under Express: the
 * next middleware, static files, say); without `next`, it answers those with 404.
 *
 * ## Example
 * ```ts
 * const handler: ProxyHandler = createProxyHandler({ client: createClient() });
 * createServer((request, response) => handler(request, response)).listen(8787);
 * ```
 */
export type ProxyHandler = (request: IncomingMessage, response: ServerResponse, next?: (error?: unknown) => void) => void;

/**
 * Options of {@link createProxyServer}: the handler's options, where to listen, and what answers
 * the other requests.
 *
 * ## Example
 * ```ts
 * const options: ProxyServerOptions = { client: createClient(), port: 8787, allowedModels: ['claude-haiku-4-5'] };
 * ```
 */
export interface ProxyServerOptions extends ProxyOptions {
  /** Default 0: a free port (see `url`). */
  port?: number;
  /** Default `'127.0.0.1'`: reachable from this machine only. */
  host?: string;
  /**
   * Answers the requests that are not the proxy's (the pages, a health check). Default: 404 in
   * the API's error shape.
   */
  fallback?: (request: IncomingMessage, response: ServerResponse) => void;
}

/**
 * A running proxy server.
 *
 * ## Example
 * ```ts
 * const proxy: ProxyServer = await createProxyServer({ client: createClient() });
 * console.log(`POST ${proxy.url}/api/messages`);
 * await proxy.close();
 * ```
 */
export interface ProxyServer {
  /** `http://<host>:<port>`. */
  readonly url: string;
  /** The `node:http` server. */
  readonly server: Server;
  /** Stops listening and closes every connection (aborting the streams still open, and their upstream requests). */
  close(): Promise<void>;
}
