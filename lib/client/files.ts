import * as t from 'io-ts';
import { defer, map, type Observable } from 'rxjs';
import { nullable, struct } from '../schema/combinators';
import type { RequestOptions, TransportConfig } from '../transport/HttpRequest';
import { readJSON } from '../transport/readJSON';
import { sendRequest } from '../transport/sendRequest';
import { decodeResponse } from './decodeResponse';
import { getBytes, getJSON, sendJSON } from './getJSON';
import { pagedList } from './pagedList';
import { queryString } from './queryString';
import { resourcePath } from './resourcePath';
import { withWorkspace } from './withWorkspace';

/**
 * The beta the Files API needed in `anthropic-beta` while it was in beta. The API is generally
 * available now: the official SDK sends no beta for it, and neither does `client.files`. A
 * message that refers to a `file_id` no longer needs it either; it is kept for code that still
 * names it.
 *
 * ## Example
 * ```ts
 * client.messages.stream(params, { betas: [FILES_API_BETA] }); // accepted, no longer needed
 * ```
 */
export const FILES_API_BETA = 'files-api-2025-04-14';

/**
 * What the Files API answers for a file. Refer to it in a message with
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
  { downloadable: nullable(t.boolean), expires_at: nullable(t.string) },
);
export type FileMetadata = t.TypeOf<typeof FileMetadata>;

/**
 * What the Files API answers to a delete: the id of the file that is gone.
 *
 * ## Example
 * ```ts
 * client.files.delete('file_011CNha8iCJcU1wXNR6q4V8w').subscribe((deleted: DeletedFile) => console.log(deleted.id));
 * ```
 */
export const DeletedFile = struct('DeletedFile', { id: t.string }, { type: t.string });
export type DeletedFile = t.TypeOf<typeof DeletedFile>;

const FileListPage = struct('FileListPage', { data: t.array(FileMetadata) }, { next_page: nullable(t.string) });

/**
 * The parameters of `client.files.list()`, as the official SDK takes them.
 *
 * ## Example
 * ```ts
 * const params: FileListParams = { limit: 100 };
 * client.files.list(params).subscribe((file) => console.log(file.filename));
 * ```
 */
export interface FileListParams {
  /** Files per page (1 to 1000; the API's default is 20). */
  limit?: number;
  /** The cursor of the page to start at (a `next_page` the API gave). */
  page?: string;
  /** Only these files (at most 100), in one page; ids that are not found are left out. */
  ids?: readonly string[];
  /** Sent as the `anthropic-workspace-id` header, for credentials of several workspaces. */
  workspace_id?: string;
}

/**
 * The parameters of `client.files.upload()` beyond the file, as the official SDK takes them.
 *
 * ## Example
 * ```ts
 * const params: FileUploadParams = { file: new File([csv], 'data.csv', { type: 'text/csv' }), expires_in_seconds: 3600 };
 * client.files.upload(params).subscribe(({ id, expires_at }) => console.log(id, expires_at));
 * ```
 */
export interface FileUploadParams {
  file: Blob;
  /** Seconds until the file expires (3600 to 7776000), sent as the multipart field `expires_in_seconds`. */
  expires_in_seconds?: number;
  /** Sent as the `anthropic-workspace-id` header, for credentials of several workspaces. */
  workspace_id?: string;
}

/**
 * `client.files`: the Files API, each call a cold Observable (nothing is sent before subscribe,
 * each subscription sends its own request, unsubscribing aborts it). Failures are the client's
 * typed errors: a wrong id is a `NotFoundError`; an id that is empty, `.` or `..` fails at
 * subscribe with an `InvalidArgumentError`, before anything is sent.
 *
 * ## Example
 * ```ts
 * client.files.upload(new File([bytes], 'notes.txt', { type: 'text/plain' })).subscribe(({ id }) => console.log(id));
 * ```
 */
