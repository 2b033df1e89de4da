import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A `node:http` server of the test's own on a free loopback port, closed (its connections ended)
 * after each test. Call it in a `describe`; the function it gives serves one handler and resolves
 * with the server's URL.
 *
 * ## Example
 * ```ts
 * const serve = useLoopbackServer();
 * const url = await serve((_request, response) => void relayFrames(frames$, response));
 * ```
 */
export function useLoopbackServer(): (handler: RequestListener) => Promise<string> {
  let server: Server | undefined;
  afterEach(async () => {
    server?.closeAllConnections();
    await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
    server = undefined;
  });
  return async (handler) => {
    const started = createServer(handler);
    server = started;
    await new Promise<void>((resolve) => started.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(started.address() as AddressInfo).port}`;
  };
}
