import type { IncomingMessage } from 'node:http';

/**
 * Whether a request says its body is JSON (`application/json`, with any parameters). A page of
 * another site can send a `POST` without a preflight only as a form (`application/x-www-form-urlencoded`,
 * `multipart/form-data`) or as `text/plain`; requiring JSON makes every cross-site call go
 * through a preflight, which the origin check answers.
 */
export function isJSONRequest(request: IncomingMessage): boolean {
  const header = request.headers['content-type'];
  return typeof header === 'string' && header.split(';')[0]?.trim().toLowerCase() === 'application/json';
}
