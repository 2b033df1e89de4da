import { defer, from, type Observable } from 'rxjs';
import type { MessageCreateParams } from '../schema';
import { streamEach, type StreamEachOptions } from './streamEach';
import type { StreamingClient, TaggedEvent } from './TaggedEvent';

/**
 * Streams several requests at once, at most `concurrency` open together, and emits their events
 * as they arrive, each tagged with the request's key.
 *
 * Cold: nothing is sent before subscribe, and each subscription sends every request again.
 * Requests start in the order of the record's keys (or of the pairs); when one ends the next
 * waiting one starts. The result completes when every stream has ended; the first error fails
 * it and aborts the others; unsubscribing aborts every open request. For a limit shared by
 * everything a client sends, use `createClient({ maxConcurrentRequests })` instead or as well.
 *
 * ## Example
 * ```ts
 * import { streamAll } from 'rx-anthropic';
 *
 * const ask = (content: string) => ({ model: 'claude-sonnet-4-6', max_tokens: 256, messages: [{ role: 'user' as const, content }] });
 * streamAll(client, { haiku: ask('A haiku about rain'), limerick: ask('A limerick about cats') }, { concurrency: 2 })
 *   .subscribe(({ key, event }) => {
 *     if (event.type === 'content_block_delta' && event.delta.type === 'text_delta') console.log(`[${key}] ${event.delta.text}`);
 *   });
 * ```
 *
 * @param client The client whose `messages.stream()` sends the requests.
 * @param requests The requests by key: a record, or `[key, params]` pairs.
 * @param options Concurrency and request options.
 * @return The raw events of every stream, tagged with their key.
 * @see streamEach
 * @see combineSnapshots
 * @see aggregateUsage
 */
export function streamAll<K extends string>(
  client: StreamingClient,
  requests: Readonly<Record<K, MessageCreateParams>>,
  options?: StreamEachOptions,
): Observable<TaggedEvent<K>>;
export function streamAll<K>(client: StreamingClient, requests: Iterable<readonly [K, MessageCreateParams]>, options?: StreamEachOptions): Observable<TaggedEvent<K>>;
export function streamAll<K>(
  client: StreamingClient,
  requests: Readonly<Record<string, MessageCreateParams>> | Iterable<readonly [K, MessageCreateParams]>,
  options: StreamEachOptions = {},
): Observable<TaggedEvent<K>> {
  // A Map or an array of pairs is iterable; a record of params is not.
  const entries = (): Iterable<readonly [K, MessageCreateParams]> =>
    Symbol.iterator in requests ? (requests as Iterable<readonly [K, MessageCreateParams]>) : (Object.entries(requests) as unknown as [K, MessageCreateParams][]);
  return defer(() => from(entries())).pipe(streamEach<K>(client, options));
}
