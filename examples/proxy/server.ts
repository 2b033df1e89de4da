/**
 * The example server on plain `node:http`: the `rx-anthropic/proxy` relay at `/api/…` and the
 * example pages as static files beside it. The relay (routes, checks, streaming, aborts) is the
 * package's `createProxyServer()`; this file adds only the pages, as its `fallback`.
 *
 * `npx tsx examples/proxy/main.ts` starts it with the example pages (see there).
 */
import type { ProxyServer, ProxyServerOptions } from 'rx-anthropic/proxy';
import { createProxyServer } from 'rx-anthropic/proxy';
import { serveStatic, type StaticMounts } from './staticFiles';

/** Options of {@link createExampleServer}: the proxy's, and the folders of pages to serve. */
export interface ExampleServerOptions extends Omit<ProxyServerOptions, 'fallback'> {
  /** Folders served under URL prefixes: `{ '/': 'examples/angular/dist/chat/browser' }`. */
  staticDirs?: StaticMounts;
}

/**
 * Starts the proxy with the pages under `staticDirs`, and resolves once it listens.
 *
 * ## Example
 * ```ts
 * const server = await createExampleServer({ client: createClient(), port: 8787, allowedModels: ['claude-sonnet-4-6'], staticDirs: { '/': 'public' } });
 * // in the page: createClient({ baseURL: location.origin + '/api' }).messages.stream(params)
 * ```
 *
 * @param options The server-side client, the proxy's checks, where to listen, what pages to serve.
 * @return The running server, its `url` and `close()`.
 */
export function createExampleServer(options: ExampleServerOptions): Promise<ProxyServer> {
  const { staticDirs = {}, ...proxyOptions } = options;
  return createProxyServer({
    ...proxyOptions,
    fallback: (request, response) => {
      serveStatic(staticDirs, request, response)
        .then((served) => {
          if (served) return;
          const { pathname } = new URL(request.url ?? '/', 'http://localhost');
          response.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end(`Not found: ${pathname}\n`);
        })
        .catch(() => response.destroy());
    },
  });
}
