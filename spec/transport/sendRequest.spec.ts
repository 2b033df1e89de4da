import { VirtualTimeScheduler, lastValueFrom, toArray } from 'rxjs';
import {
  APIConnectionError,
  APITimeoutError,
  APIUserAbortError,
  BadRequestError,
  InternalServerError,
  OverloadedError,
  RateLimitError,
  StreamDecodeError,
} from '../../lib/errors';
import type { TransportConfig } from '../../lib/transport/HttpRequest';
import { sendRequest } from '../../lib/transport/sendRequest';
import { fakeFetch, settle, type FakeAnswer } from '../support/fakeFetch';

const json = (status: number, body: unknown, headers: Record<string, string> = {}): FakeAnswer => ({
  status,
  body: JSON.stringify(body),
  headers: { 'content-type': 'application/json', ...headers },
});
const apiError = (status: number, type: string, headers: Record<string, string> = {}) =>
  json(status, { type: 'error', error: { type, message: `${type} happened` } }, { 'request-id': `req_${status}`, ...headers });
const sse = (text: string): FakeAnswer => ({ status: 200, body: text, headers: { 'content-type': 'text/event-stream' } });

function setup(answers: FakeAnswer[], overrides: Partial<TransportConfig> = {}) {
  const scheduler = new VirtualTimeScheduler();
  const { fetch, calls } = fakeFetch(answers);
  const config: TransportConfig = {
    baseURL: 'http://127.0.0.1:1/',
    fetch,
    headers: { 'x-api-key': 'sk-test' },
    maxRetries: 2,
    timeout: 60_000,
    scheduler,
    ...overrides,
  };
  return { scheduler, calls, config };
}

/** Advances virtual time to the next scheduled action and runs what is due then. */
function step(scheduler: VirtualTimeScheduler): void {
  const next = scheduler.actions[0];
  if (!next) return;
  scheduler.maxFrames = next.delay;
  scheduler.flush();
}

/** Runs a request to its end, advancing virtual time whenever nothing else is pending. */
async function run(config: TransportConfig, scheduler: VirtualTimeScheduler, options = {}) {
  const outcome = lastValueFrom(
    sendRequest(config, { method: 'POST', path: '/v1/messages', body: '{}', expect: 'event-stream' }, options).pipe(toArray()),
  ).then(
    (chunks) => ({ chunks: chunks.map((c) => new TextDecoder().decode(c)).join('') }),
    (error: unknown) => ({ error }),
  );
  let done = false;
  void outcome.then(() => (done = true));
  for (let i = 0; i < 50 && !done; i += 1) {
    await settle();
    step(scheduler);
  }
  return outcome;
}

