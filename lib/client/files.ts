import * as t from 'io-ts';
import { map, type Observable } from 'rxjs';
import { StreamDecodeError } from '../errors';
import { nullable, struct } from '../schema/combinators';
import { describeValidationErrors } from '../schema/describeValidationErrors';
import type { RequestOptions, TransportConfig } from '../transport/HttpRequest';
import { readJSON } from '../transport/readJSON';
import { sendRequest } from '../transport/sendRequest';

/**
 * The beta the Files API needs in `anthropic-beta`; `files.upload` always sends it.
 *
 * ## Example
 * ```ts
 * client.messages.stream(params, { betas: [FILES_API_BETA] }); // needed to refer to an uploaded file_id
 * ```
 */
export const FILES_API_BETA = 'files-api-2025-04-14';

/**
 * What the Files API answers for an uploaded file. Refer to it in a message with
 * `{ type: 'document', source: { type: 'file', file_id: metadata.id } }` (or an `image` block).
 *
 * ## Example
 * ```ts
 * const metadata: FileMetadata = {
 *   id: 'file_011CNha8iCJcU1wXNR6q4V8w', type: 'file', filename: 'report.pdf',
 *   mime_type: 'application/pdf', size_bytes: 102400, created_at: '2025-04-14T12:00:00Z', downloadable: false,
 * };
 * ```
 *
 * @see Files
 */
export const FileMetadata = struct(
  'FileMetadata',
  { id: t.string, type: t.literal('file'), filename: t.string, mime_type: t.string, size_bytes: t.number, created_at: t.string },
  { downloadable: nullable(t.boolean) },
);
export type FileMetadata = t.TypeOf<typeof FileMetadata>;

/**
 * `client.files`: the Files API (beta), each call a cold Observable.
 *
 * ## Example
 * ```ts
 * client.files.upload(new File([bytes], 'notes.txt', { type: 'text/plain' })).subscribe(({ id }) => console.log(id));
 * ```
 */
export interface Files {
  /**
   * Uploads a file: `POST /v1/files` with the file as the multipart field `file`, and the Files
   * API beta added to any `betas` of the options. Nothing is sent before subscribe; each
   * subscription uploads once; unsubscribing aborts the upload.
   *
   * ## Example
   * ```ts
   * client.files
   *   .upload(new File([pdfBytes], 'report.pdf', { type: 'application/pdf' }))
   *   .subscribe((metadata) => console.log(metadata.id));
   * ```
   */
  upload(file: Blob, options?: RequestOptions): Observable<FileMetadata>;
}

/**
 * The `files` resource over a transport configuration, as `createClient` builds it.
 *
 * ## Example
 * ```ts
 * const files = createFiles(config);
 * files.upload(mcpResourceToFile(await mcpClient.readResource({ uri }))).subscribe(console.log);
 * ```
 *
 * @param config Where requests go, with which headers, retries and timeout.
 * @return The `files` resource.
 * @see Files
 */
export function createFiles(config: TransportConfig): Files {
  return {
    upload(file, options = {}) {
      // FormData is re-serialised by every fetch, so a retry sends the whole file again.
      const body = new FormData();
      body.append('file', file, fileName(file));
      return sendRequest(config, { method: 'POST', path: '/v1/files', body, expect: 'json' }, uploadOptions(config, options)).pipe(
        readJSON(),
        map(decodeFileMetadata),
      );
    },
  };
}

function fileName(file: Blob): string {
  const name = (file as Partial<File>).name;
  return typeof name === 'string' && name !== '' ? name : 'file';
}

/**
 * The request options of an upload: the Files API beta merged with the betas of the client's
 * default headers, of `options.betas` and of an explicit `anthropic-beta` header (the transport
 * would otherwise let one of them replace the others), and no JSON `content-type`, so that
 * `fetch` writes the multipart one with its boundary.
 */
function uploadOptions(config: TransportConfig, options: RequestOptions): RequestOptions {
  const headers: Record<string, string | null> = {};
  let explicitBetas: string | null | undefined;
  for (const [name, value] of Object.entries(options.headers ?? {})) {
    if (name.toLowerCase() === 'anthropic-beta') explicitBetas = value;
    else headers[name.toLowerCase()] = value;
  }
  const betas = new Set<string>();
  const add = (list: string | null | undefined): void => {
    for (const beta of list?.split(',') ?? []) if (beta.trim() !== '') betas.add(beta.trim());
  };
  add(config.headers['anthropic-beta']);
  for (const beta of options.betas ?? []) add(beta);
  add(explicitBetas);
  betas.add(FILES_API_BETA);
  return { ...options, headers: { ...headers, 'content-type': null }, betas: [...betas] };
}

function decodeFileMetadata(value: unknown): FileMetadata {
  const decoded = FileMetadata.decode(value);
  if (decoded._tag === 'Left') {
    const failure = describeValidationErrors(decoded.left);
    throw new StreamDecodeError(`the Files API answered something that is not a FileMetadata: ${failure.reason}`, {
      path: failure.path,
      data: JSON.stringify(value) ?? String(value),
    });
  }
  return decoded.right;
}
