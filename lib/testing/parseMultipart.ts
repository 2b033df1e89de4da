/**
 * One part of a `multipart/form-data` body.
 *
 * ## Example
 * ```ts
 * const request = server.requests[0]!;
 * const [file]: MultipartPart[] = parseMultipart(request.rawBody, request.headers['content-type']!);
 * console.log(file?.name, file?.filename, file?.data.length);
 * ```
 */
export interface MultipartPart {
  /** The form field's name (`file` for the Files API). */
  readonly name: string | undefined;
  readonly filename: string | undefined;
  /** The part's `content-type`, when it has one. */
  readonly contentType: string | undefined;
  /** The part's headers, names lower-cased. */
  readonly headers: Readonly<Record<string, string>>;
  readonly data: Uint8Array;
}

function dispositionParameter(disposition: string, key: string): string | undefined {
  // filename*=UTF-8''… (RFC 5987) wins over the plain filename when both are there.
  const extended = new RegExp(`;\\s*${key}\\*=(?:UTF-8|utf-8)''([^;]*)`).exec(disposition);
  if (extended?.[1] !== undefined) return decodeURIComponent(extended[1]);
  const plain = new RegExp(`;\\s*${key}=(?:"((?:[^"\\\\]|\\\\.)*)"|([^;]*))`).exec(disposition);
  if (plain === null) return undefined;
  return plain[1] !== undefined ? plain[1].replace(/\\(.)/g, '$1') : plain[2]?.trim();
}

function parseHeaders(text: string): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const line of text.split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return headers;
}

/**
 * Splits a `multipart/form-data` body into its parts: enough to see what a client uploaded,
 * not a full RFC 7578 parser (no nested multiparts, no transfer encodings).
 *
 * ## Example
 * ```ts
 * const upload = server.requests[0]!;
 * const [file] = parseMultipart(upload.rawBody, upload.headers['content-type'] ?? '');
 * expect(file?.filename).toBe('notes.txt');
 * ```
 * @param body The raw body (`RecordedRequest.rawBody`).
 * @param contentType The request's `content-type`, which carries the boundary.
 * @return The parts in order; empty when there is no boundary.
 */
export function parseMultipart(body: Uint8Array, contentType: string): MultipartPart[] {
  const boundaryMatch = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  const boundaryText = boundaryMatch?.[1] ?? boundaryMatch?.[2];
  if (boundaryText === undefined) return [];
  const bytes = Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  const delimiter = Buffer.from(`--${boundaryText}`);
  const parts: MultipartPart[] = [];
  let position = bytes.indexOf(delimiter);
  while (position !== -1) {
    let start = position + delimiter.length;
    if (bytes[start] === 0x2d && bytes[start + 1] === 0x2d) break; // the closing "--boundary--"
    if (bytes[start] === 0x0d) start++;
    if (bytes[start] === 0x0a) start++;
    const next = bytes.indexOf(delimiter, start);
    if (next === -1) break;
    let end = next;
    if (bytes[end - 1] === 0x0a) end--;
    if (bytes[end - 1] === 0x0d) end--;
    const crlf = bytes.indexOf('\r\n\r\n', start);
    const lf = bytes.indexOf('\n\n', start);
    const [headerEnd, separator] = crlf !== -1 && crlf < end ? [crlf, 4] : [lf, 2];
    if (headerEnd !== -1 && headerEnd < end) {
      const headers = parseHeaders(bytes.subarray(start, headerEnd).toString('utf8'));
      const disposition = headers['content-disposition'] ?? '';
      parts.push({
        name: dispositionParameter(disposition, 'name'),
        filename: dispositionParameter(disposition, 'filename'),
        contentType: headers['content-type'],
        headers,
        data: bytes.subarray(headerEnd + separator, end),
      });
    }
    position = next;
  }
  return parts;
}
