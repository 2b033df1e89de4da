import type { IncomingMessage, ServerResponse } from 'node:http';
import { map, type Observable } from 'rxjs';
import { InvalidArgumentError } from '../errors';
import { DEFAULT_MAX_EVENT_SIZE } from '../sse/fromSSE';
import { toSSE } from '../sse/toSSE';
import type { MessageCountTokensParams, MessageCreateParams } from '../schema';
import type { RequestOptions } from '../transport/HttpRequest';
import { admitUser, type UserAdmission } from './admitUser';
import { authorizeRequest } from './authorizeRequest';
import { checkParams, type ParamsPolicy } from './checkParams';
import { holdStream, newStreamId } from './holdStream';
import { hostPolicy } from './hostPolicy';
import { isJSONRequest } from './isJSONRequest';
import { memoryLimitStore } from './memoryLimitStore';
import { memoryStreamStore } from './memoryStreamStore';
import { meterBody, meterEvents, meterMessage, tokensOf, type MeteredAnswer } from './meterUsage';
import { answerPreflight, corsHeaders, originPolicy } from './originPolicy';
import {
  DEFAULT_ALLOWED_CONTENT_TYPES,
  DEFAULT_ALLOWED_PARAMS,
  DEFAULT_ALLOWED_TOOL_TYPES,
  DEFAULT_BASE_PATH,
  DEFAULT_BODY_TIMEOUT_MS,
  DEFAULT_MAX_BODY_BYTES,
  DEFAULT_MAX_CONCURRENT_REQUESTS,
  DEFAULT_MAX_STREAM_MS,
} from './proxyDefaults';
import { ProxyRefusalError } from './ProxyRefusalError';
import { readJSONBody, RequestAbortedError } from './readJSONBody';
import { relayEvents } from './relayEvents';
import { relayFrames } from './relayFrames';
import { relayJSON } from './relayJSON';
import type { ProxyStreamStore } from './ProxyStreamStore';
import { requestedBetas } from './requestedBetas';
import { PROXY_PATHS, routeOf, STREAM_PATH, type ProxyPath } from './routeOf';
import { sendJSON } from './sendJSON';
import type { ProxyHandler, ProxyIdentity, ProxyOptions, ProxyRoute, ProxyUsageRecord } from './types';
import { wholeEvents } from './wholeEvents';
import { withDeadline } from './withDeadline';

/** The header that names a resumable stream. */
const STREAM_ID_HEADER = 'x-stream-id';

/** The stop functions of the streams each handler holds, for `createProxyServer`'s `close()`. */
const heldStreams = new WeakMap<ProxyHandler, Set<() => void>>();

/**
 * Stops every stream `handler` holds (aborting their upstream requests): what closing a server
 * means for streams whose browser has left, which no connection of the server holds any more.
 */
export function stopHeldStreams(handler: ProxyHandler): void {
  for (const stop of [...(heldStreams.get(handler) ?? [])]) stop();
}

