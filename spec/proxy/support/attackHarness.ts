import { request as httpRequest, type IncomingHttpHeaders, type IncomingMessage, type Server } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import express from 'express';
import { createClient } from 'rx-anthropic';
import { createMockServer, type MockScript, type MockServer, type MockServerOptions, type MockTurn, type MockTurnFunction, type RecordedRequest } from 'rx-anthropic/testing';
import { createProxyHandler, createProxyServer, type ProxyOptions, type ProxyServer } from 'rx-anthropic/proxy';
import { EXPRESS_FALLBACK, listenOnLoopback, params, SERVER_KEY } from './proxyHarness';

/**
 * Helpers of the attack suite (`spec/proxy/attacks/`): the relay served two ways, requests sent
 * as an attacker writes them (raw paths, any `Host`, `Origin` and content type, bodies that drip),
 * and the upstream watched for anything that got through.
 */

export { params, SERVER_KEY };

/** The two ways the relay is served: its own `node:http` server, and an Express app with a guard on `/api` in front of `app.use(handler)`. */
export type AttackHost = 'node:http' | 'Express';
export const ATTACK_HOSTS: readonly AttackHost[] = ['node:http', 'Express'];

/** The session header the `/api` guard of the Express app asks for when `requireSession` is on. */
export const SESSION_HEADER = 'x-session';
export const SESSION = 'session-7f3a9c';

/** What the `/api` guard answers when it refuses (its own words, so a test can tell it from the relay). */
export const GUARD_NO_SESSION = 'the /api guard: no session';
export const GUARD_RATE_LIMITED = 'the /api guard: over 2 requests per minute';

/** The guard mounted with `app.use('/api', guard)` before the relay: a session check and a per-minute limit, as a site puts in front of an API. */
export interface GuardOptions {
  /** Refuses (401) a request without `x-session: <SESSION>`. Default false: every request passes it. */
  readonly requireSession?: boolean;
  /** Requests it lets through per minute (429 past it). Default: no limit. */
  readonly perMinute?: number;
}

/** What the guard saw: the `originalUrl` of every request it ran for, and of those it let through. */
export interface GuardLog {
  readonly seen: string[];
  readonly passed: string[];
  readonly refused: string[];
}

/** The relay the attacks go at, with the mock upstream behind it. */
export interface Relay {
  readonly mock: MockServer;
  readonly proxy: ProxyServer;
  /** The relay's port on 127.0.0.1 (its default `Host` is `127.0.0.1:<port>`). */
  readonly port: number;
  /** The `/api` guard's log under Express; `undefined` on `node:http`, which has no guard. */
  readonly guard: GuardLog | undefined;
}

/** The relay's options but the client, which the harness makes (with {@link SERVER_KEY}, against the mock). */
export type RelayOptions = Omit<ProxyOptions, 'client'>;

/** An Express app: the guard on `/api`, then `app.use(handler)`, then a fallback 404 that proves `next()` was called. */
function startGuardedExpress(options: ProxyOptions, guardOptions: GuardOptions, log: GuardLog): Promise<ProxyServer> {
  const app = express();
  let taken = 0;
  app.use('/api', (request, response, next) => {
    log.seen.push(request.originalUrl);
    if (guardOptions.requireSession && request.headers[SESSION_HEADER] !== SESSION) {
      log.refused.push(request.originalUrl);
      return void response.status(401).type('text/plain').send(GUARD_NO_SESSION);
    }
    if (guardOptions.perMinute !== undefined && taken >= guardOptions.perMinute) {
      log.refused.push(request.originalUrl);
      return void response.status(429).set('retry-after', '60').type('text/plain').send(GUARD_RATE_LIMITED);
    }
    taken += 1;
    log.passed.push(request.originalUrl);
    next();
  });
  app.use(createProxyHandler(options));
  app.use((_request, response) => void response.status(404).type('text/plain').send(EXPRESS_FALLBACK));
  return listenOnLoopback(app);
}

/**
 * A mock upstream and the relay in front of it on `host`, both closed after each test. Every
 * options object must carry `authorize` (it is required).
 */
