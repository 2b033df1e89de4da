import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { connect, createServer, type Server, type Socket } from 'node:net';

/**
 * Faults below HTTP, which the mock server cannot play because Node's HTTP server always answers:
 * a refused port, a connection reset before the headers, a reset (RST) after N bytes of the
 * response, and a body that never ends a line. Everything listens on 127.0.0.1 only, and every
 * close waits for the sockets to be gone.
 */

async function listen(server: Server | HttpServer): Promise<string> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no TCP address');
  return `http://127.0.0.1:${address.port}`;
}

function closeAll(server: Server | HttpServer, sockets: Set<Socket>): Promise<void> {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  const socketsClosed = [...sockets].map((socket) => new Promise<void>((resolve) => socket.once('close', () => resolve())));
  for (const socket of sockets) socket.destroy();
  return Promise.all([closed, ...socketsClosed]).then(() => new Promise<void>((resolve) => setImmediate(resolve)));
}

function trackSockets(server: Server | HttpServer): Set<Socket> {
  const sockets = new Set<Socket>();
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  return sockets;
}

/** A base URL where nothing listens: connecting is refused (ECONNREFUSED). */
export async function refusedBaseURL(): Promise<string> {
  const server = createServer();
  const url = await listen(server);
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return url;
}

/** What the proxy does with one TCP connection. */
export type ConnectionPlan =
  /** Reads the start of the request, then closes (`fin`) or resets (`rst`) the connection: no response at all. */
  | { readonly kind: 'drop-before-headers'; readonly how: 'fin' | 'rst' }
  /** Forwards to the target, but resets the connection after `afterBytes` bytes of the response (headers included). */
  | { readonly kind: 'reset-response'; readonly afterBytes: number }
  /** Forwards everything. */
  | { readonly kind: 'pass' };

/** A TCP proxy in front of a server that plays one plan per connection. */
export interface FaultProxy {
  readonly baseURL: string;
  /** Connections accepted so far. */
  connections(): number;
  /** Connections open now (client side). */
  openConnections(): number;
  close(): Promise<void>;
}

/**
 * A TCP proxy to `target` (`http://127.0.0.1:port`): connection number i plays `plans[i]` (the
 * last plan repeats). Resets use `socket.resetAndDestroy()`, a real RST, which the client sees as
 * ECONNRESET rather than an orderly end.
 */
export async function faultProxy(target: string, plans: readonly ConnectionPlan[]): Promise<FaultProxy> {
  const { hostname, port } = new URL(target);
  let accepted = 0;
  const upstreams = new Set<Socket>();
  const server = createServer((client) => {
    const plan = plans[Math.min(accepted, plans.length - 1)] ?? { kind: 'pass' };
    accepted += 1;
    client.on('error', () => undefined);
    if (plan.kind === 'drop-before-headers') {
      client.once('data', () => (plan.how === 'rst' ? client.resetAndDestroy() : client.destroy()));
      return;
    }
    const upstream = connect(Number(port), hostname);
    upstreams.add(upstream);
    upstream.once('close', () => {
      upstreams.delete(upstream);
      client.destroy();
    });
    upstream.on('error', () => undefined);
    client.once('close', () => upstream.destroy());
    client.pipe(upstream);
    if (plan.kind === 'pass') {
      upstream.pipe(client);
      return;
    }
    let budget = plan.afterBytes;
    upstream.on('data', (chunk: Buffer) => {
      if (budget <= 0) return;
      const piece = chunk.subarray(0, budget);
      budget -= piece.byteLength;
      if (budget > 0) {
        client.write(piece);
        return;
      }
      // Flush the last piece, then reset: the client has exactly `afterBytes` bytes when the RST comes.
      client.write(piece, () => {
        upstream.destroy();
        client.resetAndDestroy();
      });
    });
  });
  const sockets = trackSockets(server);
  const baseURL = await listen(server);
  return {
    baseURL,
    connections: () => accepted,
    openConnections: () => sockets.size,
    close: async () => {
      for (const upstream of upstreams) upstream.destroy();
      await closeAll(server, sockets);
    },
  };
}

/** An HTTP server whose every response is an event stream that never ends a line. */
export interface EndlessServer {
  readonly baseURL: string;
  /** Bytes written to the sockets so far (the kernel's buffers may hold some the client never read). */
  bytesWritten(): number;
  /** Resolves when the client has closed the connection of the first response. */
  readonly firstClosed: Promise<void>;
  close(): Promise<void>;
}

/**
 * Answers 200 `text/event-stream` with `data: xxxx…` written in 64 KiB pieces, honouring
 * back-pressure, without a line end, until the client goes away: the peer of the oversized-event
 * test, which must fail at the client's limit with bounded memory instead of buffering forever.
 */
export async function endlessEventServer(): Promise<EndlessServer> {
  let written = 0;
  let markClosed = (): void => undefined;
  const firstClosed = new Promise<void>((resolve) => (markClosed = resolve));
  const piece = Buffer.alloc(64 * 1024, 'x');
  const server = createHttpServer((req, res) => {
    req.resume();
    res.on('error', () => undefined);
    res.once('close', () => markClosed());
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    res.write('event: content_block_delta\ndata: ');
    const pump = (): void => {
      while (!res.destroyed) {
        written += piece.byteLength;
        if (!res.write(piece)) {
          res.once('drain', pump);
          return;
        }
      }
    };
    pump();
  });
  const sockets = trackSockets(server);
  const baseURL = await listen(server);
  return { baseURL, bytesWritten: () => written, firstClosed, close: () => closeAll(server, sockets) };
}
