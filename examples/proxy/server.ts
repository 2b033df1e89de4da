/**
 * A proxy between browsers and the Anthropic Messages API, on plain `node:http`: the API key stays
 * on the server, in the client that calls `client.messages.stream(params)`; the browser gets the
 * raw events back as SSE text (`toSSE()`) and reads them with `fromSSE()` and `decodeEvents()`,
 * or with a client created without credentials: `createClient({ baseURL: origin + '/api' })`.
 *
 * Routes:
 * - `POST /api/messages`: the body is the request's params (JSON); the answer is the event stream.
 * - `POST /api/v1/messages`: the Messages API's own shape, for `createClient({ baseURL: '…/api' })`:
 *   streamed when the body says `stream: true`, answered whole otherwise.
 * - `POST /api/v1/messages/count_tokens`: relayed as is.
 * - `GET` of the files under `staticDirs` (the example pages).
 *
 * `npx tsx examples/proxy/main.ts` starts it with the example pages (see there).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Observable } from 'rxjs';
import type { Message, MessageCountTokensParams, MessageCreateParams, RawMessageStreamEvent, RequestOptions } from 'rx-anthropic';
import { relayEvents, sendAPIError, type RelayOptions } from './relayEvents';
import { serveStatic, type StaticMounts } from './staticFiles';

/** What the proxy needs of a client: a `Client` is one. */
export interface ProxyClient {
  readonly messages: {
    stream(params: MessageCreateParams, options?: RequestOptions): Observable<RawMessageStreamEvent>;
    create(params: MessageCreateParams & { stream?: false | null }, options?: RequestOptions): Observable<Message>;
    countTokens(params: MessageCountTokensParams, options?: RequestOptions): Observable<unknown>;
  };
}

/** Options of {@link createProxyServer}. */
export interface ProxyServerOptions extends RelayOptions {
  /** The server-side client: it holds the credentials. */
  client: ProxyClient;
  /** Default 0: a free port (see `url`). */
  port?: number;
  /** Default `127.0.0.1`. */
  host?: string;
  /** Folders served under URL prefixes: `{ '/': 'examples/angular/dist/chat/browser' }`. */
  staticDirs?: StaticMounts;
  /**
   * Checks and rewrites each request before it goes upstream: who may ask, which models, how many
   * tokens. Throwing answers 400 with the error's message. Default: every request as it is.
   */
  prepare?: (params: MessageCreateParams, req: IncomingMessage) => MessageCreateParams;
  /** The largest request body accepted, in bytes. Default 32 MiB (the API's own limit). */
  maxBodyBytes?: number;
}

/** A running proxy. */
export interface ProxyServer {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  readonly server: Server;
  /** Stops listening and closes every connection (aborting the streams still open). */
  close(): Promise<void>;
}

/** Thrown for a request the proxy refuses before sending anything upstream (bad JSON, too large). */
export class ProxyRequestError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'ProxyRequestError';
  }
}

const DEFAULT_MAX_BODY_BYTES = 32 * 1024 * 1024;

/** The request body parsed as JSON; rejects with a `ProxyRequestError` for anything else. */
export async function readJSONBody(req: IncomingMessage, maxBytes = DEFAULT_MAX_BODY_BYTES): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > maxBytes) throw new ProxyRequestError(413, `The request body is larger than ${maxBytes} bytes.`);
    chunks.push(chunk as Buffer);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
  } catch {
    throw new ProxyRequestError(400, 'The request body is not valid JSON.');
  }
}

function sendRequestError(res: ServerResponse, status: number, message: string): void {
  if (res.headersSent) return;
  const type = status === 413 ? 'request_too_large' : status === 404 ? 'not_found_error' : 'invalid_request_error';
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify({ type: 'error', error: { type, message } }));
}

/** The per-request options taken from the browser's headers: only the beta flags pass. */
function requestOptions(req: IncomingMessage): RequestOptions {
  const beta = req.headers['anthropic-beta'];
  const betas = (Array.isArray(beta) ? beta.join(',') : (beta ?? '')).split(',').map((name) => name.trim()).filter(Boolean);
  return betas.length > 0 ? { betas } : {};
}

/** The API call a request is relayed as. */
export type ProxyRoute = 'stream' | 'create' | 'countTokens';

/**
 * Which API call a request makes: `/api/messages` always streams (the browser sends bare params),
 * `/api/v1/messages` streams when its body says `stream: true` (as `client.messages.stream()`
 * sends it); `undefined` for anything the proxy does not relay.
 */
