import * as t from 'io-ts';
import { nullable, struct } from '../schema/combinators';
import { MessageBatch } from './messageBatch';

/** A page of `GET /v1/messages/batches`: the API's `Page` (`data`, `has_more`, `first_id`, `last_id`). */
export const MessageBatchListPage = struct(
  'MessageBatchListPage',
  { data: t.array(MessageBatch) },
  { has_more: nullable(t.boolean), first_id: nullable(t.string), last_id: nullable(t.string) },
);
