import { errorReply, textReply } from 'rx-anthropic/testing';
import { HOSTS, params, post, SERVER_KEY, useProxy } from './support/proxyHarness';

/** Everything a browser receives: status line, every header, the body. */
async function everythingIn(response: Response): Promise<string> {
  return `${response.status}\n${[...response.headers].map(([name, value]) => `${name}: ${value}`).join('\n')}\n\n${await response.text()}`;
}

/** The key stays on the server; the browser's own credentials stay off the API. */
describe.each(HOSTS)('secrets on %s', (host) => {
  const { start } = useProxy(host);

  it('never sends the server’s key to the browser: answers, refusals and upstream errors', async () => {
    const { proxy, mock } = await start(
      [textReply('streamed'), textReply('whole'), errorReply(401, { message: 'invalid x-api-key' }), errorReply(500)],
      { allowedModels: ['claude-sonnet-4-6'] },
    );
    const answers = [
      await post(proxy, '/api/messages', params),
      await post(proxy, '/api/v1/messages', params),
      await post(proxy, '/api/v1/messages/count_tokens', { model: params.model, messages: params.messages }),
      await post(proxy, '/api/messages', params),
      await post(proxy, '/api/v1/messages', { ...params, stream: true }),
      await post(proxy, '/api/messages', { ...params, model: 'claude-opus-4-1' }),
      await post(proxy, '/api/messages', '{nope'),
      await post(proxy, '/api/nowhere', params),
    ];
    // The upstream's 401 refuses the server's own key: the browser gets 502, never the API's authentication_error.
    expect(answers.map((response) => response.status)).toEqual([200, 200, 200, 502, 500, 403, 400, 404]);
    for (const response of answers) {
      const seen = await everythingIn(response);
      expect(seen).not.toContain(SERVER_KEY);
      expect(seen).not.toContain('x-api-key:');
      expect(seen).not.toContain('anthropic-version');
    }
    expect(mock.requests.every((request) => request.headers['x-api-key'] === SERVER_KEY)).toBe(true);
  });

  it('sends none of the browser’s headers upstream: its key, token and cookies stay out', async () => {
    const { proxy, mock } = await start([textReply('ok')]);
    const response = await post(proxy, '/api/v1/messages', params, {
      'x-api-key': 'sk-ant-browser-typed-this',
      authorization: 'Bearer browser-session',
      cookie: 'sid=browser-cookie',
      'anthropic-version': '1999-01-01',
      'x-forwarded-for': '10.1.2.3',
    });
    expect(response.status).toBe(200);
    const upstream = mock.requests[0]!;
    expect(upstream.headers['x-api-key']).toBe(SERVER_KEY);
    expect(upstream.headers['anthropic-version']).toBe('2023-06-01');
    const sent = JSON.stringify(upstream.headers);
    for (const secret of ['sk-ant-browser-typed-this', 'browser-session', 'browser-cookie', '10.1.2.3']) expect(sent).not.toContain(secret);
    expect(upstream.headers['authorization']).toBeUndefined();
    expect(upstream.headers['cookie']).toBeUndefined();
  });
});
