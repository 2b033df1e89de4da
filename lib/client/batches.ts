import { catchError, defer, distinctUntilChanged, EMPTY, expand, filter, map, mergeMap, switchMap, takeWhile, timer, type Observable } from 'rxjs';
import { AnthropicError, APIError } from '../errors';
import type { RequestOptions, TransportConfig } from '../transport/HttpRequest';
import { isRetryableResponse, retryAfterMs } from '../transport/retryPolicy';
import { cursorList } from './cursorList';
import { decodeBatchResultLine } from './decodeBatchResultLine';
import { decodeJSONLines } from './decodeJSONLines';
import { decodeResponse } from './decodeResponse';
import { getBytes, getJSON, sendJSON } from './getJSON';
import {
  DeletedMessageBatch,
  MessageBatch,
  MessageBatchIndividualResponse,
  type MessageBatchCreateParams,
  type MessageBatchListParams,
  type MessageBatchRequest,
} from './messageBatch';
import { resourcePath } from './resourcePath';
import { withWorkspace } from './withWorkspace';

const WHAT = 'the Message Batches API';

/**
 * How `watch()` and `run()` poll a batch.
 *
 * ## Example
 * ```ts
 * const polling: BatchPollingOptions = { interval: 30_000, maxInterval: 300_000 };
 * client.messages.batches.watch(batchId, polling).subscribe((batch) => console.log(batch.request_counts));
 * ```
 */
export interface BatchPollingOptions {
  /** Milliseconds between two polls while the batch changes (default 5000). */
  interval?: number;
  /** The longest wait between two polls: each poll that finds nothing new waits 1.5 times longer, up to this (default 10 times `interval`). */
  maxInterval?: number;
}

/**
 * `client.messages.batches`: the Message Batches API, each call a cold Observable (nothing is
 * sent before subscribe, each subscription sends its own requests, unsubscribing aborts them),
 * with the client's retries and typed errors. A wrong id is a `NotFoundError`; an empty one (or
 * `.`, `..`) an `InvalidArgumentError` at subscribe, before anything is sent.
 *
 * ## Example
 * ```ts
 * client.messages.batches.run(requests).subscribe(({ custom_id, result }) => console.log(custom_id, result.type));
 * ```
 */
export interface MessageBatches {
  /**
   * Creates a batch: `POST /v1/messages/batches` with `{ requests }`.
   *
   * ## Example
   * ```ts
   * client.messages.batches.create({ requests }).subscribe((batch) => console.log(batch.id, batch.processing_status));
   * ```
   */
  create(params: MessageBatchCreateParams, options?: RequestOptions): Observable<MessageBatch>;
  /**
   * A batch: `GET /v1/messages/batches/{id}`.
   *
   * ## Example
   * ```ts
   * client.messages.batches.retrieve(batchId).subscribe((batch) => console.log(batch.request_counts));
   * ```
   */
  retrieve(id: string, options?: RequestOptions): Observable<MessageBatch>;
  /**
   * Asks to cancel a batch: `POST /v1/messages/batches/{id}/cancel`; the batch is `canceling`
   * until it has `ended`.
   *
   * ## Example
   * ```ts
   * client.messages.batches.cancel(batchId).subscribe((batch) => console.log(batch.processing_status));
   * ```
   */
  cancel(id: string, options?: RequestOptions): Observable<MessageBatch>;
  /**
   * Deletes a batch that has ended: `DELETE /v1/messages/batches/{id}`.
   *
   * ## Example
   * ```ts
   * client.messages.batches.delete(batchId).subscribe(({ id }) => console.log(`deleted ${id}`));
   * ```
   */
  delete(id: string, options?: RequestOptions): Observable<DeletedMessageBatch>;
  /**
   * The batches of the workspace, newest first, one value per batch across pages:
   * `GET /v1/messages/batches`, then `after_id=<last_id>` (or, with `before_id`,
   * `before_id=<first_id>`) while `has_more`, each next page requested only when the last batch
   * of the page before has been taken (`take(5)` sends one request).
   *
   * ## Example
   * ```ts
   * client.messages.batches.list({ limit: 100 }).pipe(filter((batch) => batch.processing_status === 'ended')).subscribe(console.log);
   * ```
   */
  list(params?: MessageBatchListParams, options?: RequestOptions): Observable<MessageBatch>;
  /**
   * The results of an ended batch, one value per request, decoded line by line while the file
   * downloads (memory stays flat whatever its size): the batch is retrieved, then its
   * `results_url` is read (`GET`, `accept: application/binary`, JSON Lines). A batch without a
   * `results_url` (not ended yet) fails with an `AnthropicError`; a line that is not a result,
   * with a `StreamDecodeError`. Unsubscribing aborts the download.
   *
   * ## Example
   * ```ts
   * client.messages.batches.results(batchId).pipe(filter(({ result }) => result.type === 'errored')).subscribe(console.log);
   * ```
   */
  results(id: string, options?: RequestOptions): Observable<MessageBatchIndividualResponse>;
  /**
   * Polls a batch and emits it at each change of its `processing_status` or `request_counts`
   * (the first poll's answer always), completing after it has `ended`. Each poll that finds
   * nothing new waits 1.5 times longer (up to `maxInterval`). A poll's 429 or 5xx is retried as
   * every request is; if the client's retries are used up, the watch polls again after the
   * answer's `retry-after` (or the next, longer wait), so a long watch survives a busy API.
   * Other errors end it. Unsubscribing stops the polling.
   *
   * ## Example
   * ```ts
   * client.messages.batches.watch(batchId, { interval: 10_000 }).subscribe((batch) => console.log(batch.request_counts));
   * ```
   */
  watch(id: string, polling?: BatchPollingOptions, options?: RequestOptions): Observable<MessageBatch>;
  /**
   * Runs requests as one batch: creates it, watches it, and once it has ended emits each
   * request's result (by `custom_id`), in the order of the results file.
   *
   * ## Example
   * ```ts
   * client.messages.batches.run(requests, { interval: 60_000 }).subscribe(({ custom_id, result }) => save(custom_id, result));
   * ```
   */
  run(requests: readonly MessageBatchRequest[], polling?: BatchPollingOptions, options?: RequestOptions): Observable<MessageBatchIndividualResponse>;
}

