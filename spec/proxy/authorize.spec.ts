import { connect } from 'node:net';
import type { IncomingHttpHeaders } from 'node:http';
import { ProxyRefusalError } from 'rx-anthropic/proxy';
import { textReply } from 'rx-anthropic/testing';
import { HOSTS, params, post, refusalOf, useProxy } from './support/proxyHarness';

/** Sends only a request's head, announcing a body that never comes; resolves with the first bytes of the answer. */
function headOnly(url: string, path: string): Promise<string> {
  const { port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), '127.0.0.1');
    socket.write(`POST ${path} HTTP/1.1\r\nhost: 127.0.0.1:${port}\r\ncontent-type: application/json\r\ncontent-length: 1000\r\n\r\n`);
    socket.once('data', (chunk: Buffer) => {
      resolve(chunk.toString('utf8'));
      socket.destroy();
    });
    socket.once('error', reject);
  });
}

describe.each(HOSTS)('authorize on %s', (host) => {
  const { start } = useProxy(host);

  it('answers 401 authentication_error when it returns false, and sends nothing upstream', async () => {
    const { proxy, mock } = await start([textReply('never')], { authorize: () => false });
    const { status, body } = await refusalOf(await post(proxy, '/api/messages', params));
    expect(status).toBe(401);
    expect(body).toEqual({
      type: 'error',
      error: { type: 'authentication_error', message: 'This proxy did not authorize the request: sign in, or send the credentials the site asks for.' },
    });
    expect(mock.requests).toHaveLength(0);
  });

  it("sees the browser's request headers, and lets it through on true (also from a Promise)", async () => {
    const seen: IncomingHttpHeaders[] = [];
    const { proxy, mock } = await start([textReply('ok')], {
      authorize: async (request) => {
        seen.push(request.headers);
        await new Promise((resolve) => setTimeout(resolve, 5));
        return request.headers['authorization'] === 'Bearer session-123';
      },
    });
    expect((await post(proxy, '/api/v1/messages', params, { authorization: 'Bearer wrong' })).status).toBe(401);
    expect((await post(proxy, '/api/v1/messages', params, { authorization: 'Bearer session-123', cookie: 'sid=abc' })).status).toBe(200);
    expect(seen.map((headers) => headers['authorization'])).toEqual(['Bearer wrong', 'Bearer session-123']);
    expect(seen[1]?.['cookie']).toBe('sid=abc');
    expect(mock.requests).toHaveLength(1);
  });

  it('answers 403 permission_error when it throws ProxyRefusalError(403)', async () => {
    const { proxy, mock } = await start([textReply('never')], {
      authorize: (request) => {
        if (request.headers['x-plan'] === 'free') throw new ProxyRefusalError(403, 'The free plan cannot use the assistant.');
        return true;
      },
    });
    const { status, body } = await refusalOf(await post(proxy, '/api/messages', params, { 'x-plan': 'free' }));
    expect(status).toBe(403);
    expect(body).toEqual({ type: 'error', error: { type: 'permission_error', message: 'The free plan cannot use the assistant.' } });
    expect(mock.requests).toHaveLength(0);
  });

  it('answers 403 when its Promise rejects with a ProxyRefusalError', async () => {
    const { proxy } = await start([], { authorize: () => Promise.reject(new ProxyRefusalError(403, 'Banned.')) });
    expect(await refusalOf(await post(proxy, '/api/messages', params))).toEqual({ status: 403, body: { type: 'error', error: { type: 'permission_error', message: 'Banned.' } } });
  });

  it('answers 500 without details when it throws anything else, and reports the error', async () => {
    const reported: unknown[] = [];
    const { proxy } = await start([], {
      authorize: () => {
        throw new TypeError('session store unreachable at redis://10.0.0.5');
      },
      onError: (error) => reported.push(error),
    });
    const response = await post(proxy, '/api/messages', params);
    expect(response.status).toBe(500);
    expect(await response.text()).not.toContain('redis');
    expect(reported).toHaveLength(1);
    expect(reported[0]).toBeInstanceOf(TypeError);
  });

  it('decides before the body is read: a refused request is answered while its body has not come', async () => {
    const { proxy } = await start([], { authorize: () => false });
    const answer = await headOnly(proxy.url, '/api/messages');
    expect(answer).toMatch(/^HTTP\/1\.1 401 /);
    expect(answer).toContain('authentication_error');
  });

  it('is not asked about requests that are not the proxy’s', async () => {
    let asked = 0;
    const { proxy } = await start([], {
      authorize: () => {
        asked += 1;
        return false;
      },
    });
    expect((await fetch(`${proxy.url}/dashboard/`)).status).toBe(404);
    expect(asked).toBe(0);
  });
});
