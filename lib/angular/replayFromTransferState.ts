import type { TransferState } from '@angular/core';
import { transferKey } from './transferKey';

/**
 * A `fetch` for the browser that answers, once, a request the server already sent while it
 * rendered the page ({@link recordToTransferState}) with the response it stored in
 * `TransferState`, and sends every other request with `send`. The page's first view thus makes
 * one request upstream, not one on the server and another after hydration.
 *
 * ## Example
 * ```ts
 * createClient({ baseURL, fetch: replayFromTransferState(httpClientFetch(http), () => injector.get(TransferState)) });
 * ```
 *
 * @param send The `fetch` that sends.
 * @param transferState The app's `TransferState`, as the page brought it: read at the first request, not before.
 * @return A function with the signature of `fetch`.
 */
export function replayFromTransferState(send: typeof fetch, transferState: () => TransferState): typeof fetch {
  return (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const state = transferState();
    if (state.isEmpty) return send(input, init);
    const key = transferKey(input, init);
    const stored = key ? state.get(key, null) : null;
    if (!key || stored === null) return send(input, init);
    state.remove(key);
    return Promise.resolve(new Response(stored.body, { status: stored.status, statusText: stored.statusText, headers: stored.headers }));
  };
}
