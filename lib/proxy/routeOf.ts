import type { IncomingMessage } from 'node:http';

/** Which of the proxy's paths a request is for; whether `…/v1/messages` streams is known only from its body. */
export type ProxyPath = 'messages' | 'v1/messages' | 'v1/messages/count_tokens';

const PATHS: readonly ProxyPath[] = ['messages', 'v1/messages', 'v1/messages/count_tokens'];

/**
 * The proxy path a request is for, or `undefined` for one the proxy does not answer.
 *
 * The path is the one the browser asked for: Express strips the mount point from `url` and keeps
 * the whole in `originalUrl`, so `basePath` means the same under `app.use('/api', handler)` as on
 * plain `node:http`. The query string is ignored.
 */
export function routeOf(request: IncomingMessage, basePath: string): ProxyPath | undefined {
  if (request.method !== 'POST') return undefined;
  const url = (request as { originalUrl?: unknown }).originalUrl;
  const { pathname } = new URL(typeof url === 'string' ? url : (request.url ?? '/'), 'http://localhost');
  const base = basePath.replace(/\/+$/, '');
  return PATHS.find((path) => pathname === `${base}/${path}`);
}
