import type { MockFile } from './types';

/** A file the mock keeps: the metadata it answers with and the bytes it serves. */
export interface StoredFile {
  readonly metadata: {
    readonly id: string;
    readonly type: 'file';
    readonly filename: string;
    readonly mime_type: string;
    readonly size_bytes: number;
    readonly created_at: string;
    readonly downloadable: boolean;
    /** Set for an upload with `expires_in_seconds`. */
    readonly expires_at?: string;
  };
  readonly content: Uint8Array;
}

/** The files of one mock server, in memory, newest last. */
export interface MockFileStore {
  /** Keeps an uploaded file (not downloadable, as the API's uploads are) and returns it. */
  upload(filename: string, mimeType: string, content: Uint8Array, expiresInSeconds?: number): StoredFile;
  get(id: string): StoredFile | undefined;
  /** Every file, newest first, as the API lists them. */
  list(): readonly StoredFile[];
  /** Whether there was a file to delete. */
  delete(id: string): boolean;
}

/** The API's timestamps have whole seconds (RFC 3339). */
const timestamp = (inMs = 0): string => new Date(Date.now() + inMs).toISOString().replace(/\.\d+Z$/, 'Z');

/**
 * An in-memory file store: uploads are numbered `file_mock_<n>` (n counts uploads from 1), and
 * the given files, which stand for files a tool wrote (downloadable), `file_mock_generated_<n>`.
 */
export function createMockFileStore(seed: readonly MockFile[] = []): MockFileStore {
  const files = new Map<string, StoredFile>();
  let uploads = 0;
  const keep = (id: string, filename: string, mimeType: string, content: Uint8Array, downloadable: boolean): StoredFile => {
    const file: StoredFile = {
      metadata: { id, type: 'file', filename, mime_type: mimeType, size_bytes: content.byteLength, created_at: timestamp(), downloadable },
      content,
    };
    files.set(id, file);
    return file;
  };
  seed.forEach((file, index) => {
    const content = typeof file.content === 'string' ? new TextEncoder().encode(file.content) : file.content;
    keep(`file_mock_generated_${index + 1}`, file.filename, file.mimeType ?? 'application/octet-stream', content, file.downloadable ?? true);
  });
  return {
    upload: (filename, mimeType, content, expiresInSeconds) => {
      const file = keep(`file_mock_${++uploads}`, filename, mimeType, content, false);
      if (expiresInSeconds === undefined) return file;
      const expiring = { ...file, metadata: { ...file.metadata, expires_at: timestamp(expiresInSeconds * 1000) } };
      files.set(expiring.metadata.id, expiring);
      return expiring;
    },
    get: (id) => files.get(id),
    list: () => [...files.values()].reverse(),
    delete: (id) => files.delete(id),
  };
}