export function useRelay(host: AttackHost): {
  start(script: MockScript, options: RelayOptions, extra?: { guard?: GuardOptions; mock?: MockServerOptions }): Promise<Relay>;
} {
  const open: { close(): Promise<void> }[] = [];
  afterEach(async () => {
    for (const server of open.splice(0).reverse()) await server.close();
  });
  return {
    async start(script, options, extra = {}) {
      const mock = await createMockServer(script, extra.mock ?? {});
      open.push(mock);
      const full: ProxyOptions = { ...options, client: createClient({ apiKey: SERVER_KEY, baseURL: mock.baseURL, maxRetries: 0 }) };
      const log: GuardLog = { seen: [], passed: [], refused: [] };
      const proxy = host === 'node:http' ? await createProxyServer(full) : await startGuardedExpress(full, extra.guard ?? {}, log);
      open.push(proxy);
      const { port } = proxy.server.address() as AddressInfo;
      return { mock, proxy, port, guard: host === 'Express' ? log : undefined };
    },
  };
}

/** An `authorize` that answers `answer` and remembers every request it was asked about. */
export function spyAuthorize(answer: (request: IncomingMessage) => unknown = () => true): { authorize: ProxyOptions['authorize']; calls: IncomingMessage[] } {
  const calls: IncomingMessage[] = [];
  const authorize = ((request: IncomingMessage) => {
    calls.push(request);
    return answer(request);
  }) as ProxyOptions['authorize'];
  return { authorize, calls };
}

/** The API's error shape, as the relay answers a refusal. */
export interface ErrorBody {
  readonly type: string;
  readonly error: { readonly type: string; readonly message: string };
}

/** A whole answer: status, headers, body text; `complete` is false when the connection closed before the body's end. */
export interface Answer {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly text: string;
  readonly complete: boolean;
}

/** What {@link send} sends. */
export interface SendOptions {
  /** Default `POST`. */
  readonly method?: string;
  /** Sent exactly as given, never normalised (`fetch` would resolve `..` and `//`). Default `/api/messages`. */
  readonly path?: string;
  /** Extra headers; `host` replaces the one Node sets (`127.0.0.1:<port>`). An `undefined` value is left out. */
  readonly headers?: Readonly<Record<string, string | undefined>>;
  /** A string or bytes as is, anything else JSON-encoded. Default {@link params}. */
  readonly body?: unknown;
  /** Default `application/json`; `null` sends no `content-type`. */
  readonly contentType?: string | null;
  /** The answer must be whole within this long, or the request is destroyed and the promise rejects. Default 5 s. */
  readonly timeoutMs?: number;
}

/** The bytes of a body as {@link send} sends it. */
export function bodyBytes(body: unknown): Buffer {
  if (Buffer.isBuffer(body)) return body;
  return Buffer.from(typeof body === 'string' ? body : JSON.stringify(body), 'utf8');
}

/** The method, raw path, time bound, body and headers (`content-length`, the content type, the extra ones) of a request `options` describe. */
function requestOf(options: SendOptions): { method: string; path: string; timeoutMs: number; payload: Buffer; headers: Record<string, string> } {
  const { method = 'POST', path = '/api/messages', contentType = 'application/json', timeoutMs = 5_000 } = options;
  const payload = bodyBytes(options.body === undefined ? params : options.body);
  const headers: Record<string, string> = { 'content-length': String(payload.byteLength) };
  if (contentType !== null) headers['content-type'] = contentType;
  for (const [name, value] of Object.entries(options.headers ?? {})) if (value !== undefined) headers[name.toLowerCase()] = value;
  return { method, path, timeoutMs, payload, headers };
}

/**
 * Sends one request to the relay on 127.0.0.1:`port` with `node:http` (a connection of its own,
 * the raw path) and resolves with the whole answer. Bounded: it rejects after `timeoutMs`.
 */
