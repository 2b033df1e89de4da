/**
 * SSE frames held as a Latin-1 string, one character per byte of their UTF-8
 * (`numberEventsAsLatin1()`'s): the relay writes them to the response with the `latin1`
 * encoding, which gives the bytes back unchanged. Node writes a string straight into the socket
 * (copying it once, where a `Buffer` would be made for it and copied into too), so a held stream's
 * numbered frames reach the browser without a buffer of their own.
 *
 * ## Example
 * ```ts
 * relayFrames(of(new Latin1Frames('id: 1\ndata: {}\n\n')), response);
 * ```
 */
export class Latin1Frames {
  /** @param text The frames' bytes, one character each (every character below 256). */
  constructor(readonly text: string) {}

  /** The frames' bytes, copied into a new buffer. */
  toBuffer(): Buffer {
    return Buffer.from(this.text, 'latin1');
  }
}
