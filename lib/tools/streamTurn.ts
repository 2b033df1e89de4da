import { connect, ignoreElements, merge, type Observable, tap } from 'rxjs';
import type { ToolLoopClient } from './ToolLoopClient';
import { finalMessage } from '../operators/finalMessage';
import type { Message, MessageCreateParams, RawMessageStreamEvent } from '../schema';
import type { RequestOptions } from '../transport/HttpRequest';

/**
 * Sends one request of a tool loop: its raw events as they arrive, and `onMessage` called with
 * the finished message once the stream has ended.
 *
 * The message comes from the public `finalMessage()` operator on the same events (one request,
 * shared through `connect`), so a stream that ends before `message_stop` fails with
 * `IncompleteStreamError`, and tool input that is not JSON with `ToolInputParseError`. HTTP
 * errors fail it with their typed error; unsubscribing aborts the request.
 *
 * ## Example
 * ```ts
 * let message: Message | undefined;
 * concat(streamTurn(client, params, undefined, (m) => (message = m)), defer(() => of(message!.stop_reason)));
 * ```
 *
 * @param client The client that sends the request.
 * @param request The request params.
 * @param options Options of the request.
 * @param onMessage Called with the finished message, before the Observable completes.
 * @return The raw events of the turn.
 */
export function streamTurn(
  client: ToolLoopClient,
  request: MessageCreateParams,
  options: RequestOptions | undefined,
  onMessage: (message: Message) => void,
): Observable<RawMessageStreamEvent> {
  return client.messages
    .stream(request, options)
    .pipe(connect((events) => merge(events, events.pipe(finalMessage(), tap(onMessage), ignoreElements()))));
}
