import type { RequestOptions, TransportConfig } from '../transport/HttpRequest';
import { requestHeaders } from '../transport/sendAttempt';

/** The response header by which a relay with resumable streams names a stream (`rx-anthropic/proxy`). */
export const STREAM_ID_HEADER = 'x-stream-id';

/** The relay's path of a stream: `GET` resumes it, `DELETE` stops it. */
export const relayStreamPath = (streamId: string): string => `/streams/${encodeURIComponent(streamId)}`;

const ignore = (): void => undefined;

/**
 * Asks the relay to stop a stream nobody reads any more: `DELETE {baseURL}/streams/{id}`, which
 * aborts its request upstream. A browser that only drops its connection leaves the relay
 * reading (and paying for) the rest of the answer, kept for a resume that will not come.
 *
 * Fire-and-forget: sent through the client's own `fetch` with the client's headers and the
 * request's (the relay checks that the stream is the caller's), with `keepalive: true` so that
 * it still goes out while the page unloads. Its outcome is of no use to anyone once the
 * consumer has left, so a failure (the network, a 404 for a stream that ended meanwhile, a
 * `fetch` that throws) is dropped here and never becomes an unhandled rejection.
 *
 * ## Example
 * ```ts
 * // in the teardown of a stream whose response carried `x-stream-id: abc`:
 * stopRelayStream(config, options, 'abc'); // DELETE https://relay.example/streams/abc
 * ```
 *
 * @param config The client's transport configuration: base URL, `fetch`, headers.
 * @param options The options of the request that opened the stream (its headers are sent again).
 * @param streamId The `x-stream-id` of the stream's response.
 */
export function stopRelayStream(config: TransportConfig, options: RequestOptions, streamId: string): void {
  const url = `${config.baseURL.replace(/\/+$/, '')}${relayStreamPath(streamId)}`;
  const request = { method: 'DELETE', path: relayStreamPath(streamId), expect: 'json' } as const;
  const headers = requestHeaders(config, request, options);
  // No body: the content type of the client's JSON requests would describe nothing.
  delete headers['content-type'];
  try {
    config.fetch(url, { method: 'DELETE', headers, keepalive: true }).then((response) => response.body?.cancel().catch(ignore), ignore);
  } catch {
    // A fetch of the caller's own may throw instead of rejecting; the stop is best effort either way.
  }
}
