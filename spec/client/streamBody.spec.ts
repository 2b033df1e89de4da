import { lastValueFrom, take, toArray, type Observable } from 'rxjs';
import { APIConnectionError, BadRequestError, InvalidArgumentError, RateLimitError, createClient, decodeEvents, fromSSE, type MessageCreateParams } from 'rx-anthropic';
import { createMockServer, errorReply, sseReply, textReply, type MockServer } from 'rx-anthropic/testing';

const params: MessageCreateParams = { model: 'claude-test', max_tokens: 64, messages: [{ role: 'user', content: 'Hi' }] };

/** A whole stream as the API writes it, with an `event: error` at its end and a character of several bytes. */
const recorded = [
  'event: message_start',
  'data: {"type":"message_start","message":{"id":"msg_1","type":"message","role":"assistant","model":"claude-test","content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":3,"output_tokens":1}}}',
  '',
  'event: content_block_start',
  'data: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}',
  '',
  'event: ping',
  'data: {"type": "ping"}',
  '',
  'event: content_block_delta',
  'data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Héllo 😀"}}',
  '',
  'event: content_block_stop',
  'data: {"type":"content_block_stop","index":0}',
  '',
  'event: message_delta',
  'data: {"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null},"usage":{"output_tokens":4}}',
  '',
  'event: message_stop',
  'data: {"type":"message_stop"}',
  '',
  '',
].join('\n');

let server: MockServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const clientFor = (s: MockServer, options = {}) => createClient({ baseURL: s.baseURL, apiKey: 'sk-test', maxRetries: 0, ...options });
const bytesOf = async (client: ReturnType<typeof createClient>, p: MessageCreateParams = params) => Buffer.concat(await lastValueFrom(client.messages.streamBody(p).pipe(toArray())));

