import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Observable } from 'rxjs';
import { InvalidArgumentError } from '../errors';
import { DEFAULT_MAX_EVENT_SIZE } from '../sse/fromSSE';
import type { MessageCountTokensParams, MessageCreateParams } from '../schema';
import type { RequestOptions } from '../transport/HttpRequest';
import { admitUser, type UserAdmission } from './admitUser';
import { authorizeRequest } from './authorizeRequest';
import { checkParams, type ParamsPolicy } from './checkParams';
import { hostPolicy } from './hostPolicy';
import { isJSONRequest } from './isJSONRequest';
import { memoryLimitStore } from './memoryLimitStore';
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
import { requestedBetas } from './requestedBetas';
import { PROXY_PATHS, routeOf, type ProxyPath } from './routeOf';
import { sendJSON } from './sendJSON';
import type { ProxyHandler, ProxyIdentity, ProxyOptions, ProxyRoute, ProxyUsageRecord } from './types';
import { wholeEvents } from './wholeEvents';
import { withDeadline } from './withDeadline';

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
 *
 * Closed by default: `authorize` is required, and every request passes the checks of
 * {@link ProxyOptions} (exact path, host, origin, JSON body, limits, then the whole body's
 * content) before anything goes upstream. A refusal answers 4xx (503 when the relay is full) with
 * the API's error body, `{"type":"error","error":{"type":"permission_error","message":"…"}}`, so
 * that the browser's client fails with the matching typed error. Upstream errors keep their
 * status and body (or arrive as an SSE `error` event once the stream has started), but for the
 * server's own key refused (502). Only the `anthropic-beta` header of the browser's reaches the
 * API (when allowed), and none of the server's reaches the browser but `request-id` and
 * `retry-after`. Streams are written with backpressure, and the upstream request is aborted as
 * soon as the browser leaves or `maxStreamMs` passes.
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
 *   allowedModels: ['claude-sonnet-4-5'],
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
  let held = 0;

  /** Everything from the host check to the upstream request; throws a `ProxyRefusalError` to refuse. */
  async function answer(request: IncomingMessage, response: ServerResponse, path: ProxyPath, startedAt: number): Promise<void> {
    checkHost(request);
    const origin = originOf(request);
    for (const [name, value] of Object.entries(corsHeaders(origin))) response.setHeader(name, value);
    if (request.method === 'OPTIONS') return answerPreflight(request, response, origin);
    if (!isJSONRequest(request)) {
      throw new ProxyRefusalError(415, 'The request body must be JSON, sent with `content-type: application/json`.');
    }
    if (held >= maxConcurrentRequests) {
      throw new ProxyRefusalError(503, 'This proxy is handling as many requests as it can: try again shortly.', { retryAfterSeconds: 1 });
    }
    held += 1;
    whenClosed(response, () => (held -= 1));

    const identity = await authorizeRequest(authorize as ProxyOptions['authorize'], request);
    const betas = requestedBetas(request, allowedBetas);
    if (perUser && limitStore) {
      const admission: UserAdmission = await admitUser(limitStore, perUser, limitKeyOf(identity), (error) => report(error, request));
      whenClosed(response, admission.release);
    }
    const body = await readJSONBody(request, maxBodyBytes, { at: startedAt + bodyTimeoutMs, timeoutMs: bodyTimeoutMs });
    const route = routeFor(path, body);
    const checked = checkParams(body, route, policy);
    await authorizeFiles(checked.fileIds, identity);
    const params = options.prepare ? await options.prepare(checked.params, { request, route, identity }) : checked.params;
    relay(request, response, route, params, betas, identity);
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
  function relay(request: IncomingMessage, response: ServerResponse, route: ProxyRoute, params: unknown, betas: string[], identity: ProxyIdentity | undefined): void {
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
      relayFrames(body$, response, relayOptions);
    } else if (route === 'stream') {
      relayEvents(messages.stream(params as MessageCreateParams, upstream).pipe(meterEvents(metered), withDeadline(maxStreamMs)), response, relayOptions);
    } else if (route === 'create') {
      const message$ = messages.create({ ...(params as MessageCreateParams), stream: false }, upstream).pipe(meterMessage(metered), withDeadline(maxStreamMs));
      relayJSON(message$, response, headers, onError);
    } else {
      const count$: Observable<unknown> = messages.countTokens(params as MessageCountTokensParams, upstream).pipe(withDeadline(maxStreamMs));
      relayJSON(count$, response, headers, onError);
    }
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

  return (request, response, next) => {
    const startedAt = Date.now();
    const match = routeOf(request, basePath);
    const isOurs = match.kind === 'route' && (request.method === 'POST' || request.method === 'OPTIONS');
    if (match.kind === 'uncanonical') {
      return refuse(request, response, new ProxyRefusalError(400, `The path is not in canonical form (${match.reason}): this proxy answers exact paths only.`));
    }
    if (!isOurs) {
      if (next) return next();
      const where = `${request.method ?? '?'} ${(request.url ?? '/').split('?')[0]?.slice(0, 200)}`;
      const routes = PROXY_PATHS.map((route) => `POST ${basePath}/${route}`).join(', ');
      return sendJSON(response, 404, { type: 'error', error: { type: 'not_found_error', message: `No route for ${where}: this proxy answers ${routes}.` } });
    }
    answer(request, response, match.path, startedAt).catch((error: unknown) => {
      if (error instanceof RequestAbortedError) return;
      if (error instanceof ProxyRefusalError) return refuse(request, response, error);
      report(error, request);
      sendJSON(response, 500, {
        type: 'error',
        error: { type: 'api_error', message: 'The proxy failed to handle the request: an error on the server.' },
      });
    });
  };
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
