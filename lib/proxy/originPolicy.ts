import type { IncomingMessage, ServerResponse } from 'node:http';
import { InvalidArgumentError } from '../errors';
import { parseHost } from './hostPolicy';
import { ProxyRefusalError } from './ProxyRefusalError';
import { quoted } from './quoted';

/**
 * Where a request comes from, as far as the relay cares: no page (no `Origin`: a server, curl),
 * a page of the relay's own origin, or a page of an origin in `allowedOrigins` (which gets CORS
 * headers).
 */
export type RequestOrigin = { readonly kind: 'none' } | { readonly kind: 'same' } | { readonly kind: 'listed'; readonly origin: string };

const defaultPort = (protocol: string): number => (protocol === 'https:' ? 443 : 80);

/** An origin's URL, or `undefined` for `null`, an opaque or a malformed one. */
function originURL(text: string): URL | undefined {
  try {
    const url = new URL(text);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.origin !== 'null' ? url : undefined;
  } catch {
    return undefined;
  }
}

/** Whether an origin names the host the request was sent to: the same name, and the same port (a `Host` without one has the origin's default). */
function isOwnOrigin(url: URL, request: IncomingMessage): boolean {
  const host = request.headers.host === undefined ? undefined : parseHost(request.headers.host);
  if (!host) return false;
  const port = defaultPort(url.protocol);
  return url.hostname === host.name && (url.port === '' ? port : Number(url.port)) === (host.port ?? port);
}

/**
 * The `allowedOrigins` check: a function that tells where a request comes from, and throws a 403
 * `ProxyRefusalError` for a page of any other origin (`Origin: null`, from a sandboxed frame or a
 * file, included).
 *
 * Browsers set `Origin` on every cross-origin request and on every `POST`, and a page cannot
 * change it: it is what tells the relay's own pages from another site's. A request without it
 * comes from outside a browser, where `authorize` decides alone.
 *
 * @throws InvalidArgumentError at creation for an entry that is not an `http(s)://host[:port]` origin.
 */
export function originPolicy(allowedOrigins: readonly string[] | undefined): (request: IncomingMessage) => RequestOrigin {
  const listed = new Set(
    (allowedOrigins ?? []).map((entry) => {
      const url = typeof entry === 'string' ? originURL(entry) : undefined;
      if (!url || url.pathname !== '/' || url.search !== '' || url.hash !== '' || url.username !== '') {
        throw new InvalidArgumentError('allowedOrigins', `allowedOrigins entries are origins such as "https://app.example" (scheme, host, port; no path); got ${quoted(entry)}.`);
      }
      return url.origin;
    }),
  );
  return (request) => {
    const header = request.headers.origin;
    if (header === undefined) return { kind: 'none' };
    const url = originURL(header);
    if (url && listed.has(url.origin)) return { kind: 'listed', origin: url.origin };
    if (url && isOwnOrigin(url, request)) return { kind: 'same' };
    throw new ProxyRefusalError(
      403,
      `This proxy does not answer pages of the origin ${quoted(header)}; allowed: its own origin` +
        `${listed.size > 0 ? `, ${[...listed].join(', ')}` : ' only (list others in allowedOrigins)'}.`,
    );
  };
}

/** The headers a page of a listed origin needs to read the relay's answers (the request id, `retry-after` and the `exposed` ones too). */
export function corsHeaders(origin: RequestOrigin, exposed: readonly string[] = []): Record<string, string> {
  if (origin.kind !== 'listed') return {};
  return {
    'access-control-allow-origin': origin.origin,
    'access-control-allow-credentials': 'true',
    'access-control-expose-headers': ['request-id', 'retry-after', ...exposed].join(', '),
    vary: 'Origin',
  };
}

/** A header list as a preflight may ask for it: header names and commas only, and not too long. */
const HEADER_LIST = /^[A-Za-z0-9!#$%&'*+.^_`|~-]+(\s*,\s*[A-Za-z0-9!#$%&'*+.^_`|~-]+)*$/;

/**
 * Answers a CORS preflight (`OPTIONS`) for a page of a listed origin: `methods` (`POST`; a stream's path: `GET, DELETE`) and the headers it
 * asks for (they go no further than the relay: only `anthropic-beta` reaches the API, and only
 * the allowed betas). A page of the relay's own origin sends no preflight; any other gets 403.
 */
export function answerPreflight(request: IncomingMessage, response: ServerResponse, origin: RequestOrigin, methods = 'POST'): void {
  if (origin.kind !== 'listed') {
    throw new ProxyRefusalError(403, 'This proxy answers preflights only for the origins listed in its allowedOrigins.');
  }
  const asked = request.headers['access-control-request-headers'];
  const headers = typeof asked === 'string' && asked.length <= 1024 && HEADER_LIST.test(asked.trim()) ? asked.trim() : 'content-type';
  response
    .writeHead(204, {
      ...corsHeaders(origin),
      'access-control-allow-methods': methods,
      'access-control-allow-headers': headers,
      'access-control-max-age': '600',
      vary: 'Origin, Access-Control-Request-Headers',
    })
    .end();
}
