import { request as httpRequest } from 'node:http';
import { textReply } from 'rx-anthropic/testing';
import { browserClient, HOSTS, params, useProxy } from './support/proxyHarness';

const SLOW = textReply('slow '.repeat(200), { chunkSize: 5, chunkDelayMs: 20 });

/**
 * Without a stream store, the upstream request is aborted as soon as the browser leaves, whichever
 * way it leaves. (With one, the default, a stream outlives its browser: see resumableStreams.spec.)
 */
describe.each(HOSTS)('the browser leaving, on %s', (host) => {
  const { start } = useProxy(host);

  it('aborts the upstream stream when the browser-side client unsubscribes (streamStore: false)', async () => {
    const { proxy, mock } = await start([SLOW], { streamStore: false });
    const client = browserClient(proxy);
    await new Promise<void>((resolve) => {
      const subscription = client.messages.stream(params).subscribe((event) => {
        if (event.type !== 'content_block_delta') return;
        subscription.unsubscribe();
        resolve();
      });
    });
    const recorded = await mock.waitForRequest(0);
    await recorded.closed;
    expect(recorded.abortedByClient).toBe(true);
    expect(recorded.completed).toBe(false);
  });

  it('aborts the upstream stream when the page aborts its fetch of /api/messages (streamStore: false)', async () => {
    const { proxy, mock } = await start([SLOW], { streamStore: false });
    const controller = new AbortController();
    const response = await fetch(`${proxy.url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(params), signal: controller.signal });
    const reader = response.body!.getReader();
    await reader.read();
    controller.abort();
    const recorded = await mock.waitForRequest(0);
    await recorded.closed;
    expect(recorded.abortedByClient).toBe(true);
    expect(recorded.completed).toBe(false);
  });

  it('aborts a whole-message request whose answer has not come when the browser leaves', async () => {
    const { proxy, mock } = await start([textReply('late', { delayMs: 5_000 })]);
    const controller = new AbortController();
    const gone = fetch(`${proxy.url}/api/v1/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(params), signal: controller.signal }).catch((error: unknown) => error);
    const recorded = await mock.waitForRequest(0);
    controller.abort();
    expect(await gone).toMatchObject({ name: 'AbortError' });
    await recorded.closed;
    expect(recorded.abortedByClient).toBe(true);
    expect(recorded.completed).toBe(false);
  });

  it('sends nothing upstream when the browser leaves before its body is complete', async () => {
    const { proxy, mock } = await start([SLOW]);
    const request = httpRequest(`${proxy.url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': '1000' } });
    request.on('error', () => undefined);
    request.write('{"model":"claude-sonnet-4-6",');
    await new Promise((resolve) => setTimeout(resolve, 50));
    request.destroy();
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(mock.requests).toHaveLength(0);
  });

  it('sends nothing upstream when the browser leaves while prepare is still deciding', async () => {
    let prepared!: () => void;
    const preparing = new Promise<void>((resolve) => (prepared = resolve));
    const { proxy, mock } = await start([SLOW], {
      prepare: async (checked) => {
        await new Promise((resolve) => setTimeout(resolve, 150));
        prepared();
        return checked;
      },
    });
    const controller = new AbortController();
    const gone = fetch(`${proxy.url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(params), signal: controller.signal }).catch((error: unknown) => error);
    setTimeout(() => controller.abort(), 30);
    await gone;
    await preparing;
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(mock.requests).toHaveLength(0);
  });
});
