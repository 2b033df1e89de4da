/**
 * The same proxy as `server.ts`, as an Express app: `POST /api/messages` (params in, event stream
 * out), `POST /api/v1/messages` and `/api/v1/messages/count_tokens` (the API's own shape, for a
 * client created without credentials with `baseURL: origin + '/api'`), and static files.
 */
import type { Server } from 'node:http';
import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import { answerAPIRequest, proxyServerHandle, routeOf, type ProxyClient, type ProxyServer, type ProxyServerOptions } from './server';

/**
 * The proxy's routes on an Express app; mount static files and your own middleware (sessions,
 * rate limits) around them.
 *
 * ## Example
 * ```ts
 * const app = express();
 * app.use(requireLogin);
 * app.use(createProxyApp({ client: createClient() }));
 * app.use(express.static('public'));
 * app.listen(8787);
 * ```
 *
 * @param options The server-side client, the request check, the body and buffer bounds.
 * @return An Express app that answers `/api/…`.
 */
export function createProxyApp(options: Pick<ProxyServerOptions, 'prepare' | 'maxBufferedBytes' | 'maxBodyBytes'> & { client: ProxyClient }): Express {
  const app = express();
  app.post(
    ['/api/messages', '/api/v1/messages', '/api/v1/messages/count_tokens'],
    // Any content type: a page's `fetch` with a string body sends text/plain.
    express.json({ limit: options.maxBodyBytes ?? 32 * 1024 * 1024, type: () => true }),
    (req: Request, res: Response) => {
      const route = routeOf(req.method, req.path, req.body as { stream?: unknown });
      if (route) answerAPIRequest(options.client, route, req.body, req, res, options);
    },
  );
  // express.json()'s errors (bad JSON, too large) in the API's error shape.
  app.use('/api', (error: { status?: number; message?: string }, _req: Request, res: Response, next: NextFunction) => {
    if (res.headersSent) return next(error);
    const status = error.status ?? 400;
    const type = status === 413 ? 'request_too_large' : 'invalid_request_error';
    res.status(status).json({ type: 'error', error: { type, message: error.message ?? 'Bad request' } });
  });
  return app;
}

/**
 * Starts the Express proxy with static files; the same handle as `createProxyServer()`.
 *
 * @param options The server-side client, where to listen, what to serve.
 * @return The running server, its `url` and `close()`.
 */
export function createExpressProxyServer(options: ProxyServerOptions): Promise<ProxyServer> {
  const { port = 0, host = '127.0.0.1', staticDirs = {} } = options;
  const app = express();
  app.use(createProxyApp(options));
  for (const [prefix, dir] of Object.entries(staticDirs)) app.use(prefix, express.static(dir));
  return new Promise((resolvePromise, reject) => {
    const server: Server = app.listen(port, host, (error?: Error) => {
      if (error) return reject(error);
      resolvePromise(proxyServerHandle(server, host));
    });
  });
}
