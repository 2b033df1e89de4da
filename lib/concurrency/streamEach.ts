import { map, mergeMap, type OperatorFunction } from 'rxjs';
import type { MessageCreateParams } from '../schema';
import type { RequestOptions } from '../transport/HttpRequest';
import type { StreamingClient, TaggedEvent } from './TaggedEvent';

/**
 * Options of {@link streamEach} and {@link streamAll}.
 *
 * ## Example
 * ```ts
 * const options: StreamEachOptions = { concurrency: 2, requestOptions: { timeout: 60_000 } };
 * requests$.pipe(streamEach(client, options));
 * ```
 */
export interface StreamEachOptions {
  /** At most this many streams run at once; the others wait in order. Default: all at once. */
  concurrency?: number;
  /** Options of every request (headers, betas, timeout, `onResponse`, …). */
  requestOptions?: RequestOptions;
}

/**
 * Streams each `[key, params]` it receives and emits the events of all the streams as they
 * arrive, each tagged with its key.
 *
 * At most `concurrency` requests are open at once; the next `[key, params]` starts when one
 * ends. The output completes when the input has completed and every stream has ended. An error
 * of any stream fails the output and cancels the other streams (catch it per stream with your
 * own `mergeMap` if one failure should not stop the rest). Unsubscribing aborts every open
 * request. The same key may come several times: its events are then tagged alike.
 *
 * ## Example
 * ```ts
 * import { Subject } from 'rxjs';
 * import { streamEach } from 'rx-anthropic';
 *
 * const questions = new Subject<[string, MessageCreateParams]>();
 * questions.pipe(streamEach(client, { concurrency: 2 })).subscribe(({ key, event }) => console.log(key, event.type));
 * questions.next(['q1', params1]);
 * questions.next(['q2', params2]);
 * ```
 *
 * @param client The client whose `messages.stream()` sends the requests.
 * @param options Concurrency and request options.
 * @return An operator from `[key, params]` pairs to tagged raw events.
 * @see streamAll
 * @see aggregateUsage
 */
export function streamEach<K>(client: StreamingClient, options: StreamEachOptions = {}): OperatorFunction<readonly [K, MessageCreateParams], TaggedEvent<K>> {
  const { concurrency = Infinity, requestOptions } = options;
  return mergeMap(
    ([key, params]) => client.messages.stream(params, requestOptions).pipe(map((event): TaggedEvent<K> => ({ key, event }))),
    concurrency,
  );
}
