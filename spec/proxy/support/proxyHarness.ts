import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { createClient } from 'rx-anthropic';
import { createMockServer, type MockScript, type MockServer, type MockServerOptions } from 'rx-anthropic/testing';
import { createProxyHandler, createProxyServer, type ProxyOptions, type ProxyServer } from 'rx-anthropic/proxy';

/** The server's API key: it must reach the mock server and never the browser. */
export const SERVER_KEY = 'sk-ant-server-side-secret-0123456789';

/** A request the tests send through the proxy. */
export const params = { model: 'claude-sonnet-4-6', max_tokens: 64, messages: [{ role: 'user' as const, content: 'Hi' }] };

/** The two ways the handler is served: its own `node:http` server, and mounted in an Express app. */
export type ProxyHost = 'node:http' | 'Express';
export const HOSTS: readonly ProxyHost[] = ['node:http', 'Express'];

/** What an Express app answers for a request the handler passes on with `next()`. */
export const EXPRESS_FALLBACK = 'the Express app answered this itself';

/** An Express app listening on a free loopback port, as a `ProxyServer` handle whose `close()` also ends its connections. */
export function listenOnLoopback(app: express.Express): Promise<ProxyServer> {
  return new Promise((resolve, reject) => {
    const server: Server = app.listen(0, '127.0.0.1', (error?: Error) => {
      if (error) return reject(error);
      const { port } = server.address() as AddressInfo;
      resolve({
        url: `http://127.0.0.1:${port}`,
        server,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            server.closeAllConnections();
          }),
      });
    });
  });
}

/** The handler mounted in an Express app (after it, a fallback that proves `next()` was called), listening on loopback. */
export function startExpressProxy(options: ProxyOptions, mount?: string): Promise<ProxyServer> {
  const app = express();
  if (mount) app.use(mount, createProxyHandler(options));
  else app.use(createProxyHandler(options));
  app.use((_request, response) => void response.status(404).type('text/plain').send(EXPRESS_FALLBACK));
  return listenOnLoopback(app);
}

/** Starts the proxy on `host`. */
export function startProxyOn(host: ProxyHost, options: ProxyOptions): Promise<ProxyServer> {
  return host === 'node:http' ? createProxyServer(options) : startExpressProxy(options);
}

/**
 * A mock API upstream and the proxy in front of it, closed after each test. `start()` takes the
 * script and the proxy's options (the server-side client is made here, with {@link SERVER_KEY};
 * `authorize` is `'anyone'` unless the options say otherwise).
 */
export function useProxy(host: ProxyHost): {
  start(script: MockScript, options?: Partial<ProxyOptions>, mockOptions?: MockServerOptions): Promise<{ mock: MockServer; proxy: ProxyServer }>;
} {
  const open: { close(): Promise<void> }[] = [];
  afterEach(async () => {
    for (const server of open.splice(0).reverse()) await server.close();
  });
  return {
    async start(script, options = {}, mockOptions = {}) {
      const mock = await createMockServer(script, mockOptions);
      open.push(mock);
      const proxy = await startProxyOn(host, { client: createClient({ apiKey: SERVER_KEY, baseURL: mock.baseURL, maxRetries: 0 }), authorize: 'anyone', ...options });
      open.push(proxy);
      return { mock, proxy };
    },
  };
}

/** A browser-side client: no credentials, the proxy as its base URL, no retries. */
export function browserClient(proxy: ProxyServer, basePath = '/api') {
  return createClient({ baseURL: `${proxy.url}${basePath}`, apiKey: null, authToken: null, maxRetries: 0 });
}

/** POSTs `body` (JSON-encoded unless a string) to the proxy, as a page's `fetch` would. */
export function post(proxy: ProxyServer, path: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${proxy.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

/** A refusal's status and body, read whole. */
export async function refusalOf(response: Response): Promise<{ status: number; body: { type: string; error: { type: string; message: string } } }> {
  return { status: response.status, body: (await response.json()) as { type: string; error: { type: string; message: string } } };
}
