import type { Observable } from 'rxjs';
import type { MessageCreateParams, RawMessageStreamEvent } from '../schema';
import type { RequestOptions } from '../transport/HttpRequest';

/**
 * An event of one of several streams, with the key of the request it belongs to.
 *
 * ## Example
 * ```ts
 * streamAll(client, { en: paramsEn, fr: paramsFr }).subscribe(({ key, event }: TaggedEvent<'en' | 'fr'>) => {
 *   if (event.type === 'content_block_delta' && event.delta.type === 'text_delta') console.log(key, event.delta.text);
 * });
 * ```
 *
 * @see streamAll
 * @see streamEach
 */
export interface TaggedEvent<K = string, E = RawMessageStreamEvent> {
  readonly key: K;
  readonly event: E;
}

/**
 * What the helpers need of a client: `messages.stream()`. A `Client` is one; so is any object
 * with the same method (a fake in tests, a wrapper that adds headers).
 *
 * ## Example
 * ```ts
 * const fake: StreamingClient = { messages: { stream: () => fromSSEText(recorded) } };
 * ```
 */
export interface StreamingClient {
  readonly messages: {
    /** Streams one request: a cold Observable of its raw events. */
    stream(params: MessageCreateParams, options?: RequestOptions): Observable<RawMessageStreamEvent>;
  };
}
