import * as t from 'io-ts';
import { lastValueFrom, Observable, toArray } from 'rxjs';
import { createClient, defineTool, InvalidArgumentError, textDeltas, type Client, type ClientOptions } from 'rx-anthropic';
import { createMockServer, textReply, type MockServer } from 'rx-anthropic/testing';

const params = { model: 'claude-sonnet-4-6', max_tokens: 64, messages: [{ role: 'user' as const, content: 'Hi' }] };
const API = 'https://api.anthropic.com';
const VARIABLES = ['ANTHROPIC_API_KEY', 'ANTHROPIC_AUTH_TOKEN', 'ANTHROPIC_BASE_URL'] as const;

let server: MockServer;
const saved: Partial<Record<string, string>> = {};
beforeEach(async () => {
  for (const name of VARIABLES) {
    saved[name] = process.env[name];
    delete process.env[name];
  }
  server = await createMockServer([textReply('Hello'), textReply('Hello'), textReply('Hello')]);
});
afterEach(async () => {
  for (const name of VARIABLES) {
    if (saved[name] === undefined) delete process.env[name];
    else process.env[name] = saved[name];
  }
  await server.close();
});

/**
 * A `fetch` that takes the API's host to the mock server: the client is aimed at the API, and
 * whatever it sends is recorded there (`server.requests`), without leaving the machine.
 */
const toMockServer: typeof fetch = (input, init) => globalThis.fetch(String(input).replace(/^https:\/\/api\.anthropic\.com\.?(:443)?/i, server.baseURL), init);

/** A client of the API's host (the default base URL unless `options` names one) that sends to the mock server. */
const apiClient = (options: ClientOptions = {}): Client => createClient({ maxRetries: 0, fetch: toMockServer, ...options });

