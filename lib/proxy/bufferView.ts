/**
 * `bytes` as a `Buffer` over the same memory (itself when it is one), for the `Buffer` searches
 * and copies of the relay's byte paths. Nothing is copied.
 *
 * ## Example
 * ```ts
 * bufferView(new Uint8Array([104, 105])).toString('latin1'); // 'hi'
 * ```
 */
export function bufferView(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
