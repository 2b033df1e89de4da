import { Observable } from 'rxjs';
import type { RequestOptions, ResponseInfo, TransportConfig } from '../transport/HttpRequest';
import { STREAM_ID_HEADER, stopRelayStream } from './stopRelayStream';

/**
 * A streamed body that tells the relay to stop its stream when the consumer leaves before the
 * end: for `messages.streamBody()`, whose bytes are not read, so that it neither sees the
 * events' numbers nor resumes (`messages.stream()` does both, in `relayedEvents`).
 *
 * `open` sends the request with the options given (their `onResponse` notes the response's
 * `x-stream-id`). When the Observable ends other than by the body's end (unsubscribed, aborted,
 * failed) after a response that named a stream, `DELETE /streams/{id}` is sent
 * ({@link stopRelayStream}).
 *
 * ## Example
 * ```ts
 * stopOnUnsubscribe(config, options, (withId) => sendRequest(config, request, withId)).subscribe((chunk) => res.write(chunk));
 * ```
 *
 * @param config The client's transport configuration.
 * @param options The request's options.
 * @param open Sends the request with the options it is given.
 * @return The body's chunks, as `open` gives them.
 * @see relayedEvents
 */
export function stopOnUnsubscribe(config: TransportConfig, options: RequestOptions, open: (options: RequestOptions) => Observable<Uint8Array>): Observable<Uint8Array> {
  return new Observable<Uint8Array>((subscriber) => {
    let streamId: string | undefined;
    let ended = false;
    const onResponse = (info: ResponseInfo): void => {
      const id = info.status >= 200 && info.status < 300 ? info.headers[STREAM_ID_HEADER] : undefined;
      if (id) {
        if (streamId !== undefined && streamId !== id) stopRelayStream(config, options, streamId);
        streamId = id;
      }
      options.onResponse?.(info);
    };
    const subscription = open({ ...options, onResponse }).subscribe({
      next: (chunk) => subscriber.next(chunk),
      error: (error: unknown) => subscriber.error(error),
      complete: () => {
        ended = true;
        subscriber.complete();
      },
    });
    return () => {
      subscription.unsubscribe();
      if (streamId !== undefined && !ended) stopRelayStream(config, options, streamId);
    };
  });
}
