/**
 * The number of bytes in the first `count` pieces of a body as rendered: for a stream, its first
 * `count` SSE frames (one piece per frame), so that a fault "after n events" lands exactly at the
 * end of a frame. `undefined` when no count is given; the whole body when `count` is past its end.
 *
 * ## Example
 * ```ts
 * framesByteLength([new Uint8Array(3), new Uint8Array(5)], 1); // 3
 * framesByteLength(rendered.chunks, delivery.cutAfterEvents); // bytes to send before the cut
 * ```
 */
export function framesByteLength(chunks: readonly Uint8Array[], count: number | undefined): number | undefined {
  if (count === undefined) return undefined;
  let bytes = 0;
  const end = Math.min(chunks.length, Math.max(0, Math.floor(count)));
  for (let i = 0; i < end; i += 1) bytes += chunks[i]?.byteLength ?? 0;
  return bytes;
}
