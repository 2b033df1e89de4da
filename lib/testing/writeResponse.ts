import type { ServerResponse } from 'node:http';
import { delay, untilAborted, untilDrained } from './abortableWaits';
import { framesByteLength } from './framesByteLength';
import type { MockReplyOptions } from './types';

/** A response ready to send: final status, headers and body pieces. */
export interface OutgoingResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly chunks: readonly Uint8Array[];
}

function resplit(chunks: readonly Uint8Array[], size: number): Uint8Array[] {
  const whole = Buffer.concat(chunks);
  const step = Math.max(1, Math.floor(size));
  const pieces: Uint8Array[] = [];
  for (let start = 0; start < whole.length; start += step) pieces.push(whole.subarray(start, start + step));
  return pieces;
}

/** The smaller of two byte counts, either of which may be missing. */
function earliest(a: number | undefined, b: number | undefined): number | undefined {
  if (a === undefined) return b;
  return b === undefined ? a : Math.min(a, b);
}

/**
 * Sends `response` with the turn's delivery options: the delay, the hangs, the pauses between
 * pieces, the cut or stall (after a number of bytes or of SSE frames). Waits for `drain` when the socket is full, and stops writing the moment
 * `signal` aborts (client gone, server closing). `onCut` runs just before the server cuts the
 * connection itself, so that close is not mistaken for the client's.
 */
export async function writeResponse(
  res: ServerResponse,
  response: OutgoingResponse,
  delivery: MockReplyOptions,
  signal: AbortSignal,
  onCut: () => void,
): Promise<void> {
  if (delivery.hang) return untilAborted(signal);
  if (delivery.delayMs) await delay(delivery.delayMs, signal);
  if (signal.aborted) return;
  res.writeHead(response.status, response.headers);
  // Without this the headers wait for the first body byte, and a client would never see them.
  res.flushHeaders();
  if (delivery.hangAfterHeaders) return untilAborted(signal);
  if (delivery.firstEventDelayMs) await delay(delivery.firstEventDelayMs, signal);

  const chunks = delivery.splitBytes ? resplit(response.chunks, delivery.splitBytes) : response.chunks;
  const cutAfter = earliest(delivery.cutAfterBytes, framesByteLength(response.chunks, delivery.cutAfterEvents));
  const stallAfter = framesByteLength(response.chunks, delivery.stallAfterEvents);
  const stalls = stallAfter !== undefined && (cutAfter === undefined || stallAfter < cutAfter);
  let budget = earliest(cutAfter, stallAfter) ?? Number.POSITIVE_INFINITY;
  for (const [i, chunk] of chunks.entries()) {
    if (budget <= 0) break;
    if (i > 0 && delivery.chunkDelayMs) await delay(delivery.chunkDelayMs, signal);
    if (signal.aborted || res.destroyed) return;
    const piece = chunk.byteLength > budget ? chunk.subarray(0, budget) : chunk;
    budget -= piece.byteLength;
    if (!res.write(piece)) await untilDrained(res, signal);
    if (signal.aborted) return;
  }

  if (stalls) return untilAborted(signal);
  if (cutAfter === undefined) {
    res.end();
    return;
  }
  onCut();
  const socket = res.socket;
  // end() flushes what was written before closing, so the client gets exactly the bytes cut to.
  socket?.end(() => socket.destroy());
}