/** The longest a timer can wait (2³¹ − 1 ms, about 24.8 days): a longer one fires at once. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * Creates the request handler of a relay between browsers and the Messages API, for `node:http` and Express.
 *
 * The API key stays on the server, in `options.client`; browsers call the routes below `basePath`
 * (default `/api`) without it:
 * - `POST /api/messages`: the body is the params; the answer is the event stream as SSE text.
 * - `POST /api/v1/messages`: the API's own shape, so that a browser client created with
 *   `createClient({ baseURL: location.origin + '/api' })` works: streamed when the body says
 *   `stream: true`, one JSON message otherwise.
 * - `POST /api/v1/messages/count_tokens`: the token count.
 * - `GET /api/streams/{id}` (with `Last-Event-ID: <n>`): resumes a stream after its event `n`;
 *   `DELETE /api/streams/{id}` stops it (see `streamStore`).
 *
 * Closed by default: `authorize` is required, and every request passes the checks of
 * {@link ProxyOptions} (exact path, host, origin, JSON body, limits, then the whole body's
 * content) before anything goes upstream. A refusal answers 4xx (503 when the relay is full) with
 * the API's error body, `{"type":"error","error":{"type":"permission_error","message":"…"}}`, so
 * that the browser's client fails with the matching typed error. Upstream errors keep their
 * status and body (or arrive as an SSE `error` event once the stream has started), but for the
 * server's own key refused (502). Only the `anthropic-beta` header of the browser's reaches the
 * API (when allowed), and none of the server's reaches the browser but `request-id` and
 * `retry-after`. Streams are written with backpressure. With a `streamStore` (by default one in
 * memory), a stream is resumable: its response names it (`x-stream-id`), its events are numbered
 * (`id: <n>`), and a browser that drops its connection leaves the upstream request running until
 * the answer ends or `maxStreamMs` passes; `DELETE` stops it. With `streamStore: false`, the
 * upstream request is aborted as soon as the browser leaves or `maxStreamMs` passes.
 *
 * Other paths go to `next` (Express: the next middleware), or get a 404 without it; a path that
 * is not canonical (`..`, `%2e`, `//`, a backslash) and names `basePath` is refused with 400, so
 * that a guard mounted on `basePath` in front of the handler sees every request it answers. The
 * handler reads the body itself; under Express mount it before a body parser, or after
 * `express.json()`, whose parsed `request.body` it then uses (that parser's own limit applies).
 *
 * ## Example
 * ```ts
 * import { createServer } from 'node:http';
 * import { createClient } from 'rx-anthropic';
 * import { createProxyHandler } from 'rx-anthropic/proxy';
 *
 * const handler = createProxyHandler({
 *   client: createClient(), // reads ANTHROPIC_API_KEY
 *   authorize: (request) => sessionOf(request) ?? false, // { user: 'u_123' } for a signed-in user
 *   allowedModels: ['claude-sonnet-4-6'],
 *   maxTokens: 4096,
 *   perUser: { maxConcurrentRequests: 2, requestsPerMinute: 20 },
 * });
 * createServer((request, response) => handler(request, response)).listen(8787, '127.0.0.1');
 * // or with Express: app.use(handler)
 * ```
 *
 * @param options The server-side client, who may use it (`authorize`) and what a browser may ask of it.
 * @return A handler `(request, response, next?) => void`.
 * @throws InvalidArgumentError without `authorize`, or for an entry of `allowedHosts` or `allowedOrigins` that is none.
 * @throws RangeError for a number out of range (`maxTokens`, `maxBodyBytes`, a limit, a deadline).
 * @see createProxyServer
 */
