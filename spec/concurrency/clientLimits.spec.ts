import { lastValueFrom, range, mergeMap, toArray, VirtualTimeScheduler } from 'rxjs';
import { createClient, finalText, RateLimitError, type MessageCreateParams } from 'rx-anthropic';
import { createMockServer, errorReply, textReply, type MockServer, type MockTurn, type RecordedRequest } from 'rx-anthropic/testing';
import { fakeFetch, settle } from '../support/fakeFetch';

const params = (content: string): MessageCreateParams => ({ model: 'claude-test', max_tokens: 64, messages: [{ role: 'user', content }] });

let server: MockServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** A script that answers every request slowly and counts the exchanges open at once on the server. */
function countingScript() {
  let open = 0;
  const stats = { maxOpen: 0 };
  const script = (request: RecordedRequest): MockTurn => {
    open += 1;
    stats.maxOpen = Math.max(stats.maxOpen, open);
    void request.closed.then(() => (open -= 1));
    return textReply(`answer to ${String((request.body as { messages: { content: string }[] }).messages[0]?.content)}`, { chunkSize: 3, chunkDelayMs: 10 });
  };
  return { script, stats };
}

const runAll = (client: ReturnType<typeof createClient>, count: number) =>
  lastValueFrom(range(0, count).pipe(mergeMap((n) => client.messages.stream(params(`q${n}`)).pipe(finalText())), toArray()));

describe('createClient({ maxConcurrentRequests })', () => {
  it('never has more than that many requests open on the server; the others queue and all finish', async () => {
    const { script, stats } = countingScript();
    server = await createMockServer(script);
    const client = createClient({ baseURL: server.baseURL, apiKey: 'k', maxConcurrentRequests: 3 });
    const answers = await runAll(client, 10);
    expect(answers.sort()).toEqual(Array.from({ length: 10 }, (_, n) => `answer to q${n}`).sort());
    expect(server.requests).toHaveLength(10);
    expect(stats.maxOpen).toBe(3);
  });

  it('without it, the same burst opens them all at once (the check above means something)', async () => {
    const { script, stats } = countingScript();
    server = await createMockServer(script);
    await runAll(createClient({ baseURL: server.baseURL, apiKey: 'k' }), 10);
    expect(stats.maxOpen).toBeGreaterThan(3);
  });

  it('sends queued requests in subscription order, and never sends one unsubscribed while queued', async () => {
    server = await createMockServer((request) => textReply(String((request.body as { messages: { content: string }[] }).messages[0]?.content), { chunkDelayMs: 5 }));
    const client = createClient({ baseURL: server.baseURL, apiKey: 'k', maxConcurrentRequests: 1 });
    const first = lastValueFrom(client.messages.stream(params('first')).pipe(finalText()));
    const dropped = client.messages.stream(params('dropped')).subscribe();
    const second = lastValueFrom(client.messages.stream(params('second')).pipe(finalText()));
    const third = lastValueFrom(client.messages.stream(params('third')).pipe(finalText()));
    dropped.unsubscribe();
    expect(await Promise.all([first, second, third])).toEqual(['first', 'second', 'third']);
    expect(server.requests.map((request) => (request.body as { messages: { content: string }[] }).messages[0]?.content)).toEqual(['first', 'second', 'third']);
  });

  it('refuses a limit below 1', () => {
    expect(() => createClient({ apiKey: 'k', maxConcurrentRequests: 0 })).toThrow(RangeError);
  });
});

describe("createClient({ rateLimit: 'respect' })", () => {
  /** The first request gets a 429 with `retry-after-ms: 300`; the others are answered. Arrival times are kept. */
  async function rateLimitedServer() {
    const arrivals: number[] = [];
    server = await createMockServer((_request, index) => {
      arrivals.push(Date.now());
      return index === 0 ? errorReply(429, { headers: { 'retry-after-ms': '300' } }) : textReply(`ok ${index}`, { chunkDelayMs: 5 });
    });
    return { server, arrivals };
  }

  it('a 429 with retry-after pauses the whole queue: the burst waits, then every request succeeds', async () => {
    const { server: mock, arrivals } = await rateLimitedServer();
    const client = createClient({ baseURL: mock.baseURL, apiKey: 'k', maxConcurrentRequests: 2, rateLimit: 'respect', maxRetries: 1 });
    const answers = await runAll(client, 6);
    expect(answers).toHaveLength(6);
    expect(mock.requests).toHaveLength(7);
    const refusedAt = arrivals[0] as number;
    // Requests 0 and 1 went out together; every later one, the retry of 0 included, waited for the 300 ms.
    for (const arrival of arrivals.slice(2)) expect(arrival).toBeGreaterThanOrEqual(refusedAt + 300);
  });

  it("with 'ignore', the next request goes out as soon as a place is free, inside the 300 ms", async () => {
    const { server: mock, arrivals } = await rateLimitedServer();
    const client = createClient({ baseURL: mock.baseURL, apiKey: 'k', maxConcurrentRequests: 2, maxRetries: 1 });
    expect(await runAll(client, 3)).toHaveLength(3);
    expect(arrivals[2]).toBeLessThan((arrivals[0] as number) + 300);
  });

  it('without retries the 429 itself still fails its request (only later requests are held back)', async () => {
    const { server: mock } = await rateLimitedServer();
    const client = createClient({ baseURL: mock.baseURL, apiKey: 'k', rateLimit: 'respect', maxRetries: 0 });
    await expect(lastValueFrom(client.messages.stream(params('q')))).rejects.toBeInstanceOf(RateLimitError);
  });

  it('waits for the reset time when a response says a limit is used up (virtual time)', async () => {
    const scheduler = new VirtualTimeScheduler();
    const sse = { status: 200, body: 'event: message_stop\ndata: {"type":"message_stop"}\n\n' };
    const reset = new Date(Date.now() + 2_000).toISOString();
    const { fetch, calls } = fakeFetch([
      { ...sse, headers: { 'content-type': 'text/event-stream', 'anthropic-ratelimit-requests-remaining': '0', 'anthropic-ratelimit-requests-reset': reset } },
      { ...sse, headers: { 'content-type': 'text/event-stream' } },
    ]);
    const sentAt: number[] = [];
    const timedFetch: typeof globalThis.fetch = (input, init) => {
      sentAt.push(scheduler.now());
      return fetch(input, init);
    };
    const client = createClient({ baseURL: 'http://127.0.0.1:1', apiKey: 'k', fetch: timedFetch, scheduler, rateLimit: 'respect' });

    await lastValueFrom(client.messages.stream(params('first')));
    let done = false;
    client.messages.stream(params('second')).subscribe({ complete: () => (done = true) });
    await settle();
    expect(calls).toHaveLength(1);
    // Advance virtual time to the pause's end, then let the request run.
    for (let i = 0; i < 20 && !done; i += 1) {
      const next = scheduler.actions[0];
      if (next) {
        scheduler.maxFrames = next.delay;
        scheduler.flush();
      }
      await settle();
    }
    expect(done).toBe(true);
    expect(calls).toHaveLength(2);
    expect(sentAt[1]).toBeGreaterThan(1_900);
    expect(sentAt[1]).toBeLessThanOrEqual(2_000);
  });
});