export function send(port: number, options: SendOptions = {}): Promise<Answer> {
  const { method, path, timeoutMs, payload, headers } = requestOf(options);
  return new Promise((resolve, reject) => {
    let answered = false;
    const timer = setTimeout(() => {
      request.destroy();
      reject(new Error(`no whole answer to ${method} ${path} within ${timeoutMs} ms`));
    }, timeoutMs);
    const request = httpRequest({ host: '127.0.0.1', port, method, path, headers, agent: false }, (response) => {
      answered = true;
      const chunks: Buffer[] = [];
      let ended = false;
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => (ended = true));
      response.on('error', () => undefined);
      response.on('close', () => {
        clearTimeout(timer);
        resolve({ status: response.statusCode ?? 0, headers: response.headers, text: Buffer.concat(chunks).toString('utf8'), complete: ended });
      });
    });
    request.on('error', (error) => {
      // A relay that answers before reading the body may close while it is still being written.
      if (answered) return;
      clearTimeout(timer);
      reject(error);
    });
    request.end(payload);
  });
}

/** The error body of a refusal (throws with the text when it is not JSON). */
export function errorOf(answer: Answer): ErrorBody {
  try {
    return JSON.parse(answer.text) as ErrorBody;
  } catch {
    throw new Error(`the answer (${answer.status}) is not JSON: ${answer.text.slice(0, 200)}`);
  }
}

/** Asserts the relay refused with `status` and the API's error `type`; returns the body. */
export function expectRefusal(answer: Answer, status: number, type: string): ErrorBody {
  // The answer's text rides along, so that a failure shows what the relay said instead.
  expect({ status: answer.status, text: answer.text.slice(0, 300) }).toMatchObject({ status });
  const body = errorOf(answer);
  expect(body.type).toBe('error');
  expect(body.error.type).toBe(type);
  return body;
}

/** A stream held open: its status and first bytes, and `close()` to cut it off as a browser leaving. */
export interface OpenStream {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  /** The first chunk of the body. */
  readonly first: string;
  /** Destroys the connection (the browser leaves). */
  close(): void;
}

/** Sends a request and resolves with its first body bytes, leaving the answer open. Bounded by `timeoutMs` (default 5 s). */
export function openStream(port: number, options: SendOptions = {}): Promise<OpenStream> {
  const { method, path, timeoutMs, payload, headers } = requestOf(options);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      request.destroy();
      reject(new Error(`no first bytes from ${method} ${path} within ${timeoutMs} ms`));
    }, timeoutMs);
    const request = httpRequest({ host: '127.0.0.1', port, method, path, headers, agent: false }, (response) => {
      response.on('error', () => undefined);
      response.once('data', (chunk: Buffer) => {
        clearTimeout(timer);
        resolve({ status: response.statusCode ?? 0, headers: response.headers, first: chunk.toString('utf8'), close: () => request.destroy() });
      });
      response.once('end', () => {
        clearTimeout(timer);
        reject(new Error(`${method} ${path} ended (${response.statusCode}) before any body came`));
      });
    });
    request.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    request.end(payload);
  });
}

/** What a raw exchange got: the bytes the server wrote, and whether it (not the test) closed the connection. */
export interface RawAnswer {
  readonly text: string;
  readonly status: number | undefined;
  readonly closedByServer: boolean;
  /** Milliseconds from connecting to the close (or to the test giving up). */
  readonly elapsedMs: number;
}

function statusOf(text: string): number | undefined {
  const match = /^HTTP\/1\.[01] (\d{3})/.exec(text);
  return match ? Number(match[1]) : undefined;
}

/** Writes `head` (and `body`) on a raw socket, exactly as given; resolves once the server closes, or after `capMs` (then the socket is destroyed). */
export function rawExchange(port: number, bytes: string, capMs = 3_000): Promise<RawAnswer> {
  return new Promise((resolve) => {
    const started = Date.now();
    const socket = connect(port, '127.0.0.1');
    let text = '';
    let done = false;
    const finish = (closedByServer: boolean): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      resolve({ text, status: statusOf(text), closedByServer, elapsedMs: Date.now() - started });
    };
    const timer = setTimeout(() => finish(false), capMs);
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (text += chunk));
    socket.on('error', () => finish(true));
    socket.on('close', () => finish(true));
    socket.write(bytes);
  });
}