export function createProxyHandler(options: ProxyOptions): ProxyHandler {
  const { authorize } = options ?? {};
  if (authorize !== 'anyone' && typeof authorize !== 'function') {
    throw new InvalidArgumentError(
      'authorize',
      "createProxyHandler needs `authorize`, which answers who may spend the server's key: a function answering true or { user } for a request " +
        "(a session, a bearer token), or 'anyone' for an open relay on a loopback address during local development.",
    );
  }
  const basePath = options.basePath ?? DEFAULT_BASE_PATH;
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const bodyTimeoutMs = options.bodyTimeoutMs ?? DEFAULT_BODY_TIMEOUT_MS;
  const maxStreamMs = options.maxStreamMs ?? DEFAULT_MAX_STREAM_MS;
  const maxConcurrentRequests = options.maxConcurrentRequests ?? DEFAULT_MAX_CONCURRENT_REQUESTS;
  const allowedBetas = options.allowedBetas ?? [];
  const policy: ParamsPolicy = {
    allowedParams: options.allowedParams ?? DEFAULT_ALLOWED_PARAMS,
    allowedModels: options.allowedModels,
    maxTokens: options.maxTokens,
    overMaxTokens: options.overMaxTokens ?? 'refuse',
    allowedToolTypes: options.allowedToolTypes ?? DEFAULT_ALLOWED_TOOL_TYPES,
    allowedContentTypes: options.allowedContentTypes ?? DEFAULT_ALLOWED_CONTENT_TYPES,
  };
  const { perUser } = options;
  if (policy.maxTokens !== undefined) wholeNumber('maxTokens', policy.maxTokens);
  if (!(maxBodyBytes > 0)) throw new RangeError(`createProxyHandler: maxBodyBytes must be positive, got ${maxBodyBytes}.`);
  wholeNumber('maxConcurrentRequests', maxConcurrentRequests);
  timerLength('bodyTimeoutMs', bodyTimeoutMs);
  timerLength('maxStreamMs', maxStreamMs);
  if (perUser?.maxConcurrentRequests !== undefined) wholeNumber('perUser.maxConcurrentRequests', perUser.maxConcurrentRequests);
  if (perUser?.requestsPerMinute !== undefined) wholeNumber('perUser.requestsPerMinute', perUser.requestsPerMinute);
  if (perUser?.tokenBudget !== undefined) {
    wholeNumber('perUser.tokenBudget.tokens', perUser.tokenBudget.tokens);
    timerLength('perUser.tokenBudget.perMs', perUser.tokenBudget.perMs);
  }
  const checkHost = hostPolicy(options.allowedHosts);
  const originOf = originPolicy(options.allowedOrigins);
  const limitStore = perUser ? (options.limitStore ?? memoryLimitStore()) : undefined;
  const report = options.onError ?? ((error: unknown): void => console.error('rx-anthropic/proxy:', error));
  const streamStore: ProxyStreamStore | undefined = options.streamStore === false ? undefined : (options.streamStore ?? memoryStreamStore());
  const exposed = streamStore ? [STREAM_ID_HEADER] : [];
  const streamsHeld = new Set<() => void>();
  let held = 0;

  /** Everything from the host check to the upstream request; throws a `ProxyRefusalError` to refuse. */
  async function answer(request: IncomingMessage, response: ServerResponse, path: ProxyPath, startedAt: number): Promise<void> {
    checkHost(request);
    const origin = originOf(request);
    for (const [name, value] of Object.entries(corsHeaders(origin, exposed))) response.setHeader(name, value);
    if (request.method === 'OPTIONS') return answerPreflight(request, response, origin);
    if (!isJSONRequest(request)) {
      throw new ProxyRefusalError(415, 'The request body must be JSON, sent with `content-type: application/json`.');
    }
    // A resumable stream holds its place (and its user's slot) until its upstream request is over, browser or not.
    let upstreamDone: Promise<void> | undefined;
    const whenOver = (release: () => void): void => whenClosed(response, () => (upstreamDone ? void upstreamDone.then(release) : release()));
    holdPlace();
    whenOver(() => (held -= 1));

    const identity = await authorizeRequest(authorize as ProxyOptions['authorize'], request);
    const betas = requestedBetas(request, allowedBetas);
    if (perUser && limitStore) {
      const admission: UserAdmission = await admitUser(limitStore, perUser, limitKeyOf(identity), (error) => report(error, request));
      whenOver(admission.release);
    }
    const body = await readJSONBody(request, maxBodyBytes, { at: startedAt + bodyTimeoutMs, timeoutMs: bodyTimeoutMs });
    const route = routeFor(path, body);
    const checked = checkParams(body, route, policy);
    await authorizeFiles(checked.fileIds, identity);
    const params = options.prepare ? await options.prepare(checked.params, { request, route, identity }) : checked.params;
    upstreamDone = relay(request, response, route, params, betas, identity);
  }

  /** Takes one of the `maxConcurrentRequests` places, or refuses with 503. */
  function holdPlace(): void {
    if (held >= maxConcurrentRequests) {
      throw new ProxyRefusalError(503, 'This proxy is handling as many requests as it can: try again shortly.', { retryAfterSeconds: 1 });
    }
    held += 1;
  }

  /** `GET …/streams/{id}` resumes a stream, `DELETE` stops it: the same host, origin and authorize checks; no body, nothing upstream. */
  async function answerStream(request: IncomingMessage, response: ServerResponse, store: ProxyStreamStore, id: string): Promise<void> {
    checkHost(request);
    const origin = originOf(request);
    for (const [name, value] of Object.entries(corsHeaders(origin, exposed))) response.setHeader(name, value);
    if (request.method === 'OPTIONS') return answerPreflight(request, response, origin, 'GET, DELETE');
    if (hasBody(request)) throw new ProxyRefusalError(400, `A ${request.method} of a stream has no body.`);
    holdPlace();
    whenClosed(response, () => (held -= 1));
    const owner = limitKeyOf(await authorizeRequest(authorize as ProxyOptions['authorize'], request));
    if (request.method === 'DELETE') {
      if (!(await store.requestStop(id, owner))) throw streamNotFound();
      if (!response.destroyed) response.writeHead(204, { 'cache-control': 'no-store' }).end();
      return;
    }
    const after = lastEventIdOf(request);
    const frames$ = await store.read(id, owner, after);
    if (!frames$) throw streamNotFound();
    relayFrames(frames$, response, {
      ...(options.maxBufferedBytes !== undefined ? { maxBufferedBytes: options.maxBufferedBytes } : {}),
      headers: () => ({ [STREAM_ID_HEADER]: id }),
      onError: (error) => report(error, request),
    });
  }

  /**
   * Relays a stream through the store: created first (a store that fails is reported, and the
   * stream relayed as if there were none), then held here whether its browser stays or not.
   * Resolves once the upstream request is over.
   */
  async function relayResumable(
    request: IncomingMessage,
    response: ServerResponse,
    store: ProxyStreamStore,
    body$: Observable<Uint8Array>,
    owner: string,
    relayOptions: { maxBufferedBytes?: number; headers: () => Record<string, string>; onError: (error: unknown) => void },
  ): Promise<void> {
    const id = newStreamId();
    try {
      await store.create(id, owner);
    } catch (error) {
      relayOptions.onError(error);
      relayFrames(body$, response, relayOptions);
      return;
    }
    if (response.destroyed || response.closed) {
      // Gone while the stream was being created: nothing went upstream, nothing will.
      await store.end(id).catch(relayOptions.onError);
      return;
    }
    const stream = holdStream(body$, store, id, relayOptions.onError);
    streamsHeld.add(stream.stop);
    relayFrames(stream.frames$, response, { ...relayOptions, headers: () => ({ ...relayOptions.headers(), [STREAM_ID_HEADER]: id }) });
    // The browser may have gone in between: the request goes upstream all the same, for a resume.
    stream.start();
    await stream.done;
    streamsHeld.delete(stream.stop);
  }

  async function authorizeFiles(fileIds: readonly string[], identity: ProxyIdentity | undefined): Promise<void> {
    for (const fileId of new Set(fileIds)) {
      if (options.authorizeFile && (await options.authorizeFile(fileId, identity)) === true) continue;
      throw new ProxyRefusalError(
        403,
        `The file ${JSON.stringify(fileId.slice(0, 64))} is not allowed by this proxy${options.authorizeFile ? '' : ' (it allows no files: see authorizeFile)'}.`,
      );
    }
  }

  /** Sends the checked request upstream and relays the answer; meters what it used. */
  function relay(request: IncomingMessage, response: ServerResponse, route: ProxyRoute, params: unknown, betas: string[], identity: ProxyIdentity | undefined): Promise<void> | undefined {
    const requestId: { value?: string | undefined } = {};
    const upstream: RequestOptions = { ...(betas.length > 0 ? { betas } : {}), onResponse: (info) => void (requestId.value = info.requestId) };
    const headers = (): Record<string, string> => (requestId.value ? { 'request-id': requestId.value } : {});
    const onError = (error: unknown): void => report(error, request);
    const metered = (answer: MeteredAnswer): void => settleUsage({ ...answer, identity, route, requestId: requestId.value }, request);
    const { messages } = options.client;
    const relayOptions = { ...(options.maxBufferedBytes !== undefined ? { maxBufferedBytes: options.maxBufferedBytes } : {}), headers, onError };
    if (route === 'stream' && messages.streamBody) {
      // The API's bytes pass as they came: decoding each event only to write it again was most of the relay's work.
      const body$ = messages.streamBody(params as MessageCreateParams, upstream).pipe(wholeEvents(DEFAULT_MAX_EVENT_SIZE), meterBody(metered), withDeadline(maxStreamMs));
      if (streamStore) return relayResumable(request, response, streamStore, body$, limitKeyOf(identity), relayOptions);
      relayFrames(body$, response, relayOptions);
    } else if (route === 'stream') {
      const events$ = messages.stream(params as MessageCreateParams, upstream).pipe(meterEvents(metered), withDeadline(maxStreamMs));
      if (streamStore) {
        const body$ = events$.pipe(toSSE(), map((frame) => Buffer.from(frame)));
        return relayResumable(request, response, streamStore, body$, limitKeyOf(identity), relayOptions);
      }
      relayEvents(events$, response, relayOptions);
    } else if (route === 'create') {
      const message$ = messages.create({ ...(params as MessageCreateParams), stream: false }, upstream).pipe(meterMessage(metered), withDeadline(maxStreamMs));
      relayJSON(message$, response, headers, onError);
    } else {
      const count$: Observable<unknown> = messages.countTokens(params as MessageCountTokensParams, upstream).pipe(withDeadline(maxStreamMs));
      relayJSON(count$, response, headers, onError);
    }
    return undefined;
  }

  /** Counts a finished (or cut-off) answer against its user's budget, and tells `onUsage`. */
  function settleUsage(record: ProxyUsageRecord, request: IncomingMessage): void {
    const onError = (error: unknown): void => report(error, request);
    if (perUser?.tokenBudget && limitStore) {
      limitStore.addToBudget(`budget:${limitKeyOf(record.identity)}`, tokensOf(record.usage), perUser.tokenBudget.perMs).catch(onError);
    }
    if (!options.onUsage) return;
    try {
      Promise.resolve(options.onUsage(record)).catch(onError);
    } catch (error) {
      onError(error);
    }
  }

  const handler: ProxyHandler = (request, response, next) => {
    const startedAt = Date.now();
    const match = routeOf(request, basePath);
    const { method } = request;
    const isOurs =
      (match.kind === 'route' && (method === 'POST' || method === 'OPTIONS')) ||
      (match.kind === 'stream' && streamStore !== undefined && (method === 'GET' || method === 'DELETE' || method === 'OPTIONS'));
    if (match.kind === 'uncanonical') {
      return refuse(request, response, new ProxyRefusalError(400, `The path is not in canonical form (${match.reason}): this proxy answers exact paths only.`));
    }
    if (!isOurs) {
      if (next) return next();
      const where = `${method ?? '?'} ${(request.url ?? '/').split('?')[0]?.slice(0, 200)}`;
      const base = basePath.replace(/\/+$/, '');
      const routes = [
        ...PROXY_PATHS.map((route) => `POST ${base}/${route}`),
        ...(streamStore ? [`GET ${base}/${STREAM_PATH}/{id}`, `DELETE ${base}/${STREAM_PATH}/{id}`] : []),
      ].join(', ');
      return sendJSON(response, 404, { type: 'error', error: { type: 'not_found_error', message: `No route for ${where}: this proxy answers ${routes}.` } });
    }
    const answered = match.kind === 'stream' && streamStore ? answerStream(request, response, streamStore, match.id) : answer(request, response, (match as { path: ProxyPath }).path, startedAt);
    answered.catch((error: unknown) => {
      if (error instanceof RequestAbortedError) return;
      if (error instanceof ProxyRefusalError) return refuse(request, response, error);
      report(error, request);
      sendJSON(response, 500, {
        type: 'error',
        error: { type: 'api_error', message: 'The proxy failed to handle the request: an error on the server.' },
      });
    });
  };
  heldStreams.set(handler, streamsHeld);
  return handler;
}

