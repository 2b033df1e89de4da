import type { HttpRequest, RequestOptions, TransportConfig } from './HttpRequest';
import { requestHeaders } from './sendAttempt';

/** The headers that carry a credential: an API key, or a bearer token. */
const CREDENTIAL_HEADERS = ['x-api-key', 'authorization'] as const;

/**
 * Whether a request of a client that must send credentials (`config.requireCredentials`) would
 * go out without any: no `x-api-key` or `authorization` header with something in it, and
 * neither removed on purpose by the request's own `headers` (`{ 'x-api-key': null }`, as the
 * official SDK allows, for a `fetch` that adds them). For any other client: `false`, at once.
 *
 * ## Example
 * ```ts
 * lacksCredentials({ ...config, requireCredentials: message }, request, {}); // true: the request is not sent
 * lacksCredentials({ ...config, requireCredentials: message }, request, { headers: { 'x-api-key': key } }); // false
 * ```
 *
 * @param config The client's transport config.
 * @param request The request.
 * @param options The request's options (its headers).
 * @return Whether the request must fail before it is sent.
 */
export function lacksCredentials(config: TransportConfig, request: HttpRequest, options: RequestOptions): boolean {
  if (config.requireCredentials === undefined) return false;
  const declined = Object.entries(options.headers ?? {}).some(([name, value]) => value === null && isCredentialHeader(name));
  if (declined) return false;
  const headers = requestHeaders(config, request, options);
  return !CREDENTIAL_HEADERS.some((name) => (headers[name] ?? '').trim() !== '');
}

/**
 * Whether a header name (in any case) is one that carries a credential.
 *
 * ## Example
 * ```ts
 * isCredentialHeader('X-Api-Key'); // true
 * isCredentialHeader('anthropic-version'); // false
 * ```
 */
export function isCredentialHeader(name: string): boolean {
  return (CREDENTIAL_HEADERS as readonly string[]).includes(name.toLowerCase());
}
