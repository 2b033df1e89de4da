/**
 * The example server as an Express app: the `rx-anthropic/proxy` handler mounted like any
 * middleware, the example pages with `express.static` after it (the handler passes every request
 * that is not its own on with `next()`).
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { createProxyHandler, type ProxyServer } from 'rx-anthropic/proxy';
import type { ExampleServerOptions } from './server';

/**
 * Starts the Express example server; the same routes, checks and handle as `createExampleServer()`.
 *
 * ## Example
 * ```ts
 * const server = await createExpressExampleServer({ client: createClient(), port: 8787, staticDirs: { '/dashboard/': 'examples/dashboard/dist' } });
 * ```
 *
 * @param options The server-side client, the proxy's checks, where to listen, what pages to serve.
 * @return The running server, its `url` and `close()`.
 */
export function createExpressExampleServer(options: ExampleServerOptions): Promise<ProxyServer> {
  const { port = 0, host = '127.0.0.1', staticDirs = {}, ...proxyOptions } = options;
  const app = express();
  // Your own middleware (sessions, rate limits) goes before it, on the relay's base path or on every
  // path: the relay answers only exact, canonical paths, so such a guard sees every request it
  // answers. `authorize` can read what they set.
  app.use(createProxyHandler(proxyOptions));
  for (const [prefix, dir] of Object.entries(staticDirs)) app.use(prefix, express.static(dir));
  return new Promise((resolve, reject) => {
    const server: Server = app.listen(port, host, (error?: Error) => {
      if (error) return reject(error);
      resolve({
        url: `http://${host}:${(server.address() as AddressInfo).port}`,
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
