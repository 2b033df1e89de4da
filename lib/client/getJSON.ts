import type { Observable } from 'rxjs';
import type { RequestOptions, TransportConfig } from '../transport/HttpRequest';
import { readJSON } from '../transport/readJSON';
import { sendRequest } from '../transport/sendRequest';
import { withoutBodyHeaders } from './withoutBodyHeaders';

/** `GET path` (below the base URL, query included) as the parsed JSON body, with the client's retries and typed errors. */
export function getJSON(config: TransportConfig, path: string, options: RequestOptions): Observable<unknown> {
  return sendRequest(config, { method: 'GET', path, expect: 'json' }, withoutBodyHeaders(options)).pipe(readJSON());
}
