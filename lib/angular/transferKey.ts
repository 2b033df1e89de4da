import { makeStateKey, type StateKey } from '@angular/core';

/** A response as the server received it, stored in `TransferState` for the browser to replay. */
export interface TransferredResponse {
  readonly status: number;
  readonly statusText: string;
  readonly headers: Record<string, string>;
  readonly body: string;
}

/** A 53-bit hash of a string (cyrb53): short keys in the page for long request bodies. */
function hash(text: string): string {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ code, 2654435761);
    h2 = Math.imul(h2 ^ code, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return (4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(36);
}

/**
 * The `TransferState` key of a request: its method, its URL's path and query (the server may
 * reach the relay at another origin than the page does) and its body, hashed.
 * Requests whose body is not text (a file upload) have none: they are never transferred.
 *
 * ## Example
 * ```ts
 * transferKey('https://app.example/api/v1/messages', { method: 'POST', body: '{"model":…}' }); // a StateKey
 * ```
 *
 * @param input The first argument of `fetch`: the URL.
 * @param init The second: method and body.
 * @return The key, or `undefined` for a request that is not transferred.
 */
export function transferKey(input: RequestInfo | URL, init: RequestInit | undefined): StateKey<TransferredResponse> | undefined {
  const method = (init?.method ?? 'GET').toUpperCase();
  const url = typeof input === 'string' ? input : 'url' in input ? input.url : input.href;
  const body = init?.body;
  if (body !== null && body !== undefined && typeof body !== 'string') return undefined;
  let path = url;
  try {
    const parsed = new URL(url);
    path = `${parsed.pathname}${parsed.search}`;
  } catch {
    // Not an absolute URL: the key uses it as it is.
  }
  return makeStateKey<TransferredResponse>(`rx-anthropic:${hash(`${method} ${path} ${body ?? ''}`)}`);
}
