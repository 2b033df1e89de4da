import type { RequestOptions } from '../transport/HttpRequest';

/**
 * The options of a request without a body (`GET`, `DELETE`): the client's JSON `content-type`
 * removed, as the official SDK sends none there, unless the caller set one.
 */
export function withoutBodyHeaders(options: RequestOptions): RequestOptions {
  return { ...options, headers: { 'content-type': null, ...options.headers } };
}