export function routeOf(method: string | undefined, pathname: string, body?: { stream?: unknown }): ProxyRoute | undefined {
  if (method !== 'POST') return undefined;
  if (pathname === '/api/messages') return 'stream';
  if (pathname === '/api/v1/messages') return body?.stream === true ? 'stream' : 'create';
  if (pathname === '/api/v1/messages/count_tokens') return 'countTokens';
  return undefined;
}

/**
 * Answers one API request with the server-side client: the stream relayed with `relayEvents()`,
 * or the JSON answer. The upstream call is unsubscribed (aborted) when the response closes.
 */
export function answerAPIRequest(
  client: ProxyClient,
  route: ProxyRoute,
  body: unknown,
  req: IncomingMessage,
  res: ServerResponse,
  options: Pick<ProxyServerOptions, 'prepare' | 'maxBufferedBytes'> = {},
): void {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return sendRequestError(res, 400, 'The request body must be a JSON object: the Messages API params.');
  }
  const requestId: { value?: string } = {};
  const upstream: RequestOptions = { ...requestOptions(req), onResponse: (info) => void (requestId.value = info.requestId) };

  if (route === 'countTokens') {
    const subscription = client.messages.countTokens(body as MessageCountTokensParams, upstream).subscribe({
      next: (count) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(count)),
      error: (error: unknown) => sendAPIError(res, error),
    });
    res.once('close', () => subscription.unsubscribe());
    return;
  }

  let params: MessageCreateParams;
  try {
    // `stream` is the route's business, not the browser's: stream() sets it, create() must not see it.
    const { stream: _stream, ...rest } = body as MessageCreateParams;
    params = options.prepare ? options.prepare(rest, req) : rest;
  } catch (error) {
    return sendRequestError(res, 400, error instanceof Error ? error.message : String(error));
  }

  if (route === 'create') {
    const subscription = client.messages.create({ ...params, stream: false }, upstream).subscribe({
      next: (message) => {
        const headers: Record<string, string> = { 'content-type': 'application/json' };
        if (requestId.value) headers['request-id'] = requestId.value;
        res.writeHead(200, headers).end(JSON.stringify(message));
      },
      error: (error: unknown) => sendAPIError(res, error),
    });
    res.once('close', () => subscription.unsubscribe());
    return;
  }

  relayEvents(client.messages.stream(params, upstream), res, {
    ...(options.maxBufferedBytes !== undefined ? { maxBufferedBytes: options.maxBufferedBytes } : {}),
    headers: (): Record<string, string> => (requestId.value ? { 'request-id': requestId.value } : {}),
  });
}

/**
 * Starts the proxy on `host:port` and resolves once it listens.
 *
 * ## Example
 * ```ts
 * import { createClient } from 'rx-anthropic';
 * import { createProxyServer } from './examples/proxy/server';
 *
 * const proxy = await createProxyServer({ client: createClient(), port: 8787, staticDirs: { '/': 'public' } });
 * // in the page: createClient({ baseURL: location.origin + '/api' }).messages.stream(params)
 * ```
 *
 * @param options The server-side client, where to listen, what to serve.
 * @return The running server, its `url` and `close()`.
 */
export function createProxyServer(options: ProxyServerOptions): Promise<ProxyServer> {
  const { client, port = 0, host = '127.0.0.1', staticDirs = {}, maxBodyBytes = DEFAULT_MAX_BODY_BYTES } = options;

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const { pathname } = new URL(req.url ?? '/', 'http://localhost');
    if (pathname.startsWith('/api/')) {
      if (!routeOf(req.method, pathname, { stream: true })) return sendRequestError(res, 404, `No route for ${req.method} ${pathname}.`);
      let body: unknown;
      try {
        body = await readJSONBody(req, maxBodyBytes);
      } catch (error) {
        return sendRequestError(res, error instanceof ProxyRequestError ? error.status : 400, error instanceof Error ? error.message : String(error));
      }
      const route = routeOf(req.method, pathname, body as { stream?: unknown }) as ProxyRoute;
      return answerAPIRequest(client, route, body, req, res, options);
    }
    if (await serveStatic(staticDirs, req, res)) return;
    res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end(`Not found: ${pathname}\n`);
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) sendAPIError(res, error);
      else res.destroy();
    });
  });

  return new Promise((resolvePromise, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolvePromise(proxyServerHandle(server, host));
    });
  });
}

/** The handle of a listening server: its URL, and a `close()` that also ends open connections. */
export function proxyServerHandle(server: Server, host: string): ProxyServer {
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host}:${port}`,
    server,
    close: () =>
      new Promise<void>((done) => {
        server.close(() => done());
        server.closeAllConnections();
      }),
  };
}
