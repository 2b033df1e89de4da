import { Observable, type OperatorFunction } from 'rxjs';

/**
 * Collects byte chunks (such as `client.files.download(id)`'s) into one `Uint8Array`, emitted
 * when the source completes.
 *
 * The chunks are kept as they come and copied once, at the end, into an array of the total
 * length. An error of the source is passed on (nothing is emitted); an empty source gives an
 * empty array. Unsubscribing unsubscribes the source (aborting a download).
 *
 * ## Example
 * ```ts
 * const bytes = await lastValueFrom(client.files.download(fileId).pipe(collectBytes()));
 * await writeFile('chart.png', bytes);
 * ```
 *
 * @return An operator that emits the concatenated bytes once.
 * @see toBlob
 */
export function collectBytes(): OperatorFunction<Uint8Array, Uint8Array> {
  return (source) =>
    new Observable<Uint8Array>((subscriber) => {
      const chunks: Uint8Array[] = [];
      let length = 0;
      return source.subscribe({
        next: (chunk) => {
          chunks.push(chunk);
          length += chunk.byteLength;
        },
        error: (error: unknown) => subscriber.error(error),
        complete: () => {
          const bytes = new Uint8Array(length);
          let offset = 0;
          for (const chunk of chunks) {
            bytes.set(chunk, offset);
            offset += chunk.byteLength;
          }
          subscriber.next(bytes);
          subscriber.complete();
        },
      });
    });
}
