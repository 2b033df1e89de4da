import { errorReply } from './errorReply';
import { jsonReply } from './jsonReply';
import type { MockFileStore } from './mockFileStore';
import { parseMultipart } from './parseMultipart';
import type { MockTurn, RecordedRequest } from './types';

/**
 * The answer to `POST /v1/files`: the uploaded part (the field `file`, or else the first part
 * with a filename) is kept in `store` and its FileMetadata answered (with `expires_at` for an
 * `expires_in_seconds` field), or the 400 the API gives when there is none or the expiry is out of range.
 */
export function answerFileUpload(request: RecordedRequest, store: MockFileStore): MockTurn {
  const parts = parseMultipart(request.rawBody, request.headers['content-type'] ?? '');
  const file = parts.find((part) => part.name === 'file') ?? parts.find((part) => part.filename !== undefined);
  if (file === undefined) {
    return errorReply(400, {
      message: 'file: Field required (the mock expects a multipart/form-data body with a "file" part)',
    });
  }
  const expiresPart = parts.find((part) => part.name === 'expires_in_seconds');
  const expiresIn = expiresPart === undefined ? undefined : Number(new TextDecoder().decode(expiresPart.data));
  if (expiresIn !== undefined && !(Number.isInteger(expiresIn) && expiresIn >= 3600 && expiresIn <= 7_776_000)) {
    return errorReply(400, { message: 'expires_in_seconds: Input should be an integer between 3600 and 7776000' });
  }
  return jsonReply(store.upload(file.filename ?? 'upload', file.contentType ?? 'application/octet-stream', file.data.slice(), expiresIn).metadata);
}