describe('sendRequest', () => {
  it('joins the base URL and path and sends the config headers', async () => {
    const { config, scheduler, calls } = setup([sse('data: {}\n\n')]);
    expect(await run(config, scheduler)).toEqual({ chunks: 'data: {}\n\n' });
    expect(calls[0]?.url).toBe('http://127.0.0.1:1/v1/messages');
    expect(calls[0]?.init.headers).toMatchObject({ 'x-api-key': 'sk-test' });
  });

  it('adds betas and per-request headers, and null removes a default', async () => {
    const { config, scheduler, calls } = setup([sse('')]);
    await run(config, scheduler, { betas: ['a-1', 'b-2'], headers: { 'X-Extra': '1', 'x-api-key': null } });
    expect(calls[0]?.init.headers).toEqual({ 'anthropic-beta': 'a-1,b-2', 'x-extra': '1' });
  });

  it.each([408, 409, 429, 500, 502, 503, 529])('retries %i with backoff in virtual time, then succeeds', async (status) => {
    const { config, scheduler, calls } = setup([apiError(status, 'api_error'), apiError(status, 'api_error'), sse('ok')]);
    expect(await run(config, scheduler)).toEqual({ chunks: 'ok' });
    expect(calls).toHaveLength(3);
    // 0.5 s then 1 s, each shortened by up to a quarter.
    expect(scheduler.now()).toBeGreaterThanOrEqual(375 + 750);
    expect(scheduler.now()).toBeLessThanOrEqual(500 + 1000);
  });

  it('gives the typed error after maxRetries', async () => {
    const { config, scheduler, calls } = setup([apiError(529, 'overloaded_error'), apiError(529, 'overloaded_error'), apiError(529, 'overloaded_error')]);
    const { error } = (await run(config, scheduler)) as { error: OverloadedError };
    expect(error).toBeInstanceOf(OverloadedError);
    expect(error.status).toBe(529);
    expect(error.requestId).toBe('req_529');
    expect(calls).toHaveLength(3);
  });

  it('honours retry-after-ms', async () => {
    const { config, scheduler } = setup([apiError(429, 'rate_limit_error', { 'retry-after-ms': '2500' }), sse('ok')]);
    expect(await run(config, scheduler)).toEqual({ chunks: 'ok' });
    expect(scheduler.now()).toBe(2500);
  });

  it('honours retry-after in seconds', async () => {
    const { config, scheduler } = setup([apiError(429, 'rate_limit_error', { 'retry-after': '7' }), sse('ok')]);
    await run(config, scheduler);
    expect(scheduler.now()).toBe(7000);
  });

  it('does not retry when x-should-retry is false', async () => {
    const { config, scheduler, calls } = setup([apiError(503, 'api_error', { 'x-should-retry': 'false' }), sse('ok')]);
    const { error } = (await run(config, scheduler)) as { error: unknown };
    expect(error).toBeInstanceOf(InternalServerError);
    expect(calls).toHaveLength(1);
  });

  it.each([
    [400, 'invalid_request_error', BadRequestError],
    [429, 'rate_limit_error', RateLimitError],
  ])('with maxRetries 0, %i fails at once', async (status, type, ErrorClass) => {
    const { config, scheduler, calls } = setup([apiError(status, type)], { maxRetries: 0 });
    const { error } = (await run(config, scheduler)) as { error: Error };
    expect(error).toBeInstanceOf(ErrorClass);
    expect(error.message).toBe(`${status} ${type}: ${type} happened (request-id: req_${status})`);
    expect(calls).toHaveLength(1);
  });

  it('retries a refused connection and reports APIConnectionError with its cause at the end', async () => {
    const cause = new TypeError('fetch failed');
    const { config, scheduler, calls } = setup([{ reject: cause }, { reject: cause }, { reject: cause }]);
    const { error } = (await run(config, scheduler)) as { error: APIConnectionError };
    expect(error).toBeInstanceOf(APIConnectionError);
    expect(error.cause).toBe(cause);
    expect(calls).toHaveLength(3);
  });

  it('times out a request that gets no response, in virtual time, and retries it', async () => {
    const { config, scheduler, calls } = setup([{ hang: true }, sse('late but fine')], { timeout: 5000 });
    expect(await run(config, scheduler)).toEqual({ chunks: 'late but fine' });
    expect(calls).toHaveLength(2);
    expect(calls[0]?.init.signal?.aborted).toBe(true);
  });

  it('fails with APITimeoutError once the retries are spent', async () => {
    const { config, scheduler } = setup([{ hang: true }], { timeout: 5000, maxRetries: 0 });
    const { error } = (await run(config, scheduler)) as { error: APITimeoutError };
    expect(error).toBeInstanceOf(APITimeoutError);
    expect(error.message).toBe('Request timed out after 5000 ms.');
    expect(scheduler.now()).toBe(5000);
  });

  it('does not retry once a body chunk was emitted', async () => {
    let pulls = 0;
    const broken = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulls += 1;
        if (pulls === 1) controller.enqueue(new TextEncoder().encode('data: {}\n\n'));
        else controller.error(new TypeError('terminated'));
      },
    });
    const { config, scheduler, calls } = setup([sse('never used')]);
    config.fetch = (async (url: string, init: RequestInit) => {
      calls.push({ url, init });
      return new Response(broken, { status: 200, headers: { 'content-type': 'text/event-stream' } });
    }) as unknown as typeof fetch;
    const chunks: string[] = [];
    const error = await new Promise((resolve) => {
      sendRequest(config, { method: 'POST', path: '/v1/messages', expect: 'event-stream' }).subscribe({
        next: (c) => chunks.push(new TextDecoder().decode(c)),
        error: resolve,
      });
    });
    expect(error).toBeInstanceOf(APIConnectionError);
    expect(chunks).toEqual(['data: {}\n\n']);
    expect(calls).toHaveLength(1);
  });

  it('refuses a body of the wrong content type with the start of it', async () => {
    const { config, scheduler } = setup([{ status: 200, body: '<html>Bad gateway</html>', headers: { 'content-type': 'text/html' } }]);
    const { error } = (await run(config, scheduler)) as { error: StreamDecodeError };
    expect(error).toBeInstanceOf(StreamDecodeError);
    expect(error.message).toContain('expected a text/event-stream response but got text/html');
    expect(error.message).toContain('<html>Bad gateway</html>');
  });

  it('fails with APIUserAbortError when the signal aborts, and aborts fetch', async () => {
    const { config, scheduler, calls } = setup([{ hang: true }]);
    const controller = new AbortController();
    const outcome = run(config, scheduler, { signal: controller.signal });
    await settle();
    controller.abort();
    const { error } = (await outcome) as { error: unknown };
    expect(error).toBeInstanceOf(APIUserAbortError);
    expect(calls[0]?.init.signal?.aborted).toBe(true);
  });

  it('leaves a response read to its end alone: nothing to abort once the body is done', async () => {
    const { config, scheduler, calls } = setup([sse('data: {}\n\n')]);
    const outcome = await run(config, scheduler);
    expect(outcome).toEqual({ chunks: 'data: {}\n\n' });
    expect(calls[0]?.init.signal?.aborted).toBe(false);
  });

  it('aborts fetch on unsubscribe and cancels a pending retry', async () => {
    const { config, scheduler, calls } = setup([{ hang: true }]);
    const subscription = sendRequest(config, { method: 'POST', path: '/v1/messages', expect: 'event-stream' }).subscribe();
    await settle();
    subscription.unsubscribe();
    expect(calls[0]?.init.signal?.aborted).toBe(true);

    const second = setup([apiError(500, 'api_error'), sse('ok')]);
    const pending = sendRequest(second.config, { method: 'POST', path: '/v1/messages', expect: 'event-stream' }).subscribe();
    for (let i = 0; i < 5; i += 1) await settle();
    expect(second.calls).toHaveLength(1); // the 500 came back; the retry waits for its delay
    pending.unsubscribe();
    second.scheduler.flush();
    await settle();
    expect(second.calls).toHaveLength(1);
  });

  it('reports every response to onResponse, retries included', async () => {
    const { config, scheduler } = setup([apiError(500, 'api_error'), sse('ok')]);
    const seen: unknown[] = [];
    await run(config, scheduler, { onResponse: (info: { status: number; attempt: number; requestId: string | undefined }) => seen.push([info.status, info.attempt, info.requestId]) });
    expect(seen).toEqual([
      [500, 0, 'req_500'],
      [200, 1, undefined],
    ]);
  });
});