/** The error of `request$`, or fails when it emits or completes. */
async function failureOf(request$: Observable<unknown>): Promise<InvalidArgumentError> {
  const error = await lastValueFrom(request$).then(
    (value) => {
      throw new Error(`the request succeeded with ${JSON.stringify(value)}`);
    },
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(InvalidArgumentError);
  expect(error).toHaveProperty('argument', 'apiKey');
  return error as InvalidArgumentError;
}

describe('a client aimed at the API with no key', () => {
  it.each([
    ['unset', undefined],
    ['empty', ''],
    ['only spaces', '   '],
  ])('with ANTHROPIC_API_KEY %s: created without throwing; each request fails at subscribe, naming the variable and the options, and nothing is sent', async (_, value) => {
    if (value !== undefined) process.env['ANTHROPIC_API_KEY'] = value;
    const client = apiClient();
    expect(client.baseURL).toBe(API);
    const stream$ = client.messages.stream(params);

    const error = await failureOf(stream$);
    expect(error.argument).toBe('apiKey');
    expect(error.message).toContain('ANTHROPIC_API_KEY');
    expect(error.message).toContain('apiKey');
    expect(error.message).toContain('authToken');
    expect(error.message).toContain(API);
    // Cold as ever: a second subscription fails again, with an error of its own.
    expect(await failureOf(stream$)).not.toBe(error);
    expect(server.requests).toHaveLength(0);
  });

  it.each([
    ['an empty apiKey', { apiKey: '' }, 'an empty apiKey'],
    ['a blank apiKey', { apiKey: '  \n' }, 'an empty apiKey'],
    ['an empty authToken', { authToken: '' }, 'an empty authToken'],
  ])('given %s: created without throwing; the request fails at subscribe, saying so, and nothing is sent', async (_, options, said) => {
    const client = apiClient(options);
    const error = await failureOf(client.messages.stream(params));
    expect(error.message).toContain(said);
    expect(error.message).toContain('ANTHROPIC_API_KEY');
    expect(server.requests).toHaveLength(0);
  });

  it('fails every kind of request: stream, streamBody, create, countTokens, parse, toolLoop, files.upload', async () => {
    const client = apiClient();
    const tool = defineTool({ name: 'echo', description: 'Echoes', input: t.type({ text: t.string }), run: ({ text }) => text });
    const requests: Observable<unknown>[] = [
      client.messages.stream(params),
      client.messages.streamBody(params),
      client.messages.create(params),
      client.messages.create({ ...params, stream: true }),
      client.messages.countTokens({ model: params.model, messages: params.messages }),
      client.messages.parse(params),
      client.messages.toolLoop(params, { tools: [tool] }),
      client.files.upload(new Blob(['notes'], { type: 'text/plain' })),
      client.messages.stream(params).pipe(textDeltas()),
    ];
    for (const request$ of requests) expect((await failureOf(request$)).message).toContain('ANTHROPIC_API_KEY');
    expect(server.requests).toHaveLength(0);
  });

  it('fails the same behind a request limiter', async () => {
    const client = apiClient({ maxConcurrentRequests: 1, rateLimit: 'respect' });
    await failureOf(client.messages.stream(params));
    await failureOf(client.messages.stream(params));
    expect(server.requests).toHaveLength(0);
  });

  it.each([['https://api.anthropic.com/'], ['HTTPS://API.ANTHROPIC.COM'], ['https://api.anthropic.com:443']])('is the same with the API named explicitly (%s)', async (baseURL) => {
    await failureOf(apiClient({ baseURL }).messages.stream(params));
    expect(server.requests).toHaveLength(0);
  });

  it('is the same with the API named in ANTHROPIC_BASE_URL', async () => {
    process.env['ANTHROPIC_BASE_URL'] = API;
    await failureOf(apiClient().messages.stream(params));
    expect(server.requests).toHaveLength(0);
  });

  it('is the same with apiKey: null and no token, and says so', async () => {
    const error = await failureOf(apiClient({ apiKey: null }).messages.stream(params));
    expect(error.message).toContain('apiKey: null');
    const both = await failureOf(apiClient({ apiKey: null, authToken: null }).messages.stream(params));
    expect(both.message).toContain('authToken: null');
    expect(server.requests).toHaveLength(0);
  });
});

describe('a client aimed at the API with a credential sends its requests', () => {
  it.each<[string, () => Client, Record<string, string>]>([
    ['ANTHROPIC_API_KEY', () => ((process.env['ANTHROPIC_API_KEY'] = ' sk-ant-env '), apiClient()), { 'x-api-key': 'sk-ant-env' }],
    ['apiKey', () => apiClient({ apiKey: 'sk-ant-option' }), { 'x-api-key': 'sk-ant-option' }],
    ['authToken', () => apiClient({ authToken: 'tok-1' }), { authorization: 'Bearer tok-1' }],
    ['ANTHROPIC_AUTH_TOKEN', () => ((process.env['ANTHROPIC_AUTH_TOKEN'] = 'tok-env'), apiClient({ apiKey: null })), { authorization: 'Bearer tok-env' }],
    ['an x-api-key default header', () => apiClient({ defaultHeaders: { 'X-Api-Key': 'sk-ant-header' } }), { 'x-api-key': 'sk-ant-header' }],
    ['an authorization default header', () => apiClient({ defaultHeaders: { Authorization: 'Bearer tok-header' } }), { authorization: 'Bearer tok-header' }],
  ])('from %s', async (_, client, headers) => {
    expect((await lastValueFrom(client().messages.stream(params).pipe(textDeltas(), toArray()))).join('')).toBe('Hello');
    expect(server.requests).toHaveLength(1);
    expect(server.requests[0]?.headers).toMatchObject(headers);
  });

  it("from a request's own headers", async () => {
    const client = apiClient();
    await lastValueFrom(client.messages.stream(params, { headers: { 'x-api-key': 'sk-ant-request' } }));
    expect(server.requests[0]?.headers['x-api-key']).toBe('sk-ant-request');
  });
});

describe('a request without credentials on purpose', () => {
  it("goes out when the client removes the header (defaultHeaders: { 'x-api-key': null }), for a fetch that adds it", async () => {
    const signing: typeof fetch = (input, init) => toMockServer(input, { ...init, headers: { ...(init?.headers as Record<string, string>), 'x-api-key': 'sk-ant-signed' } });
    const client = createClient({ maxRetries: 0, fetch: signing, defaultHeaders: { 'x-api-key': null } });
    await lastValueFrom(client.messages.stream(params));
    expect(server.requests[0]?.headers['x-api-key']).toBe('sk-ant-signed');
  });

  it('goes out when the request removes it', async () => {
    await lastValueFrom(apiClient().messages.stream(params, { headers: { authorization: null } }));
    expect(server.requests).toHaveLength(1);
    expect(server.requests[0]?.headers['x-api-key']).toBeUndefined();
  });
});

describe('a client aimed at a relay or a mock server', () => {
  it.each<[string, ClientOptions]>([
    ['apiKey: null, authToken: null', { apiKey: null, authToken: null }],
    ['no key at all', {}],
  ])('needs no key (%s)', async (_, options) => {
    const client = createClient({ baseURL: server.baseURL, maxRetries: 0, ...options });
    expect((await lastValueFrom(client.messages.stream(params).pipe(textDeltas(), toArray()))).join('')).toBe('Hello');
    expect(server.requests[0]?.headers['x-api-key']).toBeUndefined();
    expect(server.requests[0]?.headers['authorization']).toBeUndefined();
  });

  it('needs none for its other requests either (countTokens)', async () => {
    const client = createClient({ baseURL: server.baseURL, maxRetries: 0 });
    expect(await lastValueFrom(client.messages.countTokens({ model: params.model, messages: params.messages }))).toHaveProperty('input_tokens');
    expect(server.requests).toHaveLength(1);
  });
});
