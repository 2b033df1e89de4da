import type { IncomingMessage, ServerResponse } from 'node:http';
import type { MessageCountTokensParams, MessageCreateParams } from '../schema';
import type { RequestOptions } from '../transport/HttpRequest';
import { checkParams, type ParamsPolicy } from './checkParams';
import { DEFAULT_ALLOWED_PARAMS, DEFAULT_ALLOWED_TOOL_TYPES, DEFAULT_BASE_PATH, DEFAULT_MAX_BODY_BYTES } from './proxyDefaults';
import { ProxyRefusalError } from './ProxyRefusalError';
import { readJSONBody, RequestAbortedError } from './readJSONBody';
import { relayEvents } from './relayEvents';
import { relayJSON } from './relayJSON';
import { requestedBetas } from './requestedBetas';
import { routeOf, type ProxyPath } from './routeOf';
import { sendJSON } from './sendJSON';
import type { ProxyHandler, ProxyOptions, ProxyRoute } from './types';

/**
 * Creates the request handler of a relay between browsers and the Messages API, for `node:http` and Express.
 *
 * The API key stays on the server, in `options.client`; browsers call the routes below `basePath`
 * (default `/api`) without credentials:
 * - `POST /api/messages`: the body is the params; the answer is the event stream as SSE text.
 * - `POST /api/v1/messages`: the API's own shape, so that a browser client created with
 *   `createClient({ baseURL: location.origin + '/api' })` works: streamed when the body says
 *   `stream: true`, one JSON message otherwise.
 * - `POST /api/v1/messages/count_tokens`: the token count.
 *
 * Every request passes the options' checks (see {@link ProxyOptions}) before anything goes
 * upstream; a refusal answers 4xx with the API's error body,
 * `{"type":"error","error":{"type":"permission_error","message":"…"}}`, so that the browser's
 * client fails with the matching typed error. Upstream errors keep their status and body (or
 * arrive as an SSE `error` event once the stream has started). Only the `anthropic-beta` header
 * of the browser's reaches the API (when allowed), and none of the server's reaches the browser
 * but `request-id` and `retry-after`. Streams are written with backpressure, and the upstream
 * request is aborted as soon as the browser leaves.
 *
 * Other requests go to `next` (Express: the next middleware), or get a 404 without it. The handler
 * reads the body itself; under Express mount it before a body parser, or after `express.json()`,
 * whose parsed `request.body` it then uses (that parser's own limit applies).
 *
 * ## Example
 * ```ts
 * import { createServer } from 'node:http';
 * import { createClient } from 'rx-anthropic';
 * import { createProxyHandler } from 'rx-anthropic/proxy';
 *
 * const handler = createProxyHandler({
 *   client: createClient(), // reads ANTHROPIC_API_KEY
 *   allowedModels: ['claude-sonnet-4-5'],
 *   maxTokens: 4096,
 * });
 * createServer((request, response) => handler(request, response)).listen(8787, '127.0.0.1');
 * // or with Express: app.use(handler)
 * ```
 *
 * @param options The server-side client and what a browser may ask of it.
 * @return A handler `(request, response, next?) => void`.
 * @throws RangeError for an option out of range (`maxTokens`, `maxBodyBytes`).
 * @see createProxyServer
 */
export function createProxyHandler(options: ProxyOptions): ProxyHandler {
  const basePath = options.basePath ?? DEFAULT_BASE_PATH;
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const allowedBetas = options.allowedBetas ?? [];
  const policy: ParamsPolicy = {
    allowedParams: options.allowedParams ?? DEFAULT_ALLOWED_PARAMS,
    allowedModels: options.allowedModels,
    maxTokens: options.maxTokens,
    overMaxTokens: options.overMaxTokens ?? 'refuse',
    allowedToolTypes: options.allowedToolTypes ?? DEFAULT_ALLOWED_TOOL_TYPES,
  };
  if (policy.maxTokens !== undefined && !(Number.isInteger(policy.maxTokens) && policy.maxTokens >= 1)) {
    throw new RangeError(`createProxyHandler: maxTokens must be a whole number of at least 1, got ${policy.maxTokens}.`);
  }
  if (!(maxBodyBytes > 0)) throw new RangeError(`createProxyHandler: maxBodyBytes must be positive, got ${maxBodyBytes}.`);

  const report = options.onError ?? ((error: unknown): void => console.error('rx-anthropic/proxy:', error));

  async function answer(request: IncomingMessage, response: ServerResponse, path: ProxyPath): Promise<void> {
    if (options.authorize && !(await options.authorize(request))) {
      throw new ProxyRefusalError(401, 'This proxy did not authorize the request: sign in, or send the credentials the site asks for.');
    }
    const betas = requestedBetas(request, allowedBetas);
    const body = await readJSONBody(request, maxBodyBytes);
    const route = routeFor(path, body);
    const checked = checkParams(body, route, policy);
    const params = options.prepare ? await options.prepare(checked, { request, route }) : checked;

    const requestId: { value?: string | undefined } = {};
    const upstream: RequestOptions = { ...(betas.length > 0 ? { betas } : {}), onResponse: (info) => void (requestId.value = info.requestId) };
    const headers = (): Record<string, string> => (requestId.value ? { 'request-id': requestId.value } : {});
    const onError = (error: unknown): void => report(error, request);
    const { messages } = options.client;
    if (route === 'stream') {
      relayEvents(messages.stream(params as MessageCreateParams, upstream), response, {
        ...(options.maxBufferedBytes !== undefined ? { maxBufferedBytes: options.maxBufferedBytes } : {}),
        headers,
        onError,
      });
    } else if (route === 'create') {
      relayJSON(messages.create({ ...(params as MessageCreateParams), stream: false }, upstream), response, headers, onError);
    } else {
      relayJSON(messages.countTokens(params as MessageCountTokensParams, upstream), response, headers, onError);
    }
  }

  return (request, response, next) => {
    const path = routeOf(request, basePath);
    if (path === undefined) {
      if (next) return next();
      const where = `${request.method ?? '?'} ${(request.url ?? '/').split('?')[0]}`;
      const routes = ['messages', 'v1/messages', 'v1/messages/count_tokens'].map((route) => `POST ${basePath}/${route}`).join(', ');
      return sendJSON(response, 404, { type: 'error', error: { type: 'not_found_error', message: `No route for ${where}: this proxy answers ${routes}.` } });
    }
    answer(request, response, path).catch((error: unknown) => {
      if (error instanceof RequestAbortedError) return;
      if (error instanceof ProxyRefusalError) {
        // A body left unread (refused before or while reading it) would be taken for the next request.
        return sendJSON(response, error.status, error.toResponseBody(), request.readableEnded ? {} : { connection: 'close' });
      }
      report(error, request);
      sendJSON(response, 500, {
        type: 'error',
        error: { type: 'api_error', message: 'The proxy failed to handle the request: an error on the server.' },
      });
    });
  };
}

/** The API call for a path: `…/v1/messages` streams when its body says `stream: true`, as `client.messages.stream()` sends it. */
function routeFor(path: ProxyPath, body: unknown): ProxyRoute {
  if (path === 'messages') return 'stream';
  if (path === 'v1/messages/count_tokens') return 'countTokens';
  return (body as { stream?: unknown } | null)?.stream === true ? 'stream' : 'create';
}
