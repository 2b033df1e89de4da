import type { PendingTasks, TransferState } from '@angular/core';
import { headersToRecord } from '../transport/headersToRecord';
import { transferKey } from './transferKey';

/**
 * The response headers the client reads (the type, the request id, rate limits, retry hints); the
 * others stay out of the page: cookies above all, and those of the connection it came on.
 */
const KEPT_HEADER = /^(content-type|request-id|retry-after(-ms)?|x-should-retry|anthropic-.*)$/;

/** A body of one chunk that ends the render's wait once it has been read to its end, or dropped. */
function bodyThatReleases(bytes: Uint8Array, release: () => void): ReadableStream<Uint8Array> {
  let given = false;
  return new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        if (!given) {
          given = true;
          controller.enqueue(bytes);
          return;
        }
        controller.close();
        // The last chunk's events are handled once its read resolves: let them reach the page first.
        setTimeout(release);
      },
      cancel() {
        release();
      },
    },
    { highWaterMark: 0 },
  );
}

/**
 * A `fetch` for rendering on the server that keeps what it receives for the browser: each
 * response is read whole, stored in `TransferState` (serialised into the page, with the headers
 * the client reads and no other: no cookie), and handed on.
 * The render waits for it (a pending task) until the client has read the response to its end, so
 * the page holds the reply and the browser replays it ({@link replayFromTransferState}) instead of
 * sending the request again.
 *
 * ## Example
 * ```ts
 * createClient({ baseURL, fetch: recordToTransferState(httpClientFetch(http), inject(TransferState), inject(PendingTasks)) });
 * ```
 *
 * @param send The `fetch` that sends.
 * @param state The app's `TransferState`.
 * @param tasks The app's `PendingTasks`, which the render waits on.
 * @return A function with the signature of `fetch`.
 */
export function recordToTransferState(send: typeof fetch, state: TransferState, tasks: PendingTasks): typeof fetch {
  return async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const release = tasks.add();
    try {
      const response = await send(input, init);
      const body = await response.text();
      const key = transferKey(input, init);
      const headers = Object.fromEntries(Object.entries(headersToRecord(response.headers)).filter(([name]) => KEPT_HEADER.test(name)));
      if (key) state.set(key, { status: response.status, statusText: response.statusText, headers, body });
      return new Response(bodyThatReleases(new TextEncoder().encode(body), release), { status: response.status, statusText: response.statusText, headers });
    } catch (error) {
      release();
      throw error;
    }
  };
}