export interface Files {
  /**
   * Uploads a file: `POST /v1/files` with the file as the multipart field `file` (then
   * `expires_in_seconds` when given). No beta header is added (the API is generally available;
   * `options.betas` are sent as given). Takes the file alone, or {@link FileUploadParams}.
   *
   * ## Example
   * ```ts
   * client.files
   *   .upload(new File([pdfBytes], 'report.pdf', { type: 'application/pdf' }))
   *   .subscribe((metadata) => console.log(metadata.id));
   * ```
   */
  upload(file: Blob | FileUploadParams, options?: RequestOptions): Observable<FileMetadata>;
  /**
   * The files of the workspace, newest first, one value per file across pages: `GET /v1/files`
   * with `limit`, `page` and `ids[]`, then `page=<next_page>` for the next page, requested only
   * when the last file of the page before has been taken (`take(5)` sends one request).
   *
   * ## Example
   * ```ts
   * client.files.list({ limit: 100 }).pipe(filter((file) => file.mime_type === 'application/pdf')).subscribe(console.log);
   * ```
   */
  list(params?: FileListParams, options?: RequestOptions): Observable<FileMetadata>;
  /**
   * A file's metadata: `GET /v1/files/{id}`.
   *
   * ## Example
   * ```ts
   * client.files.retrieveMetadata('file_011CNha8iCJcU1wXNR6q4V8w').subscribe((file) => console.log(file.size_bytes));
   * ```
   */
  retrieveMetadata(id: string, options?: RequestOptions): Observable<FileMetadata>;
  /**
   * A file's content as it arrives, in `Uint8Array` chunks: `GET /v1/files/{id}/content` with
   * `accept: application/binary`. Only files a tool created can be downloaded (the API answers
   * others with a `BadRequestError`). Collect the chunks with `collectBytes()` or `toBlob()`.
   *
   * ## Example
   * ```ts
   * client.files.download(fileId).pipe(toBlob('text/csv')).subscribe((blob) => saveAs(blob, 'chart.csv'));
   * ```
   */
  download(id: string, options?: RequestOptions): Observable<Uint8Array>;
  /**
   * Deletes a file: `DELETE /v1/files/{id}`.
   *
   * ## Example
   * ```ts
   * client.files.delete('file_011CNha8iCJcU1wXNR6q4V8w').subscribe(({ id }) => console.log(`deleted ${id}`));
   * ```
   */
  delete(id: string, options?: RequestOptions): Observable<DeletedFile>;
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
    upload(fileOrParams, options = {}) {
      const params = uploadParams(fileOrParams);
      // FormData is re-serialised by every fetch, so a retry sends the whole file again.
      const body = new FormData();
      body.append('file', params.file, fileName(params.file));
      if (params.expires_in_seconds !== undefined) body.append('expires_in_seconds', String(params.expires_in_seconds));
      // No JSON content-type: fetch writes the multipart one, with its boundary.
      const uploadOptions = withWorkspace({ ...options, headers: { ...options.headers, 'content-type': null } }, params.workspace_id);
      return sendRequest(config, { method: 'POST', path: '/v1/files', body, expect: 'json' }, uploadOptions).pipe(
        readJSON(),
        map((value) => decodeResponse(FileMetadata, value, 'the Files API')),
      );
    },
    list(params = {}, options = {}) {
      const { workspace_id, ...query } = params;
      const listOptions = withWorkspace(options, workspace_id);
      return pagedList((cursor) =>
        getJSON(config, `/v1/files${queryString(cursor === null ? query : { ...query, page: cursor })}`, listOptions).pipe(
          map((value) => {
            const page = decodeResponse(FileListPage, value, 'the Files API');
            return { items: page.data, next: page.next_page || null };
          }),
        ),
      );
    },
    retrieveMetadata(id, options = {}) {
      return defer(() => getJSON(config, resourcePath('/v1/files/', id, 'file id'), options)).pipe(map((value) => decodeResponse(FileMetadata, value, 'the Files API')));
    },
    download(id, options = {}) {
      return defer(() => getBytes(config, resourcePath('/v1/files/', id, 'file id', '/content'), options));
    },
    delete(id, options = {}) {
      return defer(() => sendJSON(config, 'DELETE', resourcePath('/v1/files/', id, 'file id'), options)).pipe(map((value) => decodeResponse(DeletedFile, value, 'the Files API')));
    },
  };
}

/** The params of an upload given the file alone (any Blob, from this realm or another: it has `arrayBuffer`) or the params. */
function uploadParams(fileOrParams: Blob | FileUploadParams): FileUploadParams {
  return 'arrayBuffer' in fileOrParams ? { file: fileOrParams } : fileOrParams;
}

function fileName(file: Blob): string {
  const name = (file as Partial<File>).name;
  return typeof name === 'string' && name !== '' ? name : 'file';
}
