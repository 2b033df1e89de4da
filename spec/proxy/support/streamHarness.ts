import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { params } from './proxyHarness';

/**
 * Helpers of the resumable-stream specs: a stream started and cut off at a byte as a browser
 * whose connection drops, its complete frames, and resumes (`GET …/streams/{id}`).
 */

/** A stream's start as the browser saw it: status, headers, the bytes it got before its connection was cut. */
export interface CutStream {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly id: string;
  /** The first `cutAt` bytes of the body (fewer if it ended before). */
  readonly received: string;
  /** Whether the whole body came before the cut. */
  readonly ended: boolean;
}

/**
 * POSTs `params` to `{url}/api/messages` and destroys the connection once `cutAt` bytes of the
 * body have come (keeping just those): a browser whose connection drops mid-frame. Bounded by
 * `timeoutMs`.
 */
export function cutStream(url: string, cutAt: number, headers: Record<string, string> = {}, timeoutMs = 5_000): Promise<CutStream> {
  const { hostname, port } = new URL(url);
  const body = JSON.stringify(params);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      request.destroy();
      reject(new Error(`the stream did not reach byte ${cutAt} (or its end) within ${timeoutMs} ms`));
    }, timeoutMs);
    const request = httpRequest(
      { host: hostname, port, method: 'POST', path: '/api/messages', agent: false, headers: { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)), ...headers } },
      (response) => {
        const chunks: Buffer[] = [];
        let length = 0;
        let done = false;
        const finish = (ended: boolean): void => {
          if (done) return;
          done = true;
          clearTimeout(timer);
          const whole = Buffer.concat(chunks);
          resolve({ status: response.statusCode ?? 0, headers: response.headers, id: String(response.headers['x-stream-id'] ?? ''), received: whole.subarray(0, cutAt).toString('utf8'), ended });
        };
        response.on('data', (chunk: Buffer) => {
          chunks.push(chunk);
          length += chunk.length;
          if (length >= cutAt) {
            request.destroy();
            finish(false);
          }
        });
        response.on('error', () => undefined);
        response.on('end', () => finish(true));
      },
    );
    request.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    request.end(body);
  });
}

/** The frames of `text` that came whole (up to its last blank line), and the `id:` of the last of them (0 for none). */
export function wholeFrames(text: string): { text: string; lastId: number } {
  const end = text.lastIndexOf('\n\n');
  if (end < 0) return { text: '', lastId: 0 };
  const whole = text.slice(0, end + 2);
  const ids = [...whole.matchAll(/^id: (\d+)$/gm)];
  return { text: whole, lastId: ids.length > 0 ? Number(ids[ids.length - 1]?.[1]) : 0 };
}

/** A whole answer: status, headers, body. */
export interface Answered {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
}

/** `GET {url}{basePath}/streams/{id}` with `Last-Event-ID: after` (none when `undefined`), read whole; bounded by `timeoutMs`. */
export async function resume(url: string, id: string, after: number | undefined, headers: Record<string, string> = {}, timeoutMs = 5_000): Promise<Answered> {
  const response = await fetch(`${url}/api/streams/${id}`, {
    headers: { ...(after === undefined ? {} : { 'last-event-id': String(after) }), ...headers },
    signal: AbortSignal.timeout(timeoutMs),
  });
  return { status: response.status, headers: response.headers, text: await response.text() };
}

/** `DELETE {url}/api/streams/{id}`, read whole; bounded by `timeoutMs`. */
export async function stop(url: string, id: string, headers: Record<string, string> = {}, timeoutMs = 5_000): Promise<Answered> {
  const response = await fetch(`${url}/api/streams/${id}`, { method: 'DELETE', headers, signal: AbortSignal.timeout(timeoutMs) });
  return { status: response.status, headers: response.headers, text: await response.text() };
}

/** POSTs `params` to `{url}/api/messages` and reads the whole answer; bounded by `timeoutMs`. */
export async function wholeStream(url: string, headers: Record<string, string> = {}, timeoutMs = 5_000): Promise<Answered> {
  const response = await fetch(`${url}/api/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(params),
    signal: AbortSignal.timeout(timeoutMs),
  });
  return { status: response.status, headers: response.headers, text: await response.text() };
}

/** A seeded generator of numbers in [0, 1) (mulberry32): the same cut points on every run. */
export function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The `id:` numbers of a stream's frames, in order. */
export const idsOf = (text: string): number[] => [...text.matchAll(/^id: (\d+)$/gm)].map((match) => Number(match[1]));

/** The frames of a stream's text (each ending with its blank line). */
export const framesOf = (text: string): string[] => text.split(/(?<=\n\n)/).filter((frame) => frame.trim() !== '');
