import { errorReply } from './errorReply';
import { jsonReply } from './jsonReply';
import { parseMultipart } from './parseMultipart';
import type { MockTurn, RecordedRequest } from './types';

/**
 * The answer to `POST /v1/files`: the FileMetadata of the uploaded part (the field `file`, or
 * else the first part with a filename), or the 400 the API gives when there is none.
 */
export function answerFileUpload(request: RecordedRequest, fileNumber: number): MockTurn {
  const parts = parseMultipart(request.rawBody, request.headers['content-type'] ?? '');
  const file = parts.find((part) => part.name === 'file') ?? parts.find((part) => part.filename !== undefined);
  if (file === undefined) {
    return errorReply(400, {
      message: 'file: Field required (the mock expects a multipart/form-data body with a "file" part)',
    });
  }
  return jsonReply({
    id: `file_mock_${fileNumber}`,
    type: 'file',
    filename: file.filename ?? 'upload',
    mime_type: file.contentType ?? 'application/octet-stream',
    size_bytes: file.data.byteLength,
    created_at: new Date().toISOString(),
    downloadable: false,
  });
}
