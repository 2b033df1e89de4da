import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A stand-in for a relay with resumable streams (the protocol `rx-anthropic/proxy` speaks), small
 * enough to script faults into: a real `node:http` server on 127.0.0.1.
 *
 * - `POST /v1/messages` answers the next recorded stream (`streams`, the last one again when they
 *   run out) as `text/event-stream`, its frames numbered `id: 1`, `id: 2`, …, with
 *   `x-stream-id: s<n>` (unless `streamIds: false`).
 * - `GET /streams/:id` with `Last-Event-ID: n` answers the frames after n (after n - `overlap`), as `resume` says:
 *   `'serve'` (the default), `'not-found'` (404), or `'drop'` (the socket closed before any header).
 *   An unknown or stopped stream is a 404.
 * - `DELETE /streams/:id` answers 204 and stops the stream (a held response is ended).
 *
 * Each stream response (POST or GET, in the order they come) follows the next of `responses`:
 * cut (the socket destroyed) after byte `cutAfter` of its body, or held open after byte
 * `holdAfter`, or, past the end of the list, sent whole. Every request is recorded with the time
 * of `now()` (a test's virtual clock).
 */
export interface ResumableRelayOptions {
  /** The recorded SSE bodies, without ids, one per POST. */
  streams: readonly (string | Uint8Array)[];
  /** Whether a stream response names its stream in `x-stream-id`. Default true. */
  streamIds?: boolean;
  /** What each stream response does, in order; past the list, it is sent whole. */
  responses?: readonly ResponsePlan[];
  /** How `GET /streams/:id` answers a stream the relay has. Default `'serve'`. */
  resume?: 'serve' | 'not-found' | 'drop';
  /**
   * How many events before `Last-Event-ID` a resume sends again, as a relay with an off-by-one
   * (or a replay from a coarser checkpoint) would: the client must drop them. Default 0.
   */
  overlap?: number;
  /** The clock the requests are recorded with. Default `Date.now`. */
  now?: () => number;
}

/** What one stream response does with its body. */
export interface ResponsePlan {
  /** Destroy the socket after this many bytes of the body. */
  cutAfter?: number;
  /** Send this many bytes of the body, then hold the response open. */
  holdAfter?: number;
}

/** One request the relay got. */
export interface RelayRequest {
  method: string;
  path: string;
  lastEventId: string | undefined;
  apiKey: string | undefined;
  /** `now()` when the request arrived. */
  at: number;
}

export interface ResumableRelay {
  readonly baseURL: string;
  readonly requests: RelayRequest[];
  /** The body of stream `n` (0 for the first POST) as the relay numbers it: what a whole response sends. */
  numbered(n: number): Buffer;
  /** Byte offsets just after each frame of `numbered(n)`. */
  frameEnds(n: number): number[];
  close(): Promise<void>;
}

/** The frames of an SSE body, each without its closing blank line. */
function framesOf(body: string | Uint8Array): string[] {
  const text = typeof body === 'string' ? body : Buffer.from(body).toString('utf8');
  return text.split(/\n\n+/).filter((frame) => frame.trim() !== '');
}

interface RelayStream {
  readonly frames: string[];
  stopped: boolean;
  held: ServerResponse[];
}

/** Starts the relay; `close()` it after the test. */
export async function startResumableRelay(options: ResumableRelayOptions): Promise<ResumableRelay> {
  const now = options.now ?? Date.now;
  const requests: RelayRequest[] = [];
  const streams = new Map<string, RelayStream>();
  const plans = [...(options.responses ?? [])];
  let posts = 0;

  const numberedFrames = (frames: readonly string[], after: number): Buffer =>
    Buffer.from(
      frames
        .map((frame, index) => ({ frame, id: index + 1 }))
        .filter(({ id }) => id > after)
        .map(({ frame, id }) => `id: ${id}\n${frame}\n\n`)
        .join(''),
    );

  const sendBody = (stream: RelayStream, response: ServerResponse, body: Buffer, headers: Record<string, string>): void => {
    const plan = plans.shift() ?? {};
    response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', ...headers });
    if (plan.cutAfter !== undefined && plan.cutAfter < body.length) {
      response.flushHeaders();
      const head = body.subarray(0, plan.cutAfter);
      // Written and given time to be read before the cut, so that the client sees these bytes (a cut in the middle of an event).
      const cut = () => setTimeout(() => response.socket?.destroy(), 15);
      if (head.length > 0) response.write(head, cut);
      else cut();
    } else if (plan.holdAfter !== undefined && plan.holdAfter < body.length) {
      response.flushHeaders();
      if (plan.holdAfter > 0) response.write(body.subarray(0, plan.holdAfter));
      stream.held.push(response);
    } else {
      response.end(body);
    }
  };

  const handle = (request: IncomingMessage, response: ServerResponse): void => {
    const path = request.url ?? '';
    const header = (name: string) => (typeof request.headers[name] === 'string' ? (request.headers[name] as string) : undefined);
    requests.push({ method: request.method ?? '', path, lastEventId: header('last-event-id'), apiKey: header('x-api-key'), at: now() });
    const match = /^\/streams\/([^/?]+)$/.exec(path);
    const stream = match ? streams.get(decodeURIComponent(match[1]!)) : undefined;

    if (request.method === 'POST' && path === '/v1/messages') {
      const recorded = options.streams[Math.min(posts, options.streams.length - 1)]!;
      const id = `s${posts}`;
      posts += 1;
      const relayed: RelayStream = { frames: framesOf(recorded), stopped: false, held: [] };
      streams.set(id, relayed);
      request.resume();
      request.on('end', () => sendBody(relayed, response, numberedFrames(relayed.frames, 0), options.streamIds === false ? {} : { 'x-stream-id': id }));
      return;
    }
    if (request.method === 'GET' && match) {
      if (options.resume === 'drop') {
        request.socket.destroy();
        return;
      }
      if (!stream || stream.stopped || options.resume === 'not-found') {
        response.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ type: 'error', error: { type: 'not_found_error', message: 'No such stream.' } }));
        return;
      }
      const after = Math.max(0, Number(header('last-event-id') ?? '0') - (options.overlap ?? 0));
      sendBody(stream, response, numberedFrames(stream.frames, after), {});
      return;
    }
    if (request.method === 'DELETE' && match) {
      if (stream) {
        stream.stopped = true;
        for (const held of stream.held.splice(0)) held.end();
      }
      response.writeHead(stream ? 204 : 404).end();
      return;
    }
    response.writeHead(404).end();
  };

  const server = createServer(handle);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const bodies = options.streams.map((recorded) => numberedFrames(framesOf(recorded), 0));

  return {
    baseURL: `http://127.0.0.1:${port}`,
    requests,
    numbered: (n) => bodies[n]!,
    frameEnds: (n) => {
      const body = bodies[n]!;
      const ends: number[] = [];
      for (let at = body.indexOf('\n\n'); at !== -1; at = body.indexOf('\n\n', at + 2)) ends.push(at + 2);
      return ends;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const stream of streams.values()) for (const held of stream.held.splice(0)) held.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
