import { lastValueFrom, of, toArray } from 'rxjs';
import { decodeEvents, fromSSE, textDeltas, type RawMessageStreamEvent } from 'rx-anthropic';
import { textReply } from 'rx-anthropic/testing';
import { browserClient, EXPRESS_FALLBACK, HOSTS, params, post, refusalOf, SERVER_KEY, useProxy } from './support/proxyHarness';

/** The events of an SSE body. */
const eventsOf = (text: string): Promise<RawMessageStreamEvent[]> => lastValueFrom(of(text).pipe(fromSSE(), decodeEvents(), toArray()));

const STREAM_TYPES = ['message_start', 'content_block_start', 'content_block_delta', 'content_block_delta', 'content_block_delta', 'content_block_stop', 'message_delta', 'message_stop'];

/** The proxy's three routes, served by its own server and by an Express app, with the mock server upstream. */
describe.each(HOSTS)('the proxy routes on %s', (host) => {
  const { start } = useProxy(host);

  it('POST /api/messages: params in, the event stream out as SSE, the key added upstream', async () => {
    const { proxy, mock } = await start([textReply('Hello there', { chunkSize: 4 })]);
    const response = await post(proxy, '/api/messages', params);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    expect(response.headers.get('request-id')).toBe('req_mock_1');
    const events = await eventsOf(await response.text());
    expect(events.map((event) => event.type)).toEqual(STREAM_TYPES);
    expect(mock.requests[0]?.path).toBe('/v1/messages');
    expect(mock.requests[0]?.body).toEqual({ ...params, stream: true });
    expect(mock.requests[0]?.headers['x-api-key']).toBe(SERVER_KEY);
  });

  it('POST /api/messages streams even when the body says stream: false', async () => {
    const { proxy, mock } = await start([textReply('Hello there', { chunkSize: 4 })]);
    const response = await post(proxy, '/api/messages', { ...params, stream: false });
    expect(response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    expect((await eventsOf(await response.text())).map((event) => event.type)).toEqual(STREAM_TYPES);
    expect(mock.requests[0]?.body).toEqual({ ...params, stream: true });
  });

  it('POST /api/v1/messages with stream: true streams, the API shape', async () => {
    const { proxy, mock } = await start([textReply('Hello there', { chunkSize: 4 })]);
    const response = await post(proxy, '/api/v1/messages', { ...params, stream: true });
    expect(response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    expect((await eventsOf(await response.text())).map((event) => event.type)).toEqual(STREAM_TYPES);
    expect(mock.requests[0]?.body).toEqual({ ...params, stream: true });
  });

  it('POST /api/v1/messages without stream answers the whole message as JSON', async () => {
    const { proxy, mock } = await start([textReply('Whole answer')]);
    const response = await post(proxy, '/api/v1/messages', params);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(response.headers.get('request-id')).toBe('req_mock_1');
    expect(await response.json()).toMatchObject({ type: 'message', role: 'assistant', content: [{ type: 'text', text: 'Whole answer' }] });
    expect(mock.requests[0]?.body).toEqual({ ...params, stream: false });
  });

  it('POST /api/v1/messages/count_tokens answers the count', async () => {
    const { proxy, mock } = await start([], {}, { countTokens: () => 42 });
    const response = await post(proxy, '/api/v1/messages/count_tokens', { model: params.model, messages: params.messages });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ input_tokens: 42 });
    expect(mock.requests[0]?.path).toBe('/v1/messages/count_tokens');
    expect(mock.requests[0]?.body).toEqual({ model: params.model, messages: params.messages });
    expect(mock.requests[0]?.headers['x-api-key']).toBe(SERVER_KEY);
  });

  it('serves a client without credentials at baseURL <proxy>/api: stream, create and countTokens', async () => {
    const { proxy, mock } = await start([textReply('Hello from upstream', { chunkSize: 5 }), textReply('Whole answer')], {}, { countTokens: () => 7 });
    const client = browserClient(proxy);
    expect((await lastValueFrom(client.messages.stream(params).pipe(textDeltas(), toArray()))).join('')).toBe('Hello from upstream');
    expect((await lastValueFrom(client.messages.create(params))).content).toEqual([{ type: 'text', text: 'Whole answer' }]);
    expect(await lastValueFrom(client.messages.countTokens({ model: params.model, messages: params.messages }))).toEqual({ input_tokens: 7 });
    expect(mock.requests.map((request) => request.path)).toEqual(['/v1/messages', '/v1/messages', '/v1/messages/count_tokens']);
    expect(mock.requests.every((request) => request.headers['x-api-key'] === SERVER_KEY)).toBe(true);
  });

  it('refuses a body sent as text/plain (a fetch with a string body and no content-type) with 415, and sends nothing upstream', async () => {
    const { proxy, mock } = await start([textReply('never')]);
    const response = await fetch(`${proxy.url}/api/v1/messages`, { method: 'POST', body: JSON.stringify(params) });
    expect(await refusalOf(response)).toEqual({
      status: 415,
      body: { type: 'error', error: { type: 'invalid_request_error', message: 'The request body must be JSON, sent with `content-type: application/json`.' } },
    });
    expect(mock.requests).toHaveLength(0);
  });

  it('ignores the query string', async () => {
    const { proxy } = await start([textReply('Whole answer')]);
    expect((await post(proxy, '/api/v1/messages?beta=true', params)).status).toBe(200);
  });

  it('answers routes under another basePath', async () => {
    const { proxy, mock } = await start([textReply('Whole answer')], { basePath: '/llm/' });
    expect((await post(proxy, '/llm/v1/messages', params)).status).toBe(200);
    expect((await post(proxy, '/api/v1/messages', params)).status).toBe(404);
    expect(mock.requests).toHaveLength(1);
  });

  it('leaves other requests alone: a GET of a route, another path', async () => {
    const { proxy, mock } = await start([]);
    const others = [await fetch(`${proxy.url}/api/messages`), await post(proxy, '/api/v1/models', {}), await post(proxy, '/messages', params)];
    for (const response of others) {
      expect(response.status).toBe(404);
      if (host === 'Express') {
        // Passed on with next(): the app's own answer.
        expect(await response.text()).toBe(EXPRESS_FALLBACK);
      } else {
        expect(await response.json()).toEqual({
          type: 'error',
          error: { type: 'not_found_error', message: expect.stringContaining('this proxy answers POST /api/messages, POST /api/v1/messages, POST /api/v1/messages/count_tokens') },
        });
      }
    }
    expect(mock.requests).toHaveLength(0);
  });
});