/** The same answer for a stream that never existed, has been forgotten, or is another user's: nothing tells them apart. */
function streamNotFound(): ProxyRefusalError {
  return new ProxyRefusalError(404, 'There is no stream with this id for you: it never existed, it ended and was forgotten, or it is not yours.');
}

/** Whether a request announces a body (a `GET` or `DELETE` of a stream has none). */
function hasBody(request: IncomingMessage): boolean {
  const length = request.headers['content-length'];
  return request.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

/** The event a resume starts after: `Last-Event-ID`, a whole number; absent or empty is 0 (from the first). */
function lastEventIdOf(request: IncomingMessage): number {
  const header = request.headers['last-event-id'];
  if (header === undefined || header === '') return 0;
  if (typeof header !== 'string' || !/^\d{1,15}$/.test(header)) {
    throw new ProxyRefusalError(400, '`Last-Event-ID` must be the number of the last event received (a whole number), or absent to start from the first.');
  }
  return Number(header);
}

/** Answers a refusal; a body left unread (refused before or while reading it) would be taken for the next request, so the connection closes after it. */
function refuse(request: IncomingMessage, response: ServerResponse, error: ProxyRefusalError): void {
  sendJSON(response, error.status, error.toResponseBody(), { ...error.responseHeaders(), ...(request.readableEnded ? {} : { connection: 'close' }) });
}

/** The key of a user's limits: its identity's `user`; every request let in with `true` counts as one user. */
function limitKeyOf(identity: ProxyIdentity | undefined): string {
  return identity ? `user:${identity.user}` : 'anonymous';
}

/** Runs `done` once the response is over (finished, or its connection gone), or now if it already is. */
function whenClosed(response: ServerResponse, done: () => void): void {
  if (response.closed) done();
  else response.once('close', done);
}

/** The API call for a path: `…/v1/messages` streams when its body says `stream: true`, as `client.messages.stream()` sends it. */
function routeFor(path: ProxyPath, body: unknown): ProxyRoute {
  if (path === 'messages') return 'stream';
  if (path === 'v1/messages/count_tokens') return 'countTokens';
  return (body as { stream?: unknown } | null)?.stream === true ? 'stream' : 'create';
}

function wholeNumber(name: string, value: number): void {
  if (!(Number.isInteger(value) && value >= 1)) throw new RangeError(`createProxyHandler: ${name} must be a whole number of at least 1, got ${value}.`);
}

function timerLength(name: string, value: number): void {
  if (!(Number.isFinite(value) && value > 0 && value <= MAX_TIMER_MS)) {
    throw new RangeError(`createProxyHandler: ${name} must be a number of ms above 0 and at most ${MAX_TIMER_MS}, got ${value}.`);
  }
}