describe('client.messages.streamBody', () => {
  it('gives the bytes of the body exactly as the server sent them, in its chunks', async () => {
    server = await createMockServer([sseReply(recorded, { splitBytes: 64, chunkDelayMs: 2 })]);
    const chunks = await lastValueFrom(clientFor(server).messages.streamBody(params).pipe(toArray()));
    expect(chunks.length).toBeGreaterThan(1);
    for (const chunk of chunks) expect(chunk).toBeInstanceOf(Uint8Array);
    expect(Buffer.concat(chunks).equals(Buffer.from(recorded))).toBe(true);
  });

  it('sends the params with stream: true, as stream() does, and nothing before subscribe', async () => {
    server = await createMockServer([textReply('one')]);
    const body$ = clientFor(server).messages.streamBody(params);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(server.requests).toHaveLength(0);
    await lastValueFrom(body$);
    expect(server.requests[0]?.path).toBe('/v1/messages');
    expect(server.requests[0]?.body).toEqual({ ...params, stream: true });
  });

  it('gives, through fromSSE() and decodeEvents(), the events of stream()', async () => {
    server = await createMockServer(() => textReply('A reply long enough to come in several deltas.', { id: 'msg_fixed', chunkSize: 5 }));
    const client = clientFor(server);
    const fromBody = await lastValueFrom(client.messages.streamBody(params).pipe(fromSSE(), decodeEvents(), toArray()));
    const fromStream = await lastValueFrom(client.messages.stream(params).pipe(toArray()));
    expect(fromBody.length).toBeGreaterThan(5);
    expect(fromBody).toEqual(fromStream);
  });

  it('passes an `event: error` inside the body as it came, without failing', async () => {
    const error = 'event: error\ndata: {"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}\n\n';
    server = await createMockServer([sseReply(recorded.slice(0, recorded.indexOf('event: content_block_stop')) + error)]);
    const bytes = await bytesOf(clientFor(server));
    expect(bytes.toString('utf8').endsWith(error)).toBe(true);
  });

  it('fails with the typed error for an HTTP error before the first byte', async () => {
    server = await createMockServer([errorReply(400, { type: 'invalid_request_error', message: 'max_tokens: too large' })]);
    const error = await lastValueFrom(clientFor(server).messages.streamBody(params)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BadRequestError);
    expect(error).toMatchObject({ status: 400, type: 'invalid_request_error' });
    expect((error as Error).message).toContain('max_tokens: too large');
  });

  it('retries before the first byte as stream() does', async () => {
    server = await createMockServer([errorReply(429, { headers: { 'retry-after-ms': '1' } }), sseReply(recorded)]);
    expect((await bytesOf(clientFor(server, { maxRetries: 1 }))).toString('utf8')).toBe(recorded);
    expect(server.requests).toHaveLength(2);
    await server.close();
    server = await createMockServer([errorReply(429, { headers: { 'retry-after-ms': '1' } })]);
    await expect(lastValueFrom(clientFor(server).messages.streamBody(params))).rejects.toBeInstanceOf(RateLimitError);
  });

  it('aborts the request when unsubscribed: the server sees it close', async () => {
    server = await createMockServer([textReply('a long answer, sent slowly', { chunkDelayMs: 50, chunkSize: 2 })]);
    const first = await lastValueFrom(clientFor(server).messages.streamBody(params).pipe(take(1)));
    expect(first.byteLength).toBeGreaterThan(0);
    const request = await server.waitForRequest(0);
    await request.closed;
    expect(request.abortedByClient).toBe(true);
  });

  it('aborts a request that has had its headers but no byte yet', async () => {
    server = await createMockServer([{ ...textReply('never'), hangAfterHeaders: true }]);
    const subscription = clientFor(server).messages.streamBody(params).subscribe({ error: () => undefined });
    const request = await server.waitForRequest(0);
    await new Promise((resolve) => setTimeout(resolve, 20));
    subscription.unsubscribe();
    await request.closed;
    expect(request.abortedByClient).toBe(true);
  });

  it.each([
    ['null', null],
    ['undefined', undefined],
    ['a string', '{"model":"claude-test"}'],
    ['a number', 42],
    ['an array', [params]],
  ])('fails with InvalidArgumentError for params that are %s, sending nothing', async (_, bad) => {
    server = await createMockServer([textReply('unused')]);
    const body$ = clientFor(server).messages.streamBody(bad as unknown as MessageCreateParams);
    const error = await lastValueFrom(body$).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidArgumentError);
    expect(error).toMatchObject({ argument: 'params' });
    expect((error as Error).message).toContain('client.messages.streamBody()');
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(server.requests).toHaveLength(0);
  });

  describe('with a recovery asked for', () => {
    const TEXT = 'The answer goes on after the cut, word by word, to its end.';
    const textOf = async (body$: Observable<Uint8Array>) => {
      const events = await lastValueFrom(body$.pipe(fromSSE(), decodeEvents(), toArray()));
      return { events, text: events.map((event) => (event.type === 'content_block_delta' && event.delta.type === 'text_delta' ? event.delta.text : '')).join('') };
    };

    it.each([
      ['the client', { continueOnDrop: 1 }, {}],
      ['the request', {}, { continueOnDrop: 1 }],
    ])('gives the recovered stream, written again, when %s asks for continueOnDrop', async (_, clientOptions, requestOptions) => {
      server = await createMockServer([{ ...textReply(TEXT, { chunkSize: 5 }), cutAfterEvents: 6 }, textReply(TEXT, { chunkSize: 5 })]);
      const { events, text } = await textOf(clientFor(server, clientOptions).messages.streamBody(params, requestOptions));
      expect(text).toBe(TEXT);
      expect(events.filter((event) => event.type === 'message_start')).toHaveLength(1);
      expect(events.filter((event) => event.type === 'message_stop')).toHaveLength(1);
      expect(server.requests).toHaveLength(2);
    });

    it('fails with the drop, as the bytes did, without one', async () => {
      server = await createMockServer([{ ...textReply(TEXT, { chunkSize: 5 }), cutAfterEvents: 6 }, textReply(TEXT, { chunkSize: 5 })]);
      const error = await lastValueFrom(clientFor(server).messages.streamBody(params)).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(APIConnectionError);
      expect(server.requests).toHaveLength(1);
    });
  });
});
