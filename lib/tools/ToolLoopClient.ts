import type { Observable } from 'rxjs';
import type { MessageCreateParams, RawMessageStreamEvent } from '../schema';
import type { RequestOptions } from '../transport/HttpRequest';

/**
 * What the tool loop needs of a client: a way to stream a message. The client of
 * `createClient()` is one; so is anything with a `messages.stream` that answers the raw events
 * (a wrapper that records or replays requests, say).
 *
 * ## Example
 * ```ts
 * const client: ToolLoopClient = createClient();
 * of(params).pipe(toolLoop(client, { tools: [getWeather] }));
 * ```
 *
 * @see toolLoop
 */
export interface ToolLoopClient {
  readonly messages: {
    /** Streams one turn: a cold Observable of its raw events, one request per subscription. */
    stream(params: MessageCreateParams, options?: RequestOptions): Observable<RawMessageStreamEvent>;
  };
}
