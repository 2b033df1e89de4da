import * as t from 'io-ts';
import { nullable, openEnum, struct } from '../schema/combinators';
import { Message } from '../schema/message';
import { openUnion } from '../schema/openUnion';
import type { MessageCreateParams } from '../schema/params';

const RequestCounts = struct(
  'MessageBatchRequestCounts',
  { processing: t.number, succeeded: t.number, errored: t.number, canceled: t.number, expired: t.number },
  {},
);

/**
 * A Message Batch, as the Message Batches API answers it. Open: fields the API adds later are
 * kept; `processing_status` is `in_progress`, `canceling` or `ended` (or a later value), and
 * `results_url` is set once it has `ended`.
 *
 * ## Example
 * ```ts
 * client.messages.batches.retrieve('msgbatch_013Zva2CMHLNnXjNJJKqJ2EF').subscribe((batch: MessageBatch) => {
 *   console.log(batch.processing_status, batch.request_counts.succeeded, batch.results_url);
 * });
 * ```
 *
 * @see MessageBatches
 */
export const MessageBatch = struct(
  'MessageBatch',
  {
    id: t.string,
    type: t.literal('message_batch'),
    processing_status: openEnum(['in_progress', 'canceling', 'ended']),
    request_counts: RequestCounts,
    created_at: t.string,
  },
  {
    ended_at: nullable(t.string),
    expires_at: nullable(t.string),
    archived_at: nullable(t.string),
    cancel_initiated_at: nullable(t.string),
    results_url: nullable(t.string),
  },
);
export type MessageBatch = t.TypeOf<typeof MessageBatch>;

/**
 * What the Message Batches API answers to a delete: the id of the batch that is gone.
 *
 * ## Example
 * ```ts
 * client.messages.batches.delete(batchId).subscribe((deleted: DeletedMessageBatch) => console.log(deleted.id));
 * ```
 */
export const DeletedMessageBatch = struct('DeletedMessageBatch', { id: t.string }, { type: t.string });
export type DeletedMessageBatch = t.TypeOf<typeof DeletedMessageBatch>;

const ErrorResponse = struct('ErrorResponse', { type: t.string, error: struct('ErrorObject', { type: t.string, message: t.string }) }, { request_id: nullable(t.string) });

/**
 * The outcome of one request of a batch, told apart by `type`: `succeeded` (with the `message`),
 * `errored` (with the API's `error` body), `canceled` or `expired`. Open: a later type passes
 * through unchanged.
 *
 * ## Example
 * ```ts
 * const describe = (result: MessageBatchResult): string =>
 *   result.type === 'succeeded' ? result.message.stop_reason ?? '' : result.type;
 * ```
 *
 * @see MessageBatchIndividualResponse
 */
export const MessageBatchResult = openUnion('MessageBatchResult', {
  succeeded: struct('MessageBatchSucceededResult', { type: t.literal('succeeded'), message: Message }),
  errored: struct('MessageBatchErroredResult', { type: t.literal('errored'), error: ErrorResponse }),
  canceled: struct('MessageBatchCanceledResult', { type: t.literal('canceled') }),
  expired: struct('MessageBatchExpiredResult', { type: t.literal('expired') }),
});
export type MessageBatchResult = t.TypeOf<typeof MessageBatchResult>;

/**
 * One line of a batch's results file: the `custom_id` of a request and its result.
 *
 * ## Example
 * ```ts
 * client.messages.batches.results(batchId).subscribe(({ custom_id, result }: MessageBatchIndividualResponse) => {
 *   if (result.type === 'succeeded') console.log(custom_id, result.message.content);
 * });
 * ```
 *
 * @see MessageBatchResult
 */
export const MessageBatchIndividualResponse = struct('MessageBatchIndividualResponse', { custom_id: t.string, result: MessageBatchResult });
export type MessageBatchIndividualResponse = t.TypeOf<typeof MessageBatchIndividualResponse>;

/**
 * One request of a batch: a `custom_id` (unique in the batch) and the Messages API params
 * (without `stream`).
 *
 * ## Example
 * ```ts
 * const request: MessageBatchRequest = {
 *   custom_id: 'q-1',
 *   params: { model: 'claude-sonnet-4-6', max_tokens: 1024, messages: [{ role: 'user', content: 'Hello' }] },
 * };
 * ```
 */
export interface MessageBatchRequest {
  custom_id: string;
  params: MessageCreateParams;
}

/**
 * The parameters of `client.messages.batches.create()`, as the official SDK takes them.
 *
 * ## Example
 * ```ts
 * const params: MessageBatchCreateParams = { requests: [request] };
 * client.messages.batches.create(params).subscribe((batch) => console.log(batch.id));
 * ```
 */
export interface MessageBatchCreateParams {
  requests: readonly MessageBatchRequest[];
  /** Sent as the `anthropic-workspace-id` header, for credentials of several workspaces. */
  workspace_id?: string;
  /** Sent as the `anthropic-user-profile-id` header. */
  user_profile_id?: string;
}

/**
 * The parameters of `client.messages.batches.list()`, as the official SDK takes them.
 *
 * ## Example
 * ```ts
 * const params: MessageBatchListParams = { limit: 100 };
 * client.messages.batches.list(params).subscribe((batch) => console.log(batch.id));
 * ```
 */
export interface MessageBatchListParams {
  /** Batches per page (1 to 1000; the API's default is 20). */
  limit?: number;
  /** Start after this batch id (the pages go on forward). */
  after_id?: string;
  /** Start before this batch id (the pages go on backward). */
  before_id?: string;
  /** Sent as the `anthropic-workspace-id` header, for credentials of several workspaces. */
  workspace_id?: string;
}
