import { errorReply } from './errorReply';
import { jsonReply } from './jsonReply';
import type { MockFileStore } from './mockFileStore';
import { pageOfList } from './pageOfList';
import type { MockTurn, RecordedRequest } from './types';

const noRetry = { 'x-should-retry': 'false' };

/** The API's 404 for a file id it does not know. */
const fileNotFound = (id: string): MockTurn => errorReply(404, { message: `File not found: ${id}`, headers: noRetry });

/**
 * Answers the Files API routes other than the upload, over `store`: `GET /v1/files` (newest
 * first, `limit` and the `page` cursor, or exactly the `ids[]` asked for, as one page),
 * `GET /v1/files/{id}`, `GET /v1/files/{id}/content` (the bytes, for a downloadable file) and
 * `DELETE /v1/files/{id}`. `undefined` for a request that is none of these.
 */
export function answerFileRequest(request: RecordedRequest, store: MockFileStore): MockTurn | undefined {
  if (request.method === 'GET' && request.path === '/v1/files') {
    const params = new URLSearchParams(request.search ?? '');
    const ids = params.getAll('ids[]');
    if (ids.length > 0) {
      const data = ids.flatMap((id) => store.get(id)?.metadata ?? []);
      return jsonReply({ data, next_page: null });
    }
    const page = pageOfList(store.list(), params.get('limit') ?? undefined, params.get('page') ?? undefined);
    if (typeof page === 'string') return errorReply(400, { message: page, headers: noRetry });
    return jsonReply({ data: page.items.map((file) => file.metadata), next_page: page.next });
  }
  const match = /^\/v1\/files\/([^/]+)(\/content)?$/.exec(request.path);
  if (match === null) return undefined;
  const id = decodeURIComponent(match[1] ?? '');
  const content = match[2] !== undefined;
  const file = store.get(id);
  if (request.method === 'GET' && !content) return file === undefined ? fileNotFound(id) : jsonReply(file.metadata);
  if (request.method === 'GET' && content) {
    if (file === undefined) return fileNotFound(id);
    if (!file.metadata.downloadable) {
      return errorReply(400, { message: `File ${id} is not downloadable: only files a tool created can be downloaded.`, headers: noRetry });
    }
    return { kind: 'bytes', body: file.content, contentType: file.metadata.mime_type };
  }
  if (request.method === 'DELETE' && !content) return store.delete(id) ? jsonReply({ id, type: 'file_deleted' }) : fileNotFound(id);
  return undefined;
}