/** How {@link dripBody} sends its body. */
export interface DripOptions {
  readonly path?: string;
  /** The body's announced `content-length` (default 10 000: it never all arrives). */
  readonly contentLength?: number;
  /** One byte every this many ms (default 25): steady, never idle long enough for an idle timeout. */
  readonly intervalMs?: number;
  /** The test gives up (and destroys the socket) after this long (default 3 s). */
  readonly capMs?: number;
  readonly headers?: Readonly<Record<string, string>>;
}

/** A slowloris body: the head at once, then one byte at a time, until the server closes the connection (or `capMs`). */
export function dripBody(port: number, options: DripOptions = {}): Promise<RawAnswer> {
  const { path = '/api/messages', contentLength = 10_000, intervalMs = 25, capMs = 3_000 } = options;
  const headers = { host: `127.0.0.1:${port}`, 'content-type': 'application/json', 'content-length': String(contentLength), ...options.headers };
  const head = `POST ${path} HTTP/1.1\r\n${Object.entries(headers)
    .map(([name, value]) => `${name}: ${value}\r\n`)
    .join('')}\r\n`;
  const json = JSON.stringify(params) + ' '.repeat(contentLength);
  return new Promise((resolve) => {
    const started = Date.now();
    const socket = connect(port, '127.0.0.1');
    let text = '';
    let sent = 0;
    let done = false;
    const finish = (closedByServer: boolean): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      clearInterval(drip);
      socket.destroy();
      resolve({ text, status: statusOf(text), closedByServer, elapsedMs: Date.now() - started });
    };
    const timer = setTimeout(() => finish(false), capMs);
    const drip = setInterval(() => {
      if (sent < contentLength - 1 && socket.writable) socket.write(json.charAt(sent++));
    }, intervalMs);
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (text += chunk));
    socket.on('error', () => finish(true));
    socket.on('close', () => finish(true));
    socket.write(head);
  });
}

/** Resolves after `ms`. */
export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits until `condition()` holds, polling every 10 ms; throws after `timeoutMs` (default 2 s). */
export async function waitFor(condition: () => boolean, what: string, timeoutMs = 2_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(10);
  }
}

/** `promise`, or a rejection naming `what` after `ms`. */
export function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_resolve, reject) => (timer = setTimeout(() => reject(new Error(`${what}: not within ${ms} ms`)), ms)));
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}

/** How many connections `server` holds right now. */
export function connectionsOf(server: Server): Promise<number> {
  return new Promise((resolve, reject) => server.getConnections((error, count) => (error ? reject(error) : resolve(count))));
}

/** A script that plays `turn` for every request and counts the upstream requests open at once (from their body's arrival to their close). */
export function trackedScript(turn: (request: RecordedRequest, index: number) => MockTurn): { script: MockTurnFunction; open(): number; maxOpen(): number } {
  let open = 0;
  let maxOpen = 0;
  const script: MockTurnFunction = (request, index) => {
    open += 1;
    maxOpen = Math.max(maxOpen, open);
    void request.closed.then(() => (open -= 1));
    return turn(request, index);
  };
  return { script, open: () => open, maxOpen: () => maxOpen };
}

/** The SSE events of a stream's text, in order: `{ event, data }` with `data` parsed. */
export function sseEvents(text: string): { event: string; data: unknown }[] {
  return text
    .split('\n\n')
    .filter((frame) => frame.trim() !== '')
    .map((frame) => {
      const event = /^event: (.*)$/m.exec(frame)?.[1] ?? 'message';
      const data = frame
        .split('\n')
        .filter((line) => line.startsWith('data: '))
        .map((line) => line.slice(6))
        .join('\n');
      let parsed: unknown = data;
      try {
        parsed = JSON.parse(data);
      } catch {
        // Left as text.
      }
      return { event, data: parsed };
    });
}
