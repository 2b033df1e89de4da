import type { IncomingMessage } from 'node:http';

/** Which of the proxy's paths a request is for; whether `…/v1/messages` streams is known only from its body. */
export type ProxyPath = 'messages' | 'v1/messages' | 'v1/messages/count_tokens';

/**
 * What a request's path is to the relay: one of its routes (exactly), a stream's path
 * (`{basePath}/streams/{id}`, exactly), a path that is not in canonical form but would reach
 * them once normalised (refused), or someone else's.
 */
export type RouteMatch =
  | { readonly kind: 'route'; readonly path: ProxyPath }
  | { readonly kind: 'stream'; readonly id: string }
  | { readonly kind: 'uncanonical'; readonly reason: string }
  | { readonly kind: 'other' };

export const PROXY_PATHS: readonly ProxyPath[] = ['messages', 'v1/messages', 'v1/messages/count_tokens'];

/** The segment under `basePath` of the streams' paths: `{basePath}/streams/{id}`. */
export const STREAM_PATH = 'streams';

/** What a stream id in a path may be: the characters of base64url, and not too long (the relay's are `strm_` and 22 of them). */
const STREAM_ID = /^[A-Za-z0-9_-]{1,64}$/;

const ENCODED_SEPARATOR = /%(2e|2f|5c)/i;

/**
 * Why a raw request path is not canonical, or `undefined` when it is: a dot segment, an encoded
 * `.`, `/` or `\`, a backslash, an empty segment, or no leading `/` (an absolute-form target).
 * Such a path is one that a router in front of the relay and the relay could read differently.
 */
export function uncanonicalReason(rawPath: string): string | undefined {
  if (!rawPath.startsWith('/')) return 'it does not start with "/"';
  if (rawPath.includes('\\')) return 'it has a backslash';
  if (ENCODED_SEPARATOR.test(rawPath)) return 'it has an encoded ".", "/" or "\\"';
  // The last segment may be empty (a trailing slash): such a path is simply not a route.
  const segments = rawPath.slice(1).split('/');
  for (const [index, segment] of segments.entries()) {
    if (segment === '.' || segment === '..') return 'it has a "." or ".." segment';
    if (segment === '' && index < segments.length - 1) return 'it has an empty segment ("//")';
  }
  return undefined;
}

/** The path decoded, with backslashes as slashes and in lower case: what a lenient router could take it for. */
function lenientForm(rawPath: string): string {
  let text = rawPath;
  try {
    text = decodeURIComponent(rawPath);
  } catch {
    // Malformed escapes: the raw text is as near as any router gets.
  }
  return text.replace(/\\/g, '/').toLowerCase();
}

/**
 * The relay's route a request is for, matched exactly on the path as the browser sent it.
 *
 * The path is the raw one, never normalised: Express and other routers match the raw path, so a
 * guard mounted on `/api` sees exactly the requests the relay answers. A path that is not
 * canonical (`/x/../api/messages`, `/api/%2e%2e/api/messages`, `//host/api/messages`,
 * `/api\messages`) and names the base path anywhere is `uncanonical`: the handler refuses it
 * before `authorize`, rather than pass it on to `next()`, where another handler might normalise it.
 * Express strips the mount point from `url` and keeps the whole in `originalUrl`, so `basePath`
 * means the same under `app.use('/api', handler)` as on plain `node:http`. The query string is
 * ignored; the method is the caller's to check. A stream's path is exact too: one segment of
 * base64url characters after `{basePath}/streams/` (no `/`, no escape, nothing after it).
 */
export function routeOf(request: IncomingMessage, basePath: string): RouteMatch {
  const url = (request as { originalUrl?: unknown }).originalUrl;
  const target = typeof url === 'string' ? url : (request.url ?? '/');
  const rawPath = target.split('?')[0] as string;
  const base = basePath.replace(/\/+$/, '');
  const reason = uncanonicalReason(rawPath);
  if (reason !== undefined) {
    const lenient = lenientForm(rawPath);
    const mentionsBase = base === '' || lenient.includes(`${base.toLowerCase()}/`);
    return mentionsBase ? { kind: 'uncanonical', reason } : { kind: 'other' };
  }
  const path = PROXY_PATHS.find((candidate) => rawPath === `${base}/${candidate}`);
  if (path) return { kind: 'route', path };
  const streams = `${base}/${STREAM_PATH}/`;
  if (rawPath.startsWith(streams) && STREAM_ID.test(rawPath.slice(streams.length))) return { kind: 'stream', id: rawPath.slice(streams.length) };
  return { kind: 'other' };
}
