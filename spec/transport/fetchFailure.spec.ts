import { createServer } from 'node:net';
import { VirtualTimeScheduler, lastValueFrom } from 'rxjs';
import { APIConnectionError, InvalidArgumentError } from '../../lib/errors';
import { fetchFailure } from '../../lib/transport/fetchFailure';
import type { TransportConfig } from '../../lib/transport/HttpRequest';
import { sendRequest } from '../../lib/transport/sendRequest';
import { settle } from '../support/fakeFetch';

/** A loopback port nothing listens on: connecting to it is refused. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no TCP address');
  return address.port;
}

/**
 * Sends one request with the real global fetch (counting its calls). Retry delays run in virtual
 * time, up to a frame well below the timeout, so that no timeout fires while a socket is slow.
 */
async function send(baseURL: string, maxRetries: number): Promise<{ error: unknown; calls: number }> {
  const scheduler = new VirtualTimeScheduler();
  scheduler.maxFrames = 30_000;
  let calls = 0;
  const config: TransportConfig = {
    baseURL,
    fetch: (input, init) => {
      calls += 1;
      return globalThis.fetch(input, init);
    },
    headers: { 'x-api-key': 'sk-test' },
    maxRetries,
    timeout: 60_000,
    scheduler,
  };
  let settled = false;
  const outcome = lastValueFrom(sendRequest(config, { method: 'POST', path: '/v1/messages', body: '{}', expect: 'json' })).then(
    () => ({ error: undefined }),
    (error: unknown) => ({ error }),
  );
  void outcome.finally(() => (settled = true));
  for (let i = 0; i < 200 && !settled; i += 1) {
    await settle();
    scheduler.flush();
  }
  return { ...(await outcome), calls };
}

describe('fetchFailure', () => {
  it('brings the reason from the bottom of the cause chain to the top, keeping what fetch threw as the cause', () => {
    const thrown = new TypeError('fetch failed', { cause: Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED' }) });
    const error = fetchFailure(thrown);
    expect(error).toBeInstanceOf(APIConnectionError);
    expect(error.message).toBe('Connection error: fetch failed: connect ECONNREFUSED 127.0.0.1:9');
    expect(error.cause).toBe(thrown);
  });

  it('reads the reasons inside an AggregateError, whose own message is empty', () => {
    const refused = (address: string) => Object.assign(new Error(`connect ECONNREFUSED ${address}`), { code: 'ECONNREFUSED' });
    const thrown = new TypeError('fetch failed', { cause: Object.assign(new AggregateError([refused('::1:4010'), refused('127.0.0.1:4010')], ''), { code: 'ECONNREFUSED' }) });
    expect(fetchFailure(thrown).message).toBe('Connection error: fetch failed: connect ECONNREFUSED ::1:4010; connect ECONNREFUSED 127.0.0.1:4010');
  });

  it('takes any other failure, from any fetch, for a network one (a browser says only "Failed to fetch")', () => {
    expect(fetchFailure(new TypeError('Failed to fetch'))).toBeInstanceOf(APIConnectionError);
    expect(fetchFailure(new Error('socket hang up')).message).toBe('Connection error: socket hang up');
    expect(fetchFailure('a string').message).toBe('Connection error: a string');
  });

  it.each([
    ['bad port', new TypeError('fetch failed', { cause: new Error('bad port') }), 'baseURL'],
    ['unknown scheme', new TypeError('fetch failed', { cause: new Error('unknown scheme') }), 'baseURL'],
    ['an unparsable URL', new TypeError('Failed to parse URL from api.anthropic.com/v1/messages', { cause: Object.assign(new TypeError('Invalid URL'), { code: 'ERR_INVALID_URL' }) }), 'baseURL'],
    ['an invalid header value', new TypeError('Headers.append: "sk-ant-secret\nX: 1" is an invalid header value.'), 'headers'],
    ['a ByteString', new TypeError('Cannot convert argument to a ByteString because the character at index 6 has a value of 8230 which is greater than 255.'), 'headers'],
  ])('gives InvalidArgumentError for a request Node refuses before sending it: %s', (_, thrown, argument) => {
    const error = fetchFailure(thrown);
    expect(error).toBeInstanceOf(InvalidArgumentError);
    expect((error as InvalidArgumentError).argument).toBe(argument);
    expect(error.message).not.toContain('sk-ant-secret');
  });

  it('redacts credentials of a URL that a reason quotes', () => {
    const thrown = new TypeError('Request cannot be constructed from a URL that includes credentials: https://user:hunter2@proxy.example.com/v1/messages');
    const error = fetchFailure(thrown);
    expect(error).toBeInstanceOf(InvalidArgumentError);
    expect(error.message).toBe('fetch refused to send the request, check the baseURL: Request cannot be constructed from a URL that includes credentials: https://***@proxy.example.com/v1/messages');
  });
});

describe('sendRequest with the real fetch', () => {
  it('retries a refused connection, then fails with APIConnectionError whose message says it was refused', async () => {
    const { error, calls } = await send(`http://127.0.0.1:${await closedPort()}`, 2);
    expect(calls).toBe(3);
    expect(error).toBeInstanceOf(APIConnectionError);
    expect((error as Error).message).toMatch(/^Connection error: fetch failed: connect ECONNREFUSED 127\.0\.0\.1:\d+$/);
  });

  it('does not retry a port fetch refuses to connect to: no retry can change it', async () => {
    const { error, calls } = await send('http://127.0.0.1:1', 2);
    expect(calls).toBe(1);
    expect(error).toBeInstanceOf(InvalidArgumentError);
    expect((error as Error).message).toBe('fetch refused to send the request, check the baseURL: fetch failed: bad port');
  });
});
