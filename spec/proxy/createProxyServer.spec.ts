import { createClient } from 'rx-anthropic';
import { createProxyHandler, createProxyServer, type ProxyServer } from 'rx-anthropic/proxy';
import { createMockServer, textReply, type MockServer } from 'rx-anthropic/testing';
import { params, post, SERVER_KEY } from './support/proxyHarness';

describe('createProxyServer', () => {
  let mock: MockServer | undefined;
  let proxy: ProxyServer | undefined;
  afterEach(async () => {
    await proxy?.close();
    await mock?.close();
    proxy = undefined;
    mock = undefined;
  });
  const client = () => createClient({ apiKey: SERVER_KEY, baseURL: mock!.baseURL, maxRetries: 0 });

  it('listens on 127.0.0.1 and a free port by default', async () => {
    mock = await createMockServer([]);
    proxy = await createProxyServer({ client: client(), authorize: 'anyone' });
    expect(proxy.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(proxy.server.listening).toBe(true);
  });

  it('passes the requests that are not the proxy’s to fallback', async () => {
    mock = await createMockServer([textReply('ok')]);
    proxy = await createProxyServer({ client: client(), authorize: 'anyone', fallback: (request, response) => response.writeHead(200).end(`page ${request.url}`) });
    expect(await (await fetch(`${proxy.url}/index.html`)).text()).toBe('page /index.html');
    expect((await post(proxy, '/api/v1/messages', params)).status).toBe(200);
  });

  it('close() aborts the streams still open, and their upstream requests', async () => {
    mock = await createMockServer([textReply('slow '.repeat(200), { chunkSize: 5, chunkDelayMs: 20 })]);
    proxy = await createProxyServer({ client: client(), authorize: 'anyone' });
    const response = await post(proxy, '/api/messages', params);
    await response.body!.getReader().read();
    await proxy.close();
    proxy = undefined;
    const recorded = await mock.waitForRequest(0);
    await recorded.closed;
    expect(recorded.abortedByClient).toBe(true);
  });

  it('rejects when the port is taken', async () => {
    mock = await createMockServer([]);
    proxy = await createProxyServer({ client: client(), authorize: 'anyone' });
    await expect(createProxyServer({ client: client(), authorize: 'anyone', port: Number(new URL(proxy.url).port) })).rejects.toThrow(/EADDRINUSE/);
  });
});

describe('createProxyHandler options', () => {
  const client = createClient({ apiKey: SERVER_KEY, baseURL: 'http://127.0.0.1:9' });

  it.each([0, -5, 1.5, Number.NaN])('refuses maxTokens %p with a RangeError', (maxTokens) => {
    expect(() => createProxyHandler({ client, authorize: 'anyone', maxTokens })).toThrow(new RangeError(`createProxyHandler: maxTokens must be a whole number of at least 1, got ${maxTokens}.`));
  });

  it('refuses a maxBodyBytes that is not positive', () => {
    expect(() => createProxyHandler({ client, authorize: 'anyone', maxBodyBytes: 0 })).toThrow(RangeError);
  });
});
