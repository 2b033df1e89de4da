import { createClient } from 'rx-anthropic';
import type { ProxyServer } from 'rx-anthropic/proxy';
import { createMockServer, textReply, type MockServer } from 'rx-anthropic/testing';
import { EXPRESS_FALLBACK, params, post, SERVER_KEY, startExpressProxy } from './support/proxyHarness';

/** Express specifics; every other spec of this folder runs on Express too. */
describe('the handler mounted under a path in Express', () => {
  let mock: MockServer | undefined;
  let proxy: ProxyServer | undefined;
  afterEach(async () => {
    await proxy?.close();
    await mock?.close();
  });

  it('app.use("/api", handler) answers the same URLs as app.use(handler): basePath is the path the browser sees', async () => {
    mock = await createMockServer([textReply('one'), textReply('two')]);
    proxy = await startExpressProxy({ client: createClient({ apiKey: SERVER_KEY, baseURL: mock.baseURL, maxRetries: 0 }), authorize: 'anyone' }, '/api');
    expect((await post(proxy, '/api/v1/messages', params)).status).toBe(200);
    expect((await post(proxy, '/api/messages', params)).status).toBe(200);
    // Not /api/api/…, and the short path under the mount point is not a route either.
    const other = await post(proxy, '/api/api/messages', params);
    expect(await other.text()).toBe(EXPRESS_FALLBACK);
    expect(mock.requests).toHaveLength(2);
  });
});
