import { errorReply } from './errorReply';
import { jsonReply } from './jsonReply';
import type { MockBatchStore } from './mockBatchStore';
import type { MockBatchOptions, MockTurn, RecordedRequest } from './types';

const noRetry = { 'x-should-retry': 'false' };

const notFound = (id: string): MockTurn => errorReply(404, { message: `message_batch: ${id}`, headers: noRetry });

/**
 * Answers the Message Batches API over `store`: `POST /v1/messages/batches` (a batch of the
 * body's `requests`), `GET /v1/messages/batches` (the API's `Page`, newest first, with `limit`,
 * `after_id` and `before_id`), `GET`, `DELETE` and `POST …/cancel` of `/v1/messages/batches/{id}`,
 * and `GET …/{id}/results` (JSON Lines, for an ended batch). A wrong id gets the API's 404 body.
 * `undefined` for a request that is none of these.
 */
export function answerBatchRequest(request: RecordedRequest, store: MockBatchStore, options: MockBatchOptions = {}): MockTurn | undefined {
  const origin = `http://${request.headers.host ?? '127.0.0.1'}`;
  if (request.path === '/v1/messages/batches') {
    if (request.method === 'POST') {
      const requests = (request.body as { requests?: unknown } | undefined)?.requests;
      if (!Array.isArray(requests) || requests.length === 0) return errorReply(400, { message: 'requests: Field required', headers: noRetry });
      const entries = requests.map((entry: unknown) => entry as { custom_id: string; params: unknown });
      return jsonReply(store.toJSON(store.create(entries), origin));
    }
    if (request.method !== 'GET') return undefined;
    const params = new URLSearchParams(request.search ?? '');
    const limitParam = params.get('limit');
    const limit = limitParam === null ? 20 : Number(limitParam);
    if (!Number.isInteger(limit) || limit < 1 || limit > 1000) {
      return errorReply(400, { message: `limit: Input should be an integer between 1 and 1000, got ${JSON.stringify(limitParam)}`, headers: noRetry });
    }
    const all = store.list();
    const afterId = params.get('after_id');
    const beforeId = params.get('before_id');
    let start = 0;
    let end = all.length;
    if (beforeId !== null) {
      end = Math.max(0, all.findIndex((batch) => batch.id === beforeId));
      start = Math.max(0, end - limit);
    } else {
      if (afterId !== null) start = all.findIndex((batch) => batch.id === afterId) + 1;
      end = Math.min(all.length, start + limit);
    }
    const data = all.slice(start, end).map((batch) => store.toJSON(batch, origin));
    const has_more = beforeId !== null ? start > 0 : end < all.length;
    return jsonReply({ data, has_more, first_id: (data[0]?.id as string | undefined) ?? null, last_id: (data[data.length - 1]?.id as string | undefined) ?? null });
  }
  const match = /^\/v1\/messages\/batches\/([^/]+)(\/cancel|\/results)?$/.exec(request.path);
  if (match === null) return undefined;
  const id = decodeURIComponent(match[1] ?? '');
  const action = `${request.method} ${match[2] ?? ''}`;
  switch (action) {
    case 'GET ': {
      const known = store.get(id);
      const scripted = known === undefined ? undefined : options.retrieveReply?.(id, known.polls++);
      if (scripted !== undefined) return scripted;
      const batch = store.retrieve(id);
      return batch === undefined ? notFound(id) : jsonReply(store.toJSON(batch, origin));
    }
    case 'POST /cancel': {
      const batch = store.cancel(id);
      return batch === undefined ? notFound(id) : jsonReply(store.toJSON(batch, origin));
    }
    case 'DELETE ': {
      const batch = store.get(id);
      if (batch === undefined) return notFound(id);
      if (batch.status !== 'ended') return errorReply(400, { message: `Batch ${id} cannot be deleted while it is ${batch.status}: cancel it first.`, headers: noRetry });
      store.delete(id);
      return jsonReply({ id, type: 'message_batch_deleted' });
    }
    case 'GET /results': {
      const batch = store.get(id);
      if (batch === undefined) return notFound(id);
      if (batch.results === null) return errorReply(400, { message: `Batch ${id} has not ended: its results are not ready.`, headers: noRetry });
      const text = batch.results.map((line) => JSON.stringify(line)).join('\n') + '\n';
      const delivery = options.resultsDelivery ?? {};
      return { ...delivery, kind: 'bytes', body: new TextEncoder().encode(text), contentType: 'application/binary' };
    }
    default:
      return undefined;
  }
}
