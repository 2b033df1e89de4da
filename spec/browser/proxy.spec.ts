import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lastValueFrom, materialize, Observable, toArray, type ObservableNotification } from 'rxjs';
import { APIError, createClient, decodeEvents, fromSSE, OverloadedError, PermissionDeniedError, type RawMessageStreamEvent } from 'rx-anthropic';
import { createMockServer, errorReply, fromSSEText, sseReply, textReply, type MockServer } from 'rx-anthropic/testing';
import type { ProxyServer } from 'rx-anthropic/proxy';
import { createExpressExampleServer } from '../../examples/proxy/express';
import { createExampleServer, type ExampleServerOptions } from '../../examples/proxy/server';
import { loadFixtures } from '../support/fixtures';

/**
 * The proxy examples over real HTTP: the mock server upstream, the example server (the
 * `rx-anthropic/proxy` relay on `node:http`, and mounted in Express, with the example pages) in
 * the middle, Node's `fetch` (or a client without credentials) as the browser. The relay's own
 * behaviour in detail (every option, backpressure) is in `spec/proxy/`.
 */

const ROUND_TRIP_FIXTURES = [
  'docs-basic-text',
  'docs-tool-use-weather',
  'llm-anthropic-tool-result-answer-emoji',
  'pydantic-ai-redacted-thinking',
  'pydantic-ai-web-search-citations',
  'vercel-thinking-signature-context-management',
  'vercel-error-overloaded-mid-stream',
];
const fixtures = loadFixtures('real-world').filter((fixture) => ROUND_TRIP_FIXTURES.includes(fixture.name));

const params = { model: 'claude-sonnet-4-6', max_tokens: 64, messages: [{ role: 'user' as const, content: 'Hi' }] };
/** The content type every POST to the relay must name. */
const JSON_BODY = { 'content-type': 'application/json' };

/** Every notification of a stream: its events, then its completion or its error. */
const notificationsOf = <T>(source: Observable<T>): Promise<ObservableNotification<T>[]> => lastValueFrom(source.pipe(materialize(), toArray()));

/** The browser side without a client: `fetch` bytes → `fromSSE()` → `decodeEvents()`. */
function fetchEvents(url: string, body: unknown, signal?: AbortSignal): Observable<RawMessageStreamEvent> {
  return new Observable<Uint8Array>((subscriber) => {
    const controller = new AbortController();
    signal?.addEventListener('abort', () => controller.abort());
    fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), signal: controller.signal })
      .then(async (response) => {
        if (!response.ok || !response.body) throw new Error(`HTTP ${response.status}: ${await response.text()}`);
        const reader = response.body.getReader();
        for (;;) {
          const { done, value } = await reader.read();
          if (subscriber.closed) return;
          if (done) return subscriber.complete();
          subscriber.next(value);
        }
      })
      .catch((error: unknown) => subscriber.error(error));
    return () => controller.abort();
  }).pipe(fromSSE(), decodeEvents());
}

const servers = {
  'node:http': (options: ExampleServerOptions) => createExampleServer(options),
  Express: (options: ExampleServerOptions) => createExpressExampleServer(options),
};

/** A folder of pages: an index, a script, and a file beside the folder that must stay out of reach. */
function pagesDir(): string {
  const root = mkdtempSync(join(tmpdir(), 'rx-anthropic-pages-'));
  const pages = join(root, 'pages');
  mkdirSync(pages);
  writeFileSync(join(pages, 'index.html'), '<!doctype html><title>chat</title>');
  writeFileSync(join(pages, 'app.js'), 'console.log("app");');
  writeFileSync(join(root, 'secret.txt'), 'not for browsers');
  return pages;
}

let mock: MockServer | undefined;
let proxy: ProxyServer | undefined;
afterEach(async () => {
  await proxy?.close();
  await mock?.close();
  proxy = undefined;
  mock = undefined;
});

