import type { IncomingMessage } from 'node:http';
import { ProxyRefusalError } from './ProxyRefusalError';
import { quotedList } from './quoted';

/**
 * The beta names of the browser's `anthropic-beta` header, each checked against `allowed`.
 *
 * The header is the only one of the browser's that reaches the API (as `RequestOptions.betas`):
 * betas switch features on, so the server decides which. Throws a 403 `ProxyRefusalError`
 * naming the betas that are not allowed.
 */
export function requestedBetas(request: IncomingMessage, allowed: readonly string[]): string[] {
  const header = request.headers['anthropic-beta'];
  const betas = (Array.isArray(header) ? header.join(',') : (header ?? ''))
    .split(',')
    .map((name) => name.trim())
    .filter(Boolean);
  const refused = betas.filter((name) => !allowed.includes(name));
  if (refused.length > 0) {
    throw new ProxyRefusalError(
      403,
      `This proxy does not pass the beta${refused.length > 1 ? 's' : ''} ${quotedList(refused)} ` +
        `(anthropic-beta header; allowed: ${allowed.length > 0 ? allowed.join(', ') : 'none'}).`,
    );
  }
  return betas;
}
