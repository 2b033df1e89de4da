import type { IncomingMessage } from 'node:http';
import { isJSONObject } from './isJSONObject';
import { ProxyRefusalError } from './ProxyRefusalError';
import type { ProxyAuthorize, ProxyIdentity } from './types';

const notAuthorized = (): ProxyRefusalError =>
  new ProxyRefusalError(401, 'This proxy did not authorize the request: sign in, or send the credentials the site asks for.');

/**
 * Asks `authorize` about a request and reads its answer strictly: exactly `true` lets it in with no
 * identity, an object with a non-empty string `user` lets it in as that identity, and anything
 * else refuses it with 401. A hook that answers `"false"`, `{ allowed: false }` or `[]` means no,
 * whatever JavaScript's truthiness says. `'anyone'` lets every request in.
 */
export async function authorizeRequest(authorize: ProxyAuthorize | 'anyone', request: IncomingMessage): Promise<ProxyIdentity | undefined> {
  if (authorize === 'anyone') return undefined;
  const answer: unknown = await authorize(request);
  if (answer === true) return undefined;
  if (isJSONObject(answer)) {
    const { user } = answer;
    if (typeof user === 'string' && user !== '') return answer as ProxyIdentity;
  }
  throw notAuthorized();
}
