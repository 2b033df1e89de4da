import type { Observable } from 'rxjs';
import type { RequestOptions, TransportConfig } from '../transport/HttpRequest';
import { readJSON } from '../transport/readJSON';
import { sendRequest } from '../transport/sendRequest';
import { withoutBodyHeaders } from './withoutBodyHeaders';

/** `GET path` (below the base URL, query included) as the parsed JSON body, with the client's retries and typed errors. */
export function getJSON(config: TransportConfig, path: string, options: RequestOptions): Observable<unknown> {
  return sendJSON(config, 'GET', path, options);
}

/**
 * `method path` as the parsed JSON body, with the client's retries and typed errors: with a JSON
 * `body`, or with none (and then no JSON `content-type`, as the official SDK sends a GET, a
 * DELETE or a POST such as a batch's cancel).
 */
export function sendJSON(config: TransportConfig, method: 'GET' | 'POST' | 'DELETE', path: string, options: RequestOptions, body?: string): Observable<unknown> {
  const request = { method, path, ...(body === undefined ? {} : { body }), expect: 'json' as const };
  return sendRequest(config, request, body === undefined ? withoutBodyHeaders(options) : options).pipe(readJSON());
}

/** `GET path` as the body's bytes (`accept: application/binary`), as they arrive: a file's content, a batch's results. */
export function getBytes(config: TransportConfig, path: string, options: RequestOptions): Observable<Uint8Array> {
  return sendRequest(config, { method: 'GET', path, headers: { accept: 'application/binary' }, expect: 'bytes' }, withoutBodyHeaders(options));
}