/** Two answers of a batch that tell the same: status and counts. */
const progress = (batch: MessageBatch): string => {
  const counts = batch.request_counts;
  return `${batch.processing_status} ${counts.processing} ${counts.succeeded} ${counts.errored} ${counts.canceled} ${counts.expired}`;
};
const sameProgress = (a: MessageBatch, b: MessageBatch): boolean => progress(a) === progress(b);

/**
 * The `messages.batches` resource over a transport configuration, as `createClient` builds it.
 *
 * ## Example
 * ```ts
 * const batches = createMessageBatches(config);
 * batches.retrieve(batchId).subscribe(console.log);
 * ```
 *
 * @param config Where requests go, with which headers, retries, timeout and scheduler.
 * @return The `messages.batches` resource.
 * @see MessageBatches
 */
export function createMessageBatches(config: TransportConfig): MessageBatches {
  const batchPath = (id: string, suffix = ''): string => resourcePath('/v1/messages/batches/', id, 'message batch id', suffix);

  const send = (method: 'POST' | 'DELETE', path: () => string, options: RequestOptions, body?: string): Observable<unknown> =>
    defer(() => sendJSON(config, method, path(), options, body));

  const create = (params: MessageBatchCreateParams, options: RequestOptions = {}): Observable<MessageBatch> => {
    const { workspace_id, user_profile_id, ...body } = params;
    const createOptions = withWorkspace(user_profile_id === undefined ? options : { ...options, headers: { 'anthropic-user-profile-id': user_profile_id, ...options.headers } }, workspace_id);
    return send('POST', () => '/v1/messages/batches', createOptions, JSON.stringify(body)).pipe(map((value) => decodeResponse(MessageBatch, value, WHAT)));
  };

  const retrieve = (id: string, options: RequestOptions = {}): Observable<MessageBatch> =>
    defer(() => getJSON(config, batchPath(id), options)).pipe(map((value) => decodeResponse(MessageBatch, value, WHAT)));

  const resultsOf = (batch: MessageBatch, options: RequestOptions): Observable<MessageBatchIndividualResponse> =>
    defer(() => {
      if (!batch.results_url) {
        throw new AnthropicError(`The message batch ${batch.id} has no results_url: it is ${batch.processing_status}, results come once it has ended.`);
      }
      const base = config.baseURL.replace(/\/+$/, '');
      const resolved = batch.results_url.startsWith(base) ? undefined : new URL(batch.results_url, base);
      const path = resolved === undefined ? batch.results_url.slice(base.length) : resolved.pathname + resolved.search;
      return getBytes(config, path, options);
    }).pipe(
      decodeJSONLines(decodeBatchResultLine(batch.id)),
    );

  const watch = (id: string, polling: BatchPollingOptions = {}, options: RequestOptions = {}): Observable<MessageBatch> =>
    defer(() => {
      const interval = polling.interval ?? 5000;
      const maxInterval = polling.maxInterval ?? interval * 10;
      let wait = interval;
      let previous: MessageBatch | undefined;
      // A poll the API refuses for now (429, 5xx, after the client's own retries) is polled again, not the watch's end.
      const poll = (): Observable<MessageBatch> =>
        retrieve(id, options).pipe(
          catchError((error: unknown) => {
            if (!(error instanceof APIError) || error.status === undefined || !isRetryableResponse(error.status, error.headers)) throw error;
            wait = Math.min(maxInterval, wait * 1.5);
            const asked = retryAfterMs(error.headers, config.scheduler.now()) ?? 0;
            return timer(Math.max(asked, wait), config.scheduler).pipe(switchMap(poll));
          }),
        );
      return poll().pipe(
        expand((batch) => {
          if (batch.processing_status === 'ended') return EMPTY;
          wait = previous !== undefined && sameProgress(previous, batch) ? Math.min(maxInterval, wait * 1.5) : interval;
          previous = batch;
          return timer(wait, config.scheduler).pipe(switchMap(poll));
        }),
        distinctUntilChanged(sameProgress),
        takeWhile((batch) => batch.processing_status !== 'ended', true),
      );
    });

  return {
    create,
    retrieve,
    cancel(id, options = {}) {
      return send('POST', () => batchPath(id, '/cancel'), options).pipe(map((value) => decodeResponse(MessageBatch, value, WHAT)));
    },
    delete(id, options = {}) {
      return send('DELETE', () => batchPath(id), options).pipe(map((value) => decodeResponse(DeletedMessageBatch, value, WHAT)));
    },
    list(params = {}, options = {}) {
      return cursorList(config, '/v1/messages/batches', params, options, MessageBatch, WHAT);
    },
    results(id, options = {}) {
      return retrieve(id, options).pipe(mergeMap((batch) => resultsOf(batch, options)));
    },
    watch,
    run(requests, polling = {}, options = {}) {
      return create({ requests }, options).pipe(
        switchMap((batch) => watch(batch.id, polling, options)),
        // watch emits the ended batch last, once.
        filter((batch) => batch.processing_status === 'ended'),
        switchMap((ended) => resultsOf(ended, options)),
      );
    },
  };
}
