import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { apiErrorBody } from './apiErrorBody';
import { createRouter } from './createRouter';
import { demoScript } from './demoScript';
import { renderTurn, type RenderedResponse } from './renderTurn';
import { requestRefusal } from './requestRefusal';
import { defaultResponseHeaders, preflightHeaders } from './responseHeaders';
import type { MockReplyOptions, MockScript, MockServer, MockServerOptions, MockTurn, RecordedRequest } from './types';
import { writeResponse } from './writeResponse';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

interface Waiter {
  readonly index: number;
  readonly resolve: (request: RecordedRequest) => void;
  readonly reject: (error: Error) => void;
}

/** Reads the whole body; a client that goes away mid-upload leaves what had arrived. */
async function readBody(req: IncomingMessage): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  try {
    for await (const chunk of req) chunks.push(chunk as Buffer);
  } catch {
    // The exchange's 'close' handler records the abort; the partial body is still worth keeping.
  }
  return Buffer.concat(chunks);
}

function parseBody(raw: Uint8Array, contentType: string): unknown {
  if (raw.byteLength === 0) return undefined;
  const text = Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength).toString('utf8');
  if (contentType.startsWith('multipart/')) return text;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

function lowerCaseHeaders(req: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return headers;
}

function failure(error: unknown, requestId: string): RenderedResponse {
  const message = `The mock server could not answer: ${error instanceof Error ? error.message : String(error)}`;
  const bytes = Buffer.from(JSON.stringify(apiErrorBody('api_error', message, requestId)));
  return {
    status: 500,
    headers: { 'content-type': 'application/json', 'x-should-retry': 'false' },
    chunks: [bytes],
  };
}

/**
 * Starts a real HTTP server on 127.0.0.1 (a free port) that speaks the Anthropic Messages API
 * well enough for tests and the offline demo: `POST /v1/messages` streaming or not,
 * `POST /v1/messages/count_tokens`, the Files API (`/v1/files`: uploads kept in memory, listed,
 * described, downloaded when downloadable, deleted), the models (`/v1/models`), the Message
 * Batches (`/v1/messages/batches`: ended after the retrievals `options.batches` sets, results as
 * JSON Lines), and the API's error shape for anything else (a 404 `not_found_error` for an
 * unknown file, model or batch id). Each `POST /v1/messages` plays the next turn of `script`, with the faults the turn
 * asks for (delays, cuts, hangs, error statuses); every request is recorded.
 *
 * Like the API, the server refuses a Messages or token-count request whose body is not valid
 * (no `model`, `messages` not an array, `max_tokens` not an integer, …) with status 400 and an
 * `invalid_request_error` naming the field; such a request is recorded with its `refusal` and
 * uses no turn of the script. `validateRequests: false` turns the check off.
 *
 * Every response carries `request-id: req_mock_<n>` (n counts requests from 1) and rate-limit
 * headers. Without a script the server plays {@link demoScript}. By default the server does not
 * keep Node alive (see `keepProcessAlive`); `close()` destroys every connection all the same.
 *
 * ## Example
 * ```ts
 * const server = await createMockServer([
 *   errorReply(529, { headers: { 'retry-after-ms': '1' } }),
 *   textReply('Hello!'),
 * ]);
 * try {
 *   const client = createClient({ apiKey: 'test', baseURL: server.baseURL });
 *   const text = await lastValueFrom(client.messages.stream(params).pipe(finalText()));
 *   expect(text).toBe('Hello!');
 *   expect(server.requests).toHaveLength(2);
 *   expect(server.requests[1]?.headers['x-api-key']).toBe('test');
 * } finally {
 *   await server.close();
 * }
 * ```
 * @param script Turns played in order, or a function of the request; default {@link demoScript}.
 * @param options Token counts, request validation, process lifetime.
 * @return The running server, once it listens.
 * @see textReply
 * @see errorReply
 */
