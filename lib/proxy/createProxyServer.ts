import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createProxyHandler, stopHeldStreams } from './createProxyHandler';
import type { ProxyServer, ProxyServerOptions } from './types';

/**
 * Starts a `node:http` server that answers the proxy's routes, and resolves once it listens.
 *
 * A convenience over {@link createProxyHandler}: the same routes, checks and relay, on
 * `127.0.0.1` and a free port by default. Requests that are not the proxy's go to `fallback`
 * (the pages of the site, say), or get a 404 in the API's error shape. `close()` stops listening
 * and closes every open connection, and stops the streams still running (those whose browser has
 * left too) and their upstream requests.
 *
 * ## Example
 * ```ts
 * import { createClient } from 'rx-anthropic';
 * import { createProxyServer } from 'rx-anthropic/proxy';
 *
 * const proxy = await createProxyServer({ client: createClient(), port: 8787, allowedModels: ['claude-sonnet-4-6'], maxTokens: 4096 });
 * console.log(`browsers: createClient({ baseURL: '${proxy.url}/api' })`);
 * ```
 *
 * @param options The handler's options, `port` (default 0: a free one), `host` (default `127.0.0.1`), `fallback`.
 * @return The running server: its `url`, the `node:http` server, and `close()`.
 * @see createProxyHandler
 */
export function createProxyServer(options: ProxyServerOptions): Promise<ProxyServer> {
  const { port = 0, host = '127.0.0.1', fallback } = options;
  const handler = createProxyHandler(options);
  const server = createServer((request, response) => handler(request, response, fallback ? () => fallback(request, response) : undefined));
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve(proxyServerHandle(server, host, () => stopHeldStreams(handler)));
    });
  });
}

/** The handle of a listening server: its URL, and a `close()` that also ends the open connections. */
function proxyServerHandle(server: Server, host: string, stopStreams: () => void): ProxyServer {
  const { port } = server.address() as AddressInfo;
  const urlHost = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${urlHost}:${port}`,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
        // Streams whose browser left hold no connection of the server, but still their upstream request.
        stopStreams();
      }),
  };
}
