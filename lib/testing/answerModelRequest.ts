import { errorReply } from './errorReply';
import { jsonReply } from './jsonReply';
import { MOCK_MODELS } from './mockModels';
import type { MockTurn, RecordedRequest } from './types';

const noRetry = { 'x-should-retry': 'false' };

/**
 * Answers `GET /v1/models` (the API's `Page`: `data`, `has_more`, `first_id`, `last_id`, with
 * `limit`, `after_id`, `before_id` and `lifecycle[]`; retired models only when asked for) and
 * `GET /v1/models/{id}` (the model, or the API's 404). `undefined` for any other request.
 */
export function answerModelRequest(request: RecordedRequest): MockTurn | undefined {
  if (request.method !== 'GET') return undefined;
  if (request.path === '/v1/models') {
    const params = new URLSearchParams(request.search ?? '');
    const lifecycles = params.getAll('lifecycle[]');
    const wanted = lifecycles.length > 0 ? lifecycles : ['active', 'deprecated'];
    const models = MOCK_MODELS.filter((model) => wanted.includes(model.lifecycle));
    const limitParam = params.get('limit');
    const limit = limitParam === null ? 20 : Number(limitParam);
    if (!Number.isInteger(limit) || limit < 1 || limit > 1000) {
      return errorReply(400, { message: `limit: Input should be an integer between 1 and 1000, got ${JSON.stringify(limitParam)}`, headers: noRetry });
    }
    const afterId = params.get('after_id');
    const beforeId = params.get('before_id');
    let start = 0;
    let end = models.length;
    if (beforeId !== null) {
      end = Math.max(0, models.findIndex((model) => model.id === beforeId));
      start = Math.max(0, end - limit);
    } else {
      if (afterId !== null) start = models.findIndex((model) => model.id === afterId) + 1;
      end = Math.min(models.length, start + limit);
    }
    const data = models.slice(start, end);
    const has_more = beforeId !== null ? start > 0 : end < models.length;
    return jsonReply({ data, has_more, first_id: data[0]?.id ?? null, last_id: data[data.length - 1]?.id ?? null });
  }
  const match = /^\/v1\/models\/([^/]+)$/.exec(request.path);
  if (match === null) return undefined;
  const id = decodeURIComponent(match[1] ?? '');
  const model = MOCK_MODELS.find((candidate) => candidate.id === id);
  return model === undefined ? errorReply(404, { message: `model: ${id}`, headers: noRetry }) : jsonReply(model);
}
