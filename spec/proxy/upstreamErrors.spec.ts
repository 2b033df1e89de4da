import { lastValueFrom, of, toArray } from 'rxjs';
import { createClient, decodeEvents, fromSSE, OverloadedError } from 'rx-anthropic';
import { eventsReply, errorReply, textReply } from 'rx-anthropic/testing';
import { HOSTS, params, post, useProxy } from './support/proxyHarness';

const messageStart = {
  type: 'message_start',
  message: { id: 'msg_1', type: 'message', role: 'assistant', model: 'm', content: [], stop_reason: null, stop_sequence: null, usage: { input_tokens: 1, output_tokens: 1 } },
};

/** Errors of the API pass through the proxy as the API sent them: status and body, or an SSE error event. */
describe.each(HOSTS)('upstream errors on %s', (host) => {
  const { start } = useProxy(host);

  it.each(['/api/messages', '/api/v1/messages', '/api/v1/messages/count_tokens'])(
    'relays an error before the first byte with its status, body, request-id and retry-after, and no other upstream header (%s)',
    async (path) => {
      const turn = errorReply(429, { message: 'Slow down', headers: { 'retry-after': '3', 'anthropic-organization-id': 'org_private', 'anthropic-ratelimit-requests-limit': '50' } });
      const { proxy } = await start([turn], {}, { countTokens: () => turn });
      const response = await post(proxy, path, path.endsWith('count_tokens') ? { model: params.model, messages: params.messages } : params);
      expect(response.status).toBe(429);
      expect(await response.json()).toEqual({ type: 'error', error: { type: 'rate_limit_error', message: 'Slow down' }, request_id: 'req_mock_1' });
      expect(response.headers.get('retry-after')).toBe('3');
      expect(response.headers.get('request-id')).toBe('req_mock_1');
      expect(response.headers.get('anthropic-organization-id')).toBeNull();
      expect(response.headers.get('anthropic-ratelimit-requests-limit')).toBeNull();
    },
  );

  it('relays an error event after the first byte as an SSE error event, and ends the stream (streamStore: false: no ids)', async () => {
    const { proxy } = await start([eventsReply([messageStart, { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } }])], { streamStore: false });
    const response = await post(proxy, '/api/messages', params);
    expect(response.status).toBe(200);
    const text = await response.text();
    // The API's own frames, as it sent them; the request id comes in the header.
    expect(text).toBe(
      `event: message_start\ndata: ${JSON.stringify(messageStart)}\n\n` +
        `event: error\ndata: ${JSON.stringify({ type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } })}\n\n`,
    );
    expect(response.headers.get('request-id')).toBe('req_mock_1');
    const decoded = await lastValueFrom(of(text).pipe(fromSSE(), decodeEvents({ headers: { 'request-id': 'req_mock_1' } }), toArray())).catch((error: unknown) => error);
    expect(decoded).toBeInstanceOf(OverloadedError);
    expect((decoded as OverloadedError).requestId).toBe('req_mock_1');
  });

  it('answers a stream cut off upstream with an SSE error event naming the failure', async () => {
    const reported: unknown[] = [];
    const { proxy } = await start([{ ...textReply('cut short '.repeat(20), { chunkSize: 4 }), cutAfterBytes: 600 }], { onError: (error) => reported.push(error) });
    const text = await (await post(proxy, '/api/messages', params)).text();
    const frames = text.trim().split('\n\n');
    const last = frames.pop() ?? '';
    // The relay's own frame is numbered after the API's: the next id.
    expect(last).toMatch(new RegExp(`^id: ${frames.length + 1}\nevent: error\ndata: `));
    expect(JSON.parse(last.slice(last.indexOf('data: ') + 6))).toMatchObject({ type: 'error', error: { type: 'api_error', message: expect.stringMatching(/^The proxy's request to the API failed \(\w+Error\)\.$/) } });
    expect(reported).toHaveLength(1);
  });

  it('answers 502 api_error when the API cannot be reached, and reports it', async () => {
    const reported: unknown[] = [];
    const { proxy, mock } = await start([], { onError: (error) => reported.push(error) });
    await mock.close();
    for (const path of ['/api/messages', '/api/v1/messages']) {
      const response = await post(proxy, path, params);
      expect(response.status).toBe(502);
      const text = await response.text();
      expect(JSON.parse(text)).toEqual({ type: 'error', error: { type: 'api_error', message: "The proxy's request to the API failed (APIConnectionError)." } });
      // Where the API lives (a host and port behind the proxy) stays on the server.
      expect(text).not.toContain(new URL(mock.url).port);
    }
    expect(reported).toHaveLength(2);
    expect((reported[0] as Error).name).toBe('APIConnectionError');
  });

  it('answers 502 api_error naming the relay’s credentials when its own client has no key for the API, reports why, and sends nothing', async () => {
    const reported: unknown[] = [];
    const { proxy, mock } = await start([textReply('never')], {
      onError: (error) => reported.push(error),
      // Aimed at the API's own host without a key; a request that did go out would reach the mock.
      client: createClient({ apiKey: null, authToken: null, maxRetries: 0, fetch: (input, init) => fetch(String(input).replace('https://api.anthropic.com', mockURL()), init) }),
    });
    const mockURL = () => mock.baseURL;
    for (const path of ['/api/messages', '/api/v1/messages']) {
      const response = await post(proxy, path, params);
      expect(response.status).toBe(502);
      expect(await response.json()).toEqual({ type: 'error', error: { type: 'api_error', message: expect.stringMatching(/credentials/) } });
    }
    expect(reported).toHaveLength(2);
    expect((reported[0] as Error).name).toBe('InvalidArgumentError');
    expect((reported[0] as Error).message).toContain('ANTHROPIC_API_KEY');
    expect(mock.requests).toHaveLength(0);
  });

  it('does not report the API’s own errors: the browser gets those', async () => {
    const reported: unknown[] = [];
    const { proxy } = await start([errorReply(500)], { onError: (error) => reported.push(error) });
    expect((await post(proxy, '/api/messages', params)).status).toBe(500);
    expect(reported).toEqual([]);
  });
});
