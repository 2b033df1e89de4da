import { request as httpRequest, type IncomingMessage } from 'node:http';
import { resolve } from 'node:path';
import type { MockServer } from '../../lib/testing/types';

/** The recorded real-world streams (`spec/fixtures/real-world`). */
export const realWorldFixtures = resolve(__dirname, '../fixtures/real-world');

/** One SSE frame as the tests see it. */
export interface Frame {
  readonly event: string;
  readonly data: Record<string, unknown>;
}

/** Splits an SSE body on blank lines; each frame must be exactly one event line and one data line. */
export function parseFrames(text: string): Frame[] {
  return text
    .split(/\n\n/)
    .filter((frame) => frame !== '')
    .map((frame) => {
      const match = /^event: ([^\n]+)\ndata: ([^\n]+)$/.exec(frame);
      if (match === null) throw new Error(`Not an SSE frame: ${JSON.stringify(frame)}`);
      return { event: match[1] ?? '', data: JSON.parse(match[2] ?? '') as Record<string, unknown> };
    });
}

/** POSTs a JSON body to `/v1/messages` (or another path) of the server. */
export function post(server: MockServer, body: unknown, init: RequestInit & { path?: string } = {}): Promise<Response> {
  const { path = '/v1/messages', headers, ...rest } = init;
  return fetch(`${server.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': 'test-key', ...headers },
    body: JSON.stringify(body),
    ...rest,
  });
}

/** Reads a fetch body to the end, keeping the bytes that arrived before an error. */
export async function readBytes(response: Response): Promise<{ bytes: Buffer; error: unknown }> {
  const reader = response.body?.getReader();
  const chunks: Uint8Array[] = [];
  let error: unknown;
  try {
    for (;;) {
      const result = await reader?.read();
      if (result === undefined || result.done) break;
      chunks.push(result.value);
    }
  } catch (caught) {
    error = caught;
  }
  return { bytes: Buffer.concat(chunks), error };
}

/** A request through `node:http`, to see the body's pieces as they arrive (and pause reading). */
export function rawPost(
  server: MockServer,
  body: unknown,
  onResponse: (response: IncomingMessage) => void,
): void {
  const payload = JSON.stringify(body);
  const req = httpRequest(`${server.url}/v1/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) },
    agent: false,
  });
  req.on('response', onResponse);
  req.on('error', () => undefined);
  req.end(payload);
}

/** Rejects after `ms`, for bounding a wait that must happen; the timer is cleared either way. */
export function within<T>(ms: number, promise: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`Timed out after ${ms} ms waiting for ${what}`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

export const params = { model: 'claude-test', max_tokens: 64, messages: [{ role: 'user', content: 'Say hi' }] };
export const streamParams = { ...params, stream: true };

