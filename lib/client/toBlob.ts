import { Observable, type OperatorFunction } from 'rxjs';

/**
 * Collects byte chunks (such as `client.files.download(id)`'s) into one `Blob` of the given
 * type, emitted when the source completes.
 *
 * The `Blob` is built from the chunks themselves, without copying them into one array first. An
 * error of the source is passed on (nothing is emitted). Unsubscribing unsubscribes the source
 * (aborting a download).
 *
 * ## Example
 * ```ts
 * client.files
 *   .download(fileId)
 *   .pipe(toBlob('image/png'))
 *   .subscribe((blob) => (image.src = URL.createObjectURL(blob)));
 * ```
 *
 * @param type The Blob's MIME type (default `''`, unknown), such as the file's `mime_type`.
 * @return An operator that emits the Blob once.
 * @see collectBytes
 */
export function toBlob(type = ''): OperatorFunction<Uint8Array, Blob> {
  return (source) =>
    new Observable<Blob>((subscriber) => {
      const chunks: Uint8Array[] = [];
      return source.subscribe({
        next: (chunk) => chunks.push(chunk),
        error: (error: unknown) => subscriber.error(error),
        complete: () => {
          subscriber.next(new Blob(chunks as BlobPart[], { type }));
          subscriber.complete();
        },
      });
    });
}
