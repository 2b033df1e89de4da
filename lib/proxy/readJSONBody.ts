import type { IncomingMessage } from 'node:http';
import { ProxyRefusalError } from './ProxyRefusalError';

/** The browser went away while its request body was still coming: there is no one left to answer. */
export class RequestAbortedError extends Error {
  constructor() {
    super('The browser closed the connection before its request body was complete.');
    this.name = 'RequestAbortedError';
  }
}

const tooLarge = (maxBytes: number): ProxyRefusalError =>
  new ProxyRefusalError(413, `The request body is larger than this proxy accepts (${maxBytes} bytes).`);

const tooSlow = (timeoutMs: number): ProxyRefusalError =>
  new ProxyRefusalError(408, `The request body did not arrive within this proxy's ${timeoutMs} ms: send it whole, at once.`);

/**
 * The request body parsed as JSON, read up to `maxBytes` and until `deadline` (a `Date.now()` time).
 *
 * A body a framework has already read (Express's `express.json()` sets `request.body`) is used
 * as it is, or parsed when it is text or bytes. Otherwise the stream is read here: a declared
 * `content-length` over the bound is refused before reading, and a body that grows past it is
 * refused as soon as it does, the rest of it discarded so that the answer can still reach the
 * browser. A body not whole by `deadline`, however steadily it drips, is refused: a relay that
 * waits for slow bodies can be made to hold thousands. Rejects with a `ProxyRefusalError` (413 too
 * large, 408 too slow, 400 empty or not JSON), or a `RequestAbortedError` when the browser leaves first.
 */
export function readJSONBody(request: IncomingMessage, maxBytes: number, deadline: { at: number; timeoutMs: number }): Promise<unknown> {
  const parsed = (request as { body?: unknown }).body;
  if (parsed !== undefined && request.readableEnded) {
    if (typeof parsed === 'string' || Buffer.isBuffer(parsed)) {
      const text = typeof parsed === 'string' ? parsed : parsed.toString('utf8');
      return Buffer.byteLength(text) > maxBytes ? Promise.reject(tooLarge(maxBytes)) : parseJSON(text);
    }
    return Promise.resolve(parsed);
  }

  const declared = Number(request.headers['content-length']);
  if (declared > maxBytes) return Promise.reject(tooLarge(maxBytes));

  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const timer = setTimeout(() => {
      stop();
      reject(tooSlow(deadline.timeoutMs));
    }, Math.max(0, deadline.at - Date.now()));
    const stop = (): void => {
      clearTimeout(timer);
      chunks.length = 0;
      request.off('data', onData).off('end', onEnd).off('error', onGone).off('close', onClose);
    };
    function onData(chunk: Buffer): void {
      size += chunk.length;
      if (size <= maxBytes) return void chunks.push(chunk);
      stop();
      // Drained, not destroyed: destroying the request would take the socket, and the 413, with it.
      request.resume();
      reject(tooLarge(maxBytes));
    }
    function onEnd(): void {
      const text = Buffer.concat(chunks).toString('utf8');
      stop();
      parseJSON(text).then(resolve, reject);
    }
    function onGone(): void {
      stop();
      reject(new RequestAbortedError());
    }
    function onClose(): void {
      // Node closes the request after 'end' too; only a close before it means the browser left.
      if (!request.complete) onGone();
    }
    request.on('data', onData).on('end', onEnd).on('error', onGone).on('close', onClose);
  });
}

function parseJSON(text: string): Promise<unknown> {
  if (text.trim() === '') return Promise.reject(new ProxyRefusalError(400, 'The request body is empty: send the Messages API params as a JSON object.'));
  try {
    return Promise.resolve(JSON.parse(text) as unknown);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return Promise.reject(new ProxyRefusalError(400, `The request body is not valid JSON (${reason}).`));
  }
}