describe.each(Object.entries(servers))('proxy on %s', (_name, startProxy) => {
  const start = async (script: Parameters<typeof createMockServer>[0], options: Partial<ExampleServerOptions> = {}) => {
    mock = await createMockServer(script);
    proxy = await startProxy({ client: createClient({ apiKey: 'server-side-key', baseURL: mock.baseURL, maxRetries: 0 }), authorize: 'anyone', ...options });
    return { mock, proxy };
  };

  it.each(fixtures.map((fixture) => [fixture.name, fixture] as const))(
    "round trip %s: the API's bytes → the relay → HTTP → fromSSE() → decodeEvents() equal the originals",
    async (_fixture, fixture) => {
      const { proxy: server, mock: upstream } = await start([sseReply(fixture.sse, { splitBytes: 97 })]);
      const original = await notificationsOf(fromSSEText(fixture.sse.toString('utf8')));
      const relayed = await notificationsOf(fetchEvents(`${server.url}/api/messages`, params));

      expect(relayed.map((n) => n.kind)).toEqual(original.map((n) => n.kind));
      expect(relayed.filter((n) => n.kind === 'N')).toEqual(original.filter((n) => n.kind === 'N'));
      const originalError = original.find((n) => n.kind === 'E');
      if (originalError?.kind === 'E') {
        const relayedError = relayed.find((n) => n.kind === 'E');
        expect(relayedError?.kind === 'E' && relayedError.error).toBeInstanceOf((originalError.error as object).constructor);
        expect(relayedError?.kind === 'E' && (relayedError.error as APIError).error).toEqual((originalError.error as APIError).error);
      }
      // The API key stays on the server; the browser's params went upstream unchanged.
      expect(upstream.requests[0]?.headers['x-api-key']).toBe('server-side-key');
      expect(upstream.requests[0]?.body).toEqual({ ...params, stream: true });
    },
  );

  it("relays the API's bytes byte for byte (streamStore: false)", async () => {
    const [fixture] = fixtures;
    const { proxy: server } = await start([sseReply(fixture!.sse)], { streamStore: false });
    const response = await fetch(`${server.url}/api/messages`, { method: 'POST', headers: JSON_BODY, body: JSON.stringify(params) });
    expect(response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    expect(response.headers.get('request-id')).toBe('req_mock_1');
    expect(response.headers.get('x-stream-id')).toBeNull();
    expect(Buffer.from(await response.arrayBuffer()).equals(fixture!.sse)).toBe(true);
  });

  it("relays the API's bytes with an id line on each frame, by default (resumable)", async () => {
    const [fixture] = fixtures;
    const { proxy: server } = await start([sseReply(fixture!.sse)]);
    const response = await fetch(`${server.url}/api/messages`, { method: 'POST', headers: JSON_BODY, body: JSON.stringify(params) });
    expect(response.headers.get('x-stream-id')).toMatch(/^strm_[A-Za-z0-9_-]{22}$/);
    const text = Buffer.from(await response.arrayBuffer()).toString('utf8');
    const frames = text.split('\n\n').filter((frame) => frame.length > 0);
    frames.forEach((frame, index) => expect(frame.startsWith(`id: ${index + 1}\n`)).toBe(true));
    expect(text.replace(/^id: \d+\n/gm, '')).toBe(fixture!.sse.toString('utf8'));
  });

  it('serves a client without credentials at baseURL <proxy>/api: stream, create and countTokens', async () => {
    const { proxy: server, mock: upstream } = await start([textReply('Hello from upstream', { chunkSize: 5 }), textReply('Whole answer')]);
    const browserClient = createClient({ baseURL: `${server.url}/api`, apiKey: null as unknown as undefined, authToken: null as unknown as undefined });
    const streamed = await lastValueFrom(browserClient.messages.stream(params).pipe(toArray()));
    expect(streamed.map((event) => event.type)).toEqual([
      'message_start',
      'content_block_start',
      ...Array(4).fill('content_block_delta'),
      'content_block_stop',
      'message_delta',
      'message_stop',
    ]);
    const message = await lastValueFrom(browserClient.messages.create(params));
    expect(message.content).toEqual([{ type: 'text', text: 'Whole answer' }]);
    const count = await lastValueFrom(browserClient.messages.countTokens(params));
    expect(count.input_tokens).toBeGreaterThan(0);
    expect(upstream.requests.map((request) => request.path)).toEqual(['/v1/messages', '/v1/messages', '/v1/messages/count_tokens']);
    expect(upstream.requests.every((request) => request.headers['x-api-key'] === 'server-side-key')).toBe(true);
    expect(upstream.requests[1]?.body).toEqual({ ...params, stream: false });
  });

  it('aborts the upstream request when the browser aborts (streamStore: false)', async () => {
    const { proxy: server, mock: upstream } = await start([textReply('slow '.repeat(200), { chunkSize: 5, chunkDelayMs: 20 })], { streamStore: false });
    const controller = new AbortController();
    const response = await fetch(`${server.url}/api/messages`, { method: 'POST', headers: JSON_BODY, body: JSON.stringify(params), signal: controller.signal });
    const reader = response.body!.getReader();
    await reader.read();
    controller.abort();
    const recorded = await upstream.waitForRequest(0);
    await recorded.closed;
    expect(recorded.abortedByClient).toBe(true);
    expect(recorded.completed).toBe(false);
  });

  it('aborts the upstream request when the browser-side client unsubscribes', async () => {
    const { proxy: server, mock: upstream } = await start([textReply('slow '.repeat(200), { chunkSize: 5, chunkDelayMs: 20 })]);
    const browserClient = createClient({ baseURL: `${server.url}/api` });
    const firstDelta = new Promise<void>((resolve) => {
      const subscription = browserClient.messages.stream(params).subscribe((event) => {
        if (event.type !== 'content_block_delta') return;
        subscription.unsubscribe();
        resolve();
      });
    });
    await firstDelta;
    const recorded = await upstream.waitForRequest(0);
    await recorded.closed;
    expect(recorded.abortedByClient).toBe(true);
  });

  it('passes an upstream error status on as the same typed error', async () => {
    const { proxy: server } = await start([errorReply(529)]);
    const browserClient = createClient({ baseURL: `${server.url}/api`, maxRetries: 0 });
    const [notification] = await notificationsOf(browserClient.messages.stream(params));
    expect(notification?.kind === 'E' && notification.error).toBeInstanceOf(OverloadedError);
    expect(notification?.kind === 'E' && (notification.error as APIError).status).toBe(529);
  });

  it('answers 502 in the API error shape when the API cannot be reached', async () => {
    const { proxy: server, mock: upstream } = await start([], { onError: () => undefined });
    await upstream.close();
    const response = await fetch(`${server.url}/api/messages`, { method: 'POST', headers: JSON_BODY, body: JSON.stringify(params) });
    expect(response.status).toBe(502);
    expect(await response.json()).toMatchObject({ type: 'error', error: { type: 'api_error', message: expect.stringContaining('APIConnectionError') } });
  });

  it('answers bad JSON with 400 in the API error shape, without calling upstream', async () => {
    const { proxy: server, mock: upstream } = await start([]);
    const response = await fetch(`${server.url}/api/messages`, { method: 'POST', headers: JSON_BODY, body: '{nope' });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ type: 'error', error: { type: 'invalid_request_error' } });
    expect(upstream.requests).toHaveLength(0);
  });

  it('serves the pages beside the API, and nothing outside their folder', async () => {
    const { proxy: server } = await start([], { staticDirs: { '/': pagesDir() } });
    const index = await fetch(`${server.url}/`);
    expect(index.status).toBe(200);
    expect(index.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await index.text()).toContain('<title>chat</title>');
    expect(await (await fetch(`${server.url}/app.js`)).text()).toBe('console.log("app");');
    for (const path of ['/../secret.txt', '/%2e%2e/secret.txt', '/missing.html']) {
      const response = await fetch(`${server.url}${path}`);
      expect(response.status).toBe(404);
      expect(await response.text()).not.toContain('not for browsers');
    }
  });

  it('applies the proxy options it is given: a model outside allowedModels is refused', async () => {
    const { proxy: server, mock: upstream } = await start([textReply('never')], { allowedModels: ['claude-haiku-4-5'] });
    const browserClient = createClient({ baseURL: `${server.url}/api`, apiKey: null, authToken: null, maxRetries: 0 });
    const [notification] = await notificationsOf(browserClient.messages.stream(params));
    expect(notification?.kind === 'E' && notification.error).toBeInstanceOf(PermissionDeniedError);
    expect(upstream.requests).toHaveLength(0);
  });
});
