import { inspect } from 'node:util';
import { firstValueFrom, lastValueFrom, take, tap, toArray } from 'rxjs';
import {
  AnthropicError,
  APIConnectionError,
  APITimeoutError,
  AuthenticationError,
  BadRequestError,
  createClient,
  OverloadedError,
  StreamDecodeError,
  textDeltas,
  type ResponseInfo,
} from 'rx-anthropic';
import { createMockServer, errorReply, eventsReply, textReply, type MockServer } from 'rx-anthropic/testing';

const params = { model: 'claude-test', max_tokens: 64, messages: [{ role: 'user' as const, content: 'Hi' }] };
const API_KEY = 'sk-ant-secret-0123456789';

let server: MockServer;
afterEach(async () => server?.close());

const clientFor = (s: MockServer, options = {}) => createClient({ baseURL: s.baseURL, apiKey: API_KEY, maxRetries: 0, ...options });

describe('client.messages.stream', () => {
  it('is cold: nothing is sent before subscribe, and each subscription sends its own request', async () => {
    server = await createMockServer([textReply('one'), textReply('two')]);
    const stream$ = clientFor(server).messages.stream(params);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(server.requests).toHaveLength(0);
    expect(await lastValueFrom(stream$.pipe(textDeltas(), toArray()))).toEqual(['one']);
    expect((await lastValueFrom(stream$.pipe(textDeltas(), toArray()))).join('')).toBe('two');
    expect(server.requests).toHaveLength(2);
  });

  it('sends the params with stream: true and the API headers', async () => {
    server = await createMockServer([textReply('ok')]);
    const client = clientFor(server, { defaultHeaders: { 'X-Team': 'rx' } });
    await lastValueFrom(client.messages.stream(params, { betas: ['beta-1', 'beta-2'], headers: { 'x-request': '7' } }));
    const [request] = server.requests;
    expect(request?.method).toBe('POST');
    expect(request?.path).toBe('/v1/messages');
    expect(request?.body).toEqual({ ...params, stream: true });
    expect(request?.headers).toMatchObject({
      'x-api-key': API_KEY,
      'anthropic-version': '2023-06-01',
      'content-type': 'application/json',
      'anthropic-beta': 'beta-1,beta-2',
      'x-team': 'rx',
      'x-request': '7',
    });
    expect(request?.headers['authorization']).toBeUndefined();
  });

  it('sends a bearer token with authToken', async () => {
    server = await createMockServer([textReply('ok')]);
    await lastValueFrom(createClient({ baseURL: server.baseURL, apiKey: null, authToken: 'tok-1' }).messages.stream(params));
    expect(server.requests[0]?.headers['authorization']).toBe('Bearer tok-1');
    expect(server.requests[0]?.headers['x-api-key']).toBeUndefined();
  });

  it('aborts the request on unsubscribe, and the server sees the socket close', async () => {
    server = await createMockServer([textReply('a long answer, slowly', { chunkDelayMs: 50, chunkSize: 2 })]);
    const first = await firstValueFrom(clientFor(server).messages.stream(params).pipe(textDeltas(), take(1)));
    expect(first.length).toBeGreaterThan(0);
    const request = await server.waitForRequest(0);
    await request.closed;
    expect(request.abortedByClient).toBe(true);
  });

  it('reports the response metadata through onResponse', async () => {
    server = await createMockServer([textReply('ok')]);
    const seen: ResponseInfo[] = [];
    await lastValueFrom(clientFor(server).messages.stream(params, { onResponse: (info) => seen.push(info) }));
    expect(seen).toHaveLength(1);
    expect(seen[0]?.status).toBe(200);
    expect(seen[0]?.requestId).toMatch(/^req_mock_/);
    expect(seen[0]?.headers['content-type']).toContain('text/event-stream');
  });

  it('fails with the typed API error, its message and request id', async () => {
    server = await createMockServer([errorReply(400, { type: 'invalid_request_error', message: 'max_tokens: Field required' })]);
    const error = await lastValueFrom(clientFor(server).messages.stream(params)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BadRequestError);
    expect(error).toMatchObject({ status: 400, type: 'invalid_request_error' });
    expect((error as BadRequestError).requestId).toMatch(/^req_mock_/);
    expect((error as Error).message).toContain('max_tokens: Field required');
  });

  it('retries a 529 and then streams', async () => {
    server = await createMockServer([errorReply(529, { type: 'overloaded_error', headers: { 'retry-after-ms': '10' } }), textReply('after retry')]);
    const text = await lastValueFrom(clientFor(server, { maxRetries: 1 }).messages.stream(params).pipe(textDeltas(), toArray()));
    expect(text.join('')).toBe('after retry');
    expect(server.requests).toHaveLength(2);
  });

  it('gives OverloadedError after the retries are spent', async () => {
    server = await createMockServer([
      errorReply(529, { type: 'overloaded_error', headers: { 'retry-after-ms': '1' } }),
      errorReply(529, { type: 'overloaded_error', headers: { 'retry-after-ms': '1' } }),
    ]);
    const error = await lastValueFrom(clientFor(server, { maxRetries: 1 }).messages.stream(params)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OverloadedError);
  });

  it('times out a server that stalls after the headers', async () => {
    server = await createMockServer([{ ...textReply('never'), hangAfterHeaders: true }]);
    const error = await lastValueFrom(clientFor(server, { timeout: 200 }).messages.stream(params)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(APITimeoutError);
    await server.requests[0]?.closed;
    expect(server.requests[0]?.abortedByClient).toBe(true);
  });

  it('fails with APIConnectionError when the body is cut after the first byte, without retrying', async () => {
    server = await createMockServer([{ ...textReply('a reply that will be cut'), cutAfterBytes: 400 }, textReply('unused')]);
    const error = await lastValueFrom(clientFor(server, { maxRetries: 2 }).messages.stream(params)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(APIConnectionError);
    expect(server.requests).toHaveLength(1);
  });

  it('fails with APIConnectionError when nothing listens', async () => {
    server = await createMockServer([]);
    const baseURL = server.baseURL;
    await server.close();
    const error = await lastValueFrom(createClient({ baseURL, apiKey: API_KEY, maxRetries: 0 }).messages.stream(params)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(APIConnectionError);
    expect((error as APIConnectionError).cause).toBeDefined();
  });

  it('refuses an HTML page served with status 200', async () => {
    server = await createMockServer([{ kind: 'json', body: '<html>proxy error</html>', contentType: 'text/html' } as never]);
    const error = await lastValueFrom(clientFor(server).messages.stream(params)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StreamDecodeError);
    expect((error as Error).message).toContain('text/html');
  });
});

describe('client.messages.create and countTokens', () => {
  it('answers one Message without streaming', async () => {
    server = await createMockServer([textReply('whole')]);
    const message = await lastValueFrom(clientFor(server).messages.create(params));
    expect(message.content).toEqual([{ type: 'text', text: 'whole' }]);
    expect(server.requests[0]?.body).toEqual(params);
  });

  it('with stream: true gives the same raw events as stream()', async () => {
    server = await createMockServer([textReply('same'), textReply('same')]);
    const client = clientFor(server);
    const viaCreate = await lastValueFrom(client.messages.create({ ...params, stream: true }).pipe(toArray()));
    const viaStream = await lastValueFrom(client.messages.stream(params).pipe(toArray()));
    const withoutIds = (events: unknown[]) => JSON.parse(JSON.stringify(events).replace(/msg_mock_\d+/g, 'id'));
    expect(withoutIds(viaCreate)).toEqual(withoutIds(viaStream));
  });

  it('counts tokens', async () => {
    server = await createMockServer([]);
    const count = await lastValueFrom(clientFor(server).messages.countTokens(params));
    expect(count.input_tokens).toBeGreaterThan(0);
    expect(server.requests[0]?.path).toBe('/v1/messages/count_tokens');
  });
});

describe('secrets and environments', () => {
  it('never shows the API key in an error, its JSON, its inspection or the client', async () => {
    server = await createMockServer([errorReply(401, { type: 'authentication_error', message: 'invalid x-api-key' })]);
    const client = clientFor(server);
    const error = await lastValueFrom(client.messages.stream(params)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthenticationError);
    const views = [String(error), (error as Error).stack, JSON.stringify(error), inspect(error, { depth: 10 }), inspect(client, { depth: 10 }), JSON.stringify(client)];
    for (const view of views) expect(view).not.toContain(API_KEY);
  });

  it('refuses to run in a browser with credentials unless allowed, and runs there without them', () => {
    const scope = globalThis as { window?: unknown; process?: unknown };
    const saved = scope.process;
    scope.window = { document: {} };
    Object.defineProperty(globalThis, 'process', { value: undefined, configurable: true, writable: true });
    try {
      expect(() => createClient({ apiKey: 'k' })).toThrow(AnthropicError);
      expect(() => createClient({ apiKey: 'k' })).toThrow(/dangerouslyAllowBrowser/);
      expect(() => createClient({ authToken: 't' })).toThrow(/dangerouslyAllowBrowser/);
      expect(() => createClient({ apiKey: 'k', dangerouslyAllowBrowser: true })).not.toThrow();
      expect(() => createClient({ baseURL: 'http://localhost:8080/api' })).not.toThrow();
    } finally {
      Object.defineProperty(globalThis, 'process', { value: saved, configurable: true, writable: true });
      delete scope.window;
    }
  });
});

describe('errors inside a stream', () => {
  it('turns an event: error into its typed error carrying the response request id', async () => {
    server = await createMockServer([
      eventsReply([
        { type: 'message_start', message: { id: 'msg_1', type: 'message', role: 'assistant', content: [], model: 'm', stop_reason: null, stop_sequence: null, usage: { input_tokens: 1, output_tokens: 1 } } },
        { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } },
      ]),
    ]);
    const seen: string[] = [];
    const error = await lastValueFrom(clientFor(server).messages.stream(params).pipe(tap((e) => seen.push(e.type)))).catch((e: unknown) => e);
    expect(seen).toEqual(['message_start']);
    expect(error).toBeInstanceOf(OverloadedError);
    expect((error as OverloadedError).requestId).toBe(server.requests[0]?.requestId);
  });
});
