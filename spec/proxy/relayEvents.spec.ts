import { connect } from 'node:net';
import { finalize, from, lastValueFrom, NEVER, of, startWith, throwError, toArray, type Observable } from 'rxjs';
import { decodeEvents, fromSSE, RateLimitError, type RawMessageStreamEvent } from 'rx-anthropic';
import { createProxyServer, relayEvents, type ProxyClient, type ProxyServer } from 'rx-anthropic/proxy';
import { useLoopbackServer } from './support/loopbackServer';
import { params } from './support/proxyHarness';

const bigEvents = (count: number, size: number): RawMessageStreamEvent[] =>
  Array.from({ length: count }, (_, index) => ({ type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: `${index}:`.padEnd(size, 'x') } }) as RawMessageStreamEvent);

const fakeClient = (events$: Observable<RawMessageStreamEvent>): ProxyClient => ({
  messages: { stream: () => events$, create: () => of(), countTokens: () => of() },
});

/** Sends the request on a raw socket and reads the answer only once `read` resolves. */
function rawRequest(url: string, read: Promise<void>): Promise<string> {
  const { port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), '127.0.0.1');
    const body = JSON.stringify(params);
    socket.write(`POST /api/messages HTTP/1.1\r\nhost: 127.0.0.1:${port}\r\ncontent-type: application/json\r\ncontent-length: ${body.length}\r\nconnection: close\r\n\r\n${body}`);
    socket.pause();
    const chunks: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    socket.on('error', reject);
    void read.then(() => socket.resume());
  });
}

/** The body of a raw chunked HTTP answer. */
const unchunk = (answer: string): string => answer.slice(answer.indexOf('\r\n\r\n') + 4).replace(/^[0-9a-f]+\r\n|\r\n[0-9a-f]+\r\n/g, '');

describe('relayEvents: backpressure through the proxy', () => {
  let proxy: ProxyServer | undefined;
  afterEach(async () => {
    await proxy?.close();
    proxy = undefined;
  });

  it('holds frames for a slow reader and delivers all of them, in order', async () => {
    const events = bigEvents(400, 20_000); // 8 MB, more than the socket buffers take at once
    let startReading!: () => void;
    const reading = new Promise<void>((resolve) => (startReading = resolve));
    proxy = await createProxyServer({ client: fakeClient(from(events)), authorize: 'anyone', maxBufferedBytes: 64 * 1024 * 1024 });
    const answer = rawRequest(proxy.url, reading);
    setTimeout(startReading, 200);
    const decoded = await lastValueFrom(of(unchunk(await answer)).pipe(fromSSE(), decodeEvents(), toArray()));
    expect(decoded).toEqual(events);
  });

  it('cuts off a reader that falls more than maxBufferedBytes behind and unsubscribes upstream', async () => {
    let unsubscribed = false;
    const upstream = from(bigEvents(1000, 20_000)).pipe(finalize(() => (unsubscribed = true)));
    proxy = await createProxyServer({ client: fakeClient(upstream), authorize: 'anyone', maxBufferedBytes: 1024 * 1024 });
    void rawRequest(proxy.url, new Promise<void>(() => undefined)).catch(() => 'reset');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(unsubscribed).toBe(true);
  });
});

describe('relayEvents on a server of its own', () => {
  const listen = useLoopbackServer();

  function serve(events$: () => Observable<RawMessageStreamEvent>): Promise<string> {
    return listen((_request, response) => void relayEvents(events$(), response, { headers: () => ({ 'x-served-by': 'test' }) }));
  }

  it('writes the events as SSE frames with its headers', async () => {
    const events = bigEvents(3, 10);
    const url = await serve(() => from(events));
    const response = await fetch(url);
    expect(response.headers.get('x-served-by')).toBe('test');
    expect(response.headers.get('cache-control')).toBe('no-cache, no-transform');
    expect(await lastValueFrom(of(await response.text()).pipe(fromSSE(), decodeEvents(), toArray()))).toEqual(events);
  });

  it('answers an error before the first event with its status and the API body', async () => {
    const error = new RateLimitError(429, { type: 'rate_limit_error', message: 'Slow down' }, undefined, { 'retry-after': '2', 'x-secret-upstream': 'no' }, 'req_1');
    const url = await serve(() => throwError(() => error));
    const response = await fetch(url);
    expect(response.status).toBe(429);
    expect(response.headers.get('retry-after')).toBe('2');
    expect(response.headers.get('x-secret-upstream')).toBeNull();
    expect(await response.json()).toEqual({ type: 'error', error: { type: 'rate_limit_error', message: 'Slow down' }, request_id: 'req_1' });
  });

  it('unsubscribes when the reader goes away mid-stream', async () => {
    let unsubscribed = false;
    const url = await serve(() => NEVER.pipe(startWith(...bigEvents(1, 10)), finalize(() => (unsubscribed = true))));
    const controller = new AbortController();
    const response = await fetch(url, { signal: controller.signal });
    await response.body!.getReader().read();
    controller.abort();
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(unsubscribed).toBe(true);
  });
});
