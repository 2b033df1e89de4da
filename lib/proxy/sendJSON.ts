import type { ServerResponse } from 'node:http';

/**
 * Answers with a JSON body, unless the response has started or the browser has gone.
 * `no-store`: neither a reply nor an error of the API belongs in a cache.
 */
export function sendJSON(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (response.headersSent || response.destroyed) return;
  response.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store', ...headers }).end(JSON.stringify(body));
}
