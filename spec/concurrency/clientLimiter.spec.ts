import { defer, lastValueFrom, mergeMap, range, Subject, toArray, type Observable } from 'rxjs';
import {
  createClient,
  finalText,
  InvalidArgumentError,
  LocalRequestLimiter,
  RequestLimiter,
  type ClientOptions,
  type MessageCreateParams,
  type ResponseInfo,
} from 'rx-anthropic';
import { createMockServer, errorReply, textReply, type MockServer, type MockTurn, type RecordedRequest } from 'rx-anthropic/testing';

const params = (content: string): MessageCreateParams => ({ model: 'claude-test', max_tokens: 64, messages: [{ role: 'user', content }] });

let server: MockServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** Answers every request slowly, counting the exchanges open at once. */
async function countingServer() {
  const stats = { open: 0, maxOpen: 0 };
  server = await createMockServer((request: RecordedRequest): MockTurn => {
    stats.open += 1;
    stats.maxOpen = Math.max(stats.maxOpen, stats.open);
    void request.closed.then(() => (stats.open -= 1));
    return textReply('ok', { chunkSize: 1, chunkDelayMs: 10 });
  });
  return { server, stats };
}

/** What `createClient(options)` throws. */
function thrownBy(options: unknown): InvalidArgumentError {
  try {
    createClient(options as ClientOptions);
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidArgumentError);
    return error as InvalidArgumentError;
  }
  throw new Error(`createClient(${JSON.stringify(options)}) did not throw`);
}

describe('createClient({ limiter })', () => {
  it('puts every request through a limiter of any kind, and tells it of every response, retries included', async () => {
    // The first request to arrive is overloaded once; each answer repeats its prompt.
    server = await createMockServer((request: RecordedRequest, index: number) =>
      index === 0 ? errorReply(529, { headers: { 'retry-after-ms': '1' } }) : textReply(String((request.body as MessageCreateParams).messages[0]?.content)),
    );
    const limited: string[] = [];
    const responses: ResponseInfo[] = [];
    const gate = new Subject<void>();
    // Holds every request back until `gate` emits: the client must not send before the limiter subscribes.
    const limiter: RequestLimiter = {
      limit: <T>(request: Observable<T>) => {
        limited.push('request');
        return gate.pipe(mergeMap(() => request));
      },
      observeResponse: (response) => responses.push(response),
    };
    const client = createClient({ apiKey: 'k', baseURL: server.baseURL, limiter, maxRetries: 1 });
    const first = lastValueFrom(client.messages.stream(params('one')).pipe(finalText()));
    const second = lastValueFrom(client.messages.create({ ...params('two'), stream: false }));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(limited).toEqual(['request', 'request']);
    expect(server.requests).toHaveLength(0);

    gate.next();
    gate.complete();
    expect(await first).toBe('one');
    expect((await second).content).toEqual([expect.objectContaining({ type: 'text', text: 'two' })]);
    expect(limited).toHaveLength(2); // the retry ran inside its request's place
    expect(responses.map((response) => response.status).sort()).toEqual([200, 200, 529]);
  });

  it('shares one LocalRequestLimiter between two clients: their requests count together', async () => {
    const { server: mock, stats } = await countingServer();
    const limiter = new LocalRequestLimiter({ maxConcurrent: 2 });
    const one = createClient({ apiKey: 'k', baseURL: mock.baseURL, limiter });
    const two = createClient({ apiKey: 'k', baseURL: mock.baseURL, limiter });
    const texts = await lastValueFrom(
      range(0, 8).pipe(
        mergeMap((n) => (n % 2 === 0 ? one : two).messages.stream(params(`q${n}`)).pipe(finalText())),
        toArray(),
      ),
    );
    expect(texts).toEqual(Array(8).fill('ok'));
    expect(stats.maxOpen).toBe(2);
  });

  it('refuses a limiter given with maxConcurrentRequests or rateLimit, naming both', () => {
    const limiter = new LocalRequestLimiter();
    const withMax = thrownBy({ limiter, maxConcurrentRequests: 3 });
    expect(withMax.argument).toBe('limiter, maxConcurrentRequests');
    expect(withMax.message).toMatch(/limiter option cannot be given with maxConcurrentRequests/);
    const withRateLimit = thrownBy({ limiter, rateLimit: 'ignore' });
    expect(withRateLimit.message).toMatch(/limiter option cannot be given with rateLimit/);
    const withBoth = thrownBy({ limiter, maxConcurrentRequests: 3, rateLimit: 'respect' });
    expect(withBoth.message).toMatch(/with maxConcurrentRequests and rateLimit/);
  });

  it.each([
    ['a string', 'redis'],
    ['null', null],
    ['an object without observeResponse', { limit: (request: Observable<unknown>) => request }],
    ['an object whose limit is not a function', { limit: 4, observeResponse: () => undefined }],
  ])('refuses a limiter that is %s', (_what, limiter) => {
    const error = thrownBy({ limiter });
    expect(error.argument).toBe('limiter');
    expect(error.message).toMatch(/limit\(request\$\) and observeResponse\(info\) functions/);
  });
});

describe('RequestLimiter, the name of the interface and of the former class', () => {
  it('still builds the in-process limiter with new, usable as before and as a client limiter', async () => {
    expect(RequestLimiter).toBe(LocalRequestLimiter);
    const old = new RequestLimiter({ maxConcurrent: 1 });
    expect(old).toBeInstanceOf(LocalRequestLimiter);
    expect(old.maxConcurrent).toBe(1);
    // Typed as the interface, as createClient takes it:
    const asInterface: RequestLimiter = old;

    const { server: mock, stats } = await countingServer();
    const client = createClient({ apiKey: 'k', baseURL: mock.baseURL, limiter: asInterface });
    await lastValueFrom(range(0, 3).pipe(mergeMap((n) => client.messages.stream(params(`q${n}`)).pipe(finalText())), toArray()));
    expect(stats.maxOpen).toBe(1);
    expect(await lastValueFrom(old.limit(defer(async () => 'direct')))).toBe('direct');
  });
});