export async function createMockServer(script: MockScript = demoScript, options: MockServerOptions = {}): Promise<MockServer> {
  const requests: RecordedRequest[] = [];
  const sockets = new Set<Socket>();
  const exchanges = new Set<AbortController>();
  let waiters: Waiter[] = [];
  let requestCount = 0;
  let closing = false;
  const route = createRouter(script, options);

  async function answer(req: IncomingMessage, res: ServerResponse, requestNumber: number): Promise<void> {
    const requestId = `req_mock_${requestNumber}`;
    const exchange = new AbortController();
    exchanges.add(exchange);
    let cutByServer = false;
    let markClosed = (): void => undefined;
    const closed = new Promise<void>((resolve) => (markClosed = resolve));
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const headers = lowerCaseHeaders(req);
    const record: Mutable<RecordedRequest> = {
      index: -1,
      requestId,
      method: req.method ?? 'GET',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      search: url.search.replace(/^\?/, ''),
      headers,
      body: undefined,
      rawBody: new Uint8Array(0),
      closed,
      completed: false,
      abortedByClient: false,
    };
    // Resets by the client are expected here; they end the exchange through 'close' below.
    req.on('error', () => undefined);
    res.on('error', () => undefined);
    res.once('close', () => {
      record.completed = res.writableFinished;
      record.abortedByClient = !res.writableFinished && !cutByServer && !closing;
      exchange.abort();
      exchanges.delete(exchange);
      markClosed();
    });

    record.rawBody = await readBody(req);
    record.body = parseBody(record.rawBody, headers['content-type'] ?? '');
    record.refusal = requestRefusal(`${record.method} ${record.path}`, record.body, options.validateRequests !== false);
    record.index = requests.length;
    requests.push(record);
    for (const waiter of waiters) if (waiter.index === record.index) waiter.resolve(record);
    waiters = waiters.filter((waiter) => waiter.index !== record.index);
    if (exchange.signal.aborted) return;
    if (record.method === 'OPTIONS') {
      // A CORS preflight is the browser's business, not the script's: answer it, use no turn.
      res.writeHead(204, { ...defaultResponseHeaders(requestNumber, requestId), ...preflightHeaders }).end();
      return;
    }

    let turn: MockTurn | undefined;
    let rendered: RenderedResponse;
    try {
      turn = route(record);
      const stream = (record.body as { stream?: unknown } | undefined)?.stream === true;
      rendered = renderTurn(turn, { stream, requestNumber, requestId, body: record.body });
    } catch (error) {
      rendered = failure(error, requestId);
    }
    const delivery: MockReplyOptions = turn ?? {};
    await writeResponse(
      res,
      {
        status: delivery.status ?? rendered.status,
        headers: {
          ...defaultResponseHeaders(requestNumber, requestId),
          ...rendered.headers,
          ...delivery.headers,
          ...(delivery.contentType === undefined ? {} : { 'content-type': delivery.contentType }),
        },
        chunks: rendered.chunks,
      },
      delivery,
      exchange.signal,
      () => (cutByServer = true),
    );
  }

  const server = createServer((req, res) => {
    // A turn Node refuses to send (a status of 42, a header with a newline) is a broken test,
    // not a reason to crash it with an unhandled rejection: say what went wrong instead.
    const requestNumber = ++requestCount;
    answer(req, res, requestNumber).catch((error: unknown) => {
      if (res.headersSent) {
        res.destroy();
        return;
      }
      const { status, headers, chunks } = failure(error, `req_mock_${requestNumber}`);
      res.writeHead(status, headers).end(Buffer.concat(chunks));
    });
  });
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    if (!options.keepProcessAlive) socket.unref();
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    // Only ever loopback: a test server must not be reachable from the network.
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  if (!options.keepProcessAlive) server.unref();
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('The mock server has no TCP address.');
  const url = `http://127.0.0.1:${address.port}`;

  let shutdown: Promise<void> | undefined;
  return {
    url,
    baseURL: url,
    requests,
    waitForRequest(index) {
      const arrived = requests[index];
      if (arrived !== undefined) return Promise.resolve(arrived);
      if (closing) return Promise.reject(new Error(`The mock server closed before request #${index} arrived.`));
      return new Promise((resolve, reject) => waiters.push({ index, resolve, reject }));
    },
    openConnections: () => sockets.size,
    close() {
      if (shutdown !== undefined) return shutdown;
      closing = true;
      for (const exchange of exchanges) exchange.abort();
      for (const waiter of waiters) {
        waiter.reject(new Error(`The mock server closed before request #${waiter.index} arrived.`));
      }
      waiters = [];
      const serverClosed = new Promise<void>((resolve) => server.close(() => resolve()));
      // Wait for every socket's own 'close' too, so openConnections() is 0 once this resolves.
      const socketsClosed = [...sockets].map((socket) => new Promise<void>((resolve) => socket.once('close', () => resolve())));
      for (const socket of sockets) socket.destroy();
      // libuv releases the handles in its close phase, one turn later: wait for it, so that when
      // close() resolves no handle of the server is left for --detectOpenHandles to report.
      shutdown = Promise.all([serverClosed, ...socketsClosed]).then(() => new Promise<void>((resolve) => setImmediate(resolve)));
      return shutdown;
    },
  };
}
