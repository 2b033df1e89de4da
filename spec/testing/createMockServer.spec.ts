import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { accumulateEvents } from '../../lib/testing/accumulateEvents';
import { createMockServer } from '../../lib/testing/createMockServer';
import { errorReply } from '../../lib/testing/errorReply';
import { eventsReply } from '../../lib/testing/eventsReply';
import { jsonReply } from '../../lib/testing/jsonReply';
import { messageReply } from '../../lib/testing/messageReply';
import { sseFileReply } from '../../lib/testing/sseFileReply';
import { sseReply } from '../../lib/testing/sseReply';
import { textReply } from '../../lib/testing/textReply';
import { toolUseReply } from '../../lib/testing/toolUseReply';
import type { MockScript, MockServer, MockServerOptions } from '../../lib/testing/types';
import {
  params,
  parseFrames,
  post,
  rawPost,
  readBytes,
  realWorldFixtures,
  streamParams,
  within,
} from './mockServerHelpers';

jest.setTimeout(5000);

const servers: MockServer[] = [];
async function start(script?: MockScript, options?: MockServerOptions): Promise<MockServer> {
  const server = await createMockServer(script, options);
  servers.push(server);
  return server;
}
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

function deltas(frames: ReturnType<typeof parseFrames>, type: string): Record<string, unknown>[] {
  return frames
    .filter((frame) => frame.event === 'content_block_delta')
    .map((frame) => frame.data.delta as Record<string, unknown>)
    .filter((delta) => delta.type === type);
}

describe('createMockServer', () => {
  it('listens on 127.0.0.1 and gives the same url as baseURL', async () => {
    const server = await start([]);
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(server.baseURL).toBe(server.url);
  });

  describe('POST /v1/messages', () => {
    it('streams a textReply as SSE frames, the text cut into small text_delta events', async () => {
      const server = await start([textReply('Hello from the mock server!')]);
      const response = await post(server, streamParams);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
      expect(response.headers.get('request-id')).toBe('req_mock_1');
      expect(response.headers.get('anthropic-ratelimit-requests-remaining')).toBe('999');

      const frames = parseFrames(await response.text());
      for (const frame of frames) expect(frame.data.type).toBe(frame.event);
      expect(frames.map((frame) => frame.event).filter((event) => event !== 'content_block_delta')).toEqual([
        'message_start',
        'content_block_start',
        'ping',
        'content_block_stop',
        'message_delta',
        'message_stop',
      ]);
      const texts = deltas(frames, 'text_delta').map((delta) => delta.text as string);
      expect(texts.length).toBeGreaterThan(3);
      expect(texts.every((text) => text.length <= 4)).toBe(true);
      expect(texts.join('')).toBe('Hello from the mock server!');
      expect(frames.at(-2)?.data).toMatchObject({ delta: { stop_reason: 'end_turn' }, usage: { output_tokens: 7 } });
      const messageStart = frames[0]?.data.message as Record<string, unknown>;
      expect(messageStart).toMatchObject({ id: 'msg_mock_1', model: 'claude-test', role: 'assistant', content: [] });
    });

    it('takes the chunk size from the reply', async () => {
      const server = await start([textReply('abcdef', { chunkSize: 1 })]);
      const frames = parseFrames(await (await post(server, streamParams)).text());
      expect(deltas(frames, 'text_delta').map((delta) => delta.text)).toEqual(['a', 'b', 'c', 'd', 'e', 'f']);
    });

    it('answers a non-streaming request with the Message its stream accumulates to', async () => {
      const turn = textReply('Same either way.');
      const server = await start([turn, turn]);
      const message = (await (await post(server, params)).json()) as Record<string, unknown>;
      expect(message).toEqual({
        id: 'msg_mock_1',
        type: 'message',
        role: 'assistant',
        model: 'claude-test',
        content: [{ type: 'text', text: 'Same either way.' }],
        stop_reason: 'end_turn',
        stop_sequence: null,
        usage: { input_tokens: 2, output_tokens: 4, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 },
      });
      const frames = parseFrames(await (await post(server, streamParams)).text());
      const accumulated = accumulateEvents(frames.map((frame) => frame.data));
      expect(accumulated).toEqual({ kind: 'message', message: { ...message, id: 'msg_mock_2' } });
    });

    it('streams tool calls as input_json_delta chunks after an optional text', async () => {
      const server = await start([
        toolUseReply(
          [
            { name: 'get_weather', input: { city: 'Paris', unit: 'celsius' } },
            { id: 'toolu_given', name: 'now', input: {} },
          ],
          { text: 'Let me look.' },
        ),
      ]);
      const frames = parseFrames(await (await post(server, streamParams)).text());
      const starts = frames.filter((frame) => frame.event === 'content_block_start').map((frame) => frame.data.content_block);
      expect(starts).toEqual([
        { type: 'text', text: '' },
        { type: 'tool_use', id: 'toolu_mock_1_1', name: 'get_weather', input: {} },
        { type: 'tool_use', id: 'toolu_given', name: 'now', input: {} },
      ]);
      const json = frames
        .filter((frame) => frame.event === 'content_block_delta')
        .map((frame) => [frame.data.index, (frame.data.delta as Record<string, unknown>).partial_json]);
      const first = json.filter(([index]) => index === 1).map(([, piece]) => piece as string);
      expect(first.length).toBeGreaterThan(2);
      expect(first.every((piece) => piece.length <= 8)).toBe(true);
      expect(JSON.parse(first.join(''))).toEqual({ city: 'Paris', unit: 'celsius' });
      expect(json.filter(([index]) => index === 2)).toEqual([[2, '']]);
      expect(frames.at(-2)?.data).toMatchObject({ delta: { stop_reason: 'tool_use' } });
    });

    it('streams thinking blocks with thinking_delta and signature_delta', async () => {
      const server = await start([
        messageReply({ content: [{ type: 'thinking', thinking: 'Hmm, a greeting.', signature: 'c2ln' }, { type: 'text', text: 'Hi' }] }),
      ]);
      const frames = parseFrames(await (await post(server, streamParams)).text());
      expect(deltas(frames, 'thinking_delta').map((delta) => delta.thinking).join('')).toBe('Hmm, a greeting.');
      expect(deltas(frames, 'signature_delta')).toEqual([{ type: 'signature_delta', signature: 'c2ln' }]);
    });

    it('sends eventsReply events as given, one frame each', async () => {
      const events = [
        { type: 'message_start', message: { id: 'msg_x', type: 'message', role: 'assistant', model: 'm', content: [], stop_reason: null, stop_sequence: null, usage: { input_tokens: 1, output_tokens: 1 } } },
        { type: 'brand_new_event', detail: 42 },
        { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } },
      ];
      const server = await start([eventsReply(events), eventsReply(events)]);
      const text = await (await post(server, streamParams)).text();
      expect(text).toBe(events.map((event) => `event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`).join(''));

      // Without streaming, the error event becomes the API's error answer.
      const response = await post(server, params);
      expect(response.status).toBe(529);
      expect(await response.json()).toEqual({
        type: 'error',
        error: { type: 'overloaded_error', message: 'Overloaded' },
        request_id: 'req_mock_2',
      });
    });

    it('sends sseReply bytes exactly as given', async () => {
      const sse = ': comment\r\nevent: message_stop\r\ndata: {"type":"message_stop"}\r\n\r\nevent: ping\r\ndata: {"type": "ping"}\r\n\r\n';
      const server = await start([sseReply(sse), sseReply(Buffer.from(sse), { splitBytes: 7 })]);
      expect(await (await post(server, streamParams)).text()).toBe(sse);
      expect((await readBytes(await post(server, streamParams))).bytes.toString('utf8')).toBe(sse);
    });

    it('plays a recorded fixture with sseFileReply, streamed or accumulated', async () => {
      const file = join(realWorldFixtures, 'docs-tool-use-weather.sse');
      const expected = JSON.parse(readFileSync(join(realWorldFixtures, 'docs-tool-use-weather.expected.json'), 'utf8')) as {
        message: unknown;
      };
      const server = await start([sseFileReply(file), sseFileReply(file)]);
      const streamed = await readBytes(await post(server, streamParams));
      expect(streamed.bytes.equals(readFileSync(file))).toBe(true);
      expect(await (await post(server, params)).json()).toEqual(expected.message);
    });

    it('answers jsonReply with that body whatever was asked', async () => {
      const server = await start([jsonReply({ weird: true }, { status: 202 })]);
      const response = await post(server, streamParams);
      expect(response.status).toBe(202);
      expect(response.headers.get('content-type')).toBe('application/json');
      expect(await response.json()).toEqual({ weird: true });
    });

    it('refuses a body that is not JSON without using up a turn', async () => {
      const server = await start([textReply('kept')]);
      const bad = await fetch(`${server.url}/v1/messages`, { method: 'POST', body: 'not json' });
      expect(bad.status).toBe(400);
      expect(await bad.json()).toMatchObject({ error: { type: 'invalid_request_error' } });
      expect(server.requests[0]?.body).toBe('not json');
      expect(await (await post(server, params)).json()).toMatchObject({ content: [{ text: 'kept' }] });
    });
  });

  describe('script', () => {
    it('answers a clear 500 once the turns are used up', async () => {
      const server = await start([textReply('only one')]);
      await (await post(server, params)).text();
      const response = await post(server, params);
      expect(response.status).toBe(500);
      expect(response.headers.get('x-should-retry')).toBe('false');
      const body = (await response.json()) as { type: string; error: { type: string; message: string } };
      expect(body.type).toBe('error');
      expect(body.error.type).toBe('api_error');
      expect(body.error.message).toMatch(/no turn left.*#2.*1 turn/);
    });

    it('calls a script function with the recorded request and the index among message requests', async () => {
      const calls: [unknown, number][] = [];
      const server = await start((request, index) => {
        calls.push([(request.body as { messages: unknown }).messages, index]);
        return textReply(`turn ${index}`);
      });
      await (await post(server, {}, { path: '/v1/messages/count_tokens' })).text();
      await (await post(server, params)).text();
      const second = (await (await post(server, params)).json()) as { content: { text: string }[] };
      expect(second.content[0]?.text).toBe('turn 1');
      expect(calls).toEqual([
        [params.messages, 0],
        [params.messages, 1],
      ]);
    });

    it('answers a 500 naming the error when the script function throws', async () => {
      const server = await start(() => {
        throw new Error('boom');
      });
      const response = await post(server, params);
      expect(response.status).toBe(500);
      expect(await response.json()).toMatchObject({ error: { message: expect.stringContaining('boom') } });
    });

    it('answers a 500 naming the problem when Node refuses to send a turn', async () => {
      const server = await start([textReply('x', { status: 42 })]);
      const response = await post(server, params);
      expect(response.status).toBe(500);
      expect(await response.json()).toMatchObject({ error: { message: expect.stringContaining('42') } });
    });

    it('plays the demo script by default, mentioning the question', async () => {
      const server = await start();
      const body = { ...streamParams, messages: [{ role: 'user', content: [{ type: 'text', text: 'What is RxJS?' }] }] };
      const frames = parseFrames(await (await post(server, body)).text());
      const text = deltas(frames, 'text_delta').map((delta) => delta.text).join('');
      expect(text).toContain('“What is RxJS?”');
      expect((await (await post(server, params)).json()) as object).toMatchObject({ stop_reason: 'end_turn' });
    });
  });

  describe('other routes', () => {
    it('estimates count_tokens as ceil(characters / 4)', async () => {
      const server = await start([]);
      const response = await post(
        server,
        { model: 'm', system: 'Be brief.', messages: [{ role: 'user', content: 'Hello, world' }] },
        { path: '/v1/messages/count_tokens' },
      );
      expect(response.headers.get('request-id')).toBe('req_mock_1');
      expect(await response.json()).toEqual({ input_tokens: Math.ceil((9 + 12) / 4) });
    });

    it('answers count_tokens from the countTokens option, numbers or turns', async () => {
      const server = await start([], {
        countTokens: (_request, index) => (index === 0 ? 1234 : errorReply(429, { headers: { 'retry-after': '1' } })),
      });
      expect(await (await post(server, params, { path: '/v1/messages/count_tokens' })).json()).toEqual({ input_tokens: 1234 });
      const limited = await post(server, params, { path: '/v1/messages/count_tokens' });
      expect(limited.status).toBe(429);
      expect(limited.headers.get('retry-after')).toBe('1');
    });

    it('answers a multipart upload to /v1/files with its FileMetadata', async () => {
      const server = await start([]);
      const form = new FormData();
      form.append('purpose', 'testing');
      form.append('file', new Blob(['hello, file'], { type: 'text/plain' }), 'notes.txt');
      const response = await fetch(`${server.url}/v1/files`, { method: 'POST', body: form, headers: { 'anthropic-beta': 'files-api-2025-04-14' } });
      expect(response.status).toBe(200);
      const metadata = (await response.json()) as Record<string, unknown>;
      expect(metadata).toEqual({
        id: 'file_mock_1',
        type: 'file',
        filename: 'notes.txt',
        mime_type: 'text/plain',
        size_bytes: 11,
        created_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
        downloadable: false,
      });
      expect(server.requests[0]?.headers['anthropic-beta']).toBe('files-api-2025-04-14');
      expect(server.requests[0]?.headers['content-type']).toMatch(/^multipart\/form-data; boundary=/);
    });

    it('refuses an upload without a file part', async () => {
      const server = await start([]);
      const form = new FormData();
      form.append('purpose', 'testing');
      const response = await fetch(`${server.url}/v1/files`, { method: 'POST', body: form });
      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({ error: { type: 'invalid_request_error' } });
    });

    it('answers an unknown route with the API 404 error shape', async () => {
      const server = await start([]);
      const response = await fetch(`${server.url}/v1/nothing-here`);
      expect(response.status).toBe(404);
      expect(response.headers.get('request-id')).toBe('req_mock_1');
      expect(await response.json()).toEqual({
        type: 'error',
        error: { type: 'not_found_error', message: expect.stringContaining('GET /v1/nothing-here') },
        request_id: 'req_mock_1',
      });
    });

    it('answers a CORS preflight', async () => {
      const server = await start([]);
      const response = await fetch(`${server.url}/v1/messages`, { method: 'OPTIONS' });
      expect(response.status).toBe(204);
      expect(response.headers.get('access-control-allow-origin')).toBe('*');
    });
  });

  describe('recording', () => {
    it('records method, path, query, lower-cased headers and the parsed body, in order', async () => {
      const server = await start([textReply('a'), textReply('b')]);
      await (await post(server, params, { path: '/v1/messages?beta=true', headers: { 'X-Custom-Header': 'Yes', 'Anthropic-Version': '2023-06-01' } })).text();
      await (await post(server, streamParams)).text();
      const [first, second] = server.requests;
      expect(first).toMatchObject({
        index: 0,
        requestId: 'req_mock_1',
        method: 'POST',
        path: '/v1/messages',
        query: { beta: 'true' },
        body: params,
        completed: true,
        abortedByClient: false,
      });
      expect(first?.headers).toMatchObject({ 'x-custom-header': 'Yes', 'anthropic-version': '2023-06-01', 'x-api-key': 'test-key' });
      expect(Buffer.from(first?.rawBody ?? []).toString()).toBe(JSON.stringify(params));
      expect(second).toMatchObject({ index: 1, requestId: 'req_mock_2', body: streamParams });
      await within(1000, Promise.all(server.requests.map((request) => request.closed)), 'closed');
    });

    it('waitForRequest resolves when the request arrives, and rejects when the server closes first', async () => {
      const server = await start([textReply('x')]);
      const arriving = server.waitForRequest(0);
      const response = post(server, params);
      expect((await within(1000, arriving, 'request 0')).path).toBe('/v1/messages');
      await (await response).text();
      const never = expect(server.waitForRequest(5)).rejects.toThrow(/closed before request #5/);
      await server.close();
      await never;
    });
  });

  describe('faults', () => {
    it('errorReply sends the status, the retry headers and the API error body', async () => {
      const server = await start([
        errorReply(429, { message: 'Slow down', headers: { 'retry-after': '2', 'retry-after-ms': '1500', 'x-should-retry': 'true' } }),
        errorReply(529),
      ]);
      const limited = await post(server, streamParams);
      expect(limited.status).toBe(429);
      expect(limited.headers.get('content-type')).toBe('application/json');
      expect(limited.headers.get('retry-after')).toBe('2');
      expect(limited.headers.get('retry-after-ms')).toBe('1500');
      expect(limited.headers.get('x-should-retry')).toBe('true');
      expect(await limited.json()).toEqual({
        type: 'error',
        error: { type: 'rate_limit_error', message: 'Slow down' },
        request_id: 'req_mock_1',
      });
      const overloaded = await post(server, params);
      expect(overloaded.status).toBe(529);
      expect(await overloaded.json()).toMatchObject({ error: { type: 'overloaded_error' } });
    });

    it('overrides status, headers and content type of any reply', async () => {
      const server = await start([{ ...textReply('x'), status: 201, contentType: 'text/plain', headers: { 'request-id': 'req_custom' } }]);
      const response = await post(server, streamParams);
      expect(response.status).toBe(201);
      expect(response.headers.get('content-type')).toBe('text/plain');
      expect(response.headers.get('request-id')).toBe('req_custom');
      await response.text();
    });

    it('cutAfterBytes sends exactly n bytes of the stream, then the body read fails', async () => {
      const server = await start([{ ...textReply('This reply is cut in the middle of a frame.'), cutAfterBytes: 150 }]);
      const response = await post(server, streamParams);
      expect(response.status).toBe(200);
      const { bytes, error } = await within(2000, readBytes(response), 'the cut body');
      expect(bytes.length).toBe(150);
      expect(error).toBeDefined();
      await within(1000, server.requests[0]?.closed ?? Promise.resolve(), 'closed');
      expect(server.requests[0]).toMatchObject({ completed: false, abortedByClient: false });
    });

    it('cutAfterBytes also cuts a non-streaming JSON body short of its content-length', async () => {
      const server = await start([textReply('A whole message', { cutAfterBytes: 20 })]);
      const response = await post(server, params);
      const { bytes, error } = await within(2000, readBytes(response), 'the cut body');
      expect(bytes.length).toBe(20);
      expect(error).toBeDefined();
    });

    it('hangAfterHeaders sends headers, then records the client closing when it aborts', async () => {
      const server = await start([{ ...textReply('never sent'), hangAfterHeaders: true }]);
      const controller = new AbortController();
      const response = await within(2000, post(server, streamParams, { signal: controller.signal }), 'the headers');
      expect(response.status).toBe(200);
      const reading = readBytes(response);
      const request = await server.waitForRequest(0);
      expect(request.abortedByClient).toBe(false);
      controller.abort();
      const { bytes, error } = await within(2000, reading, 'the aborted read');
      expect(bytes.length).toBe(0);
      expect(error).toBeDefined();
      await within(2000, request.closed, 'the server to see the close');
      expect(request).toMatchObject({ abortedByClient: true, completed: false });
    });

    it('hang never answers; the client aborting ends the exchange', async () => {
      const server = await start([{ ...textReply('never'), hang: true }, textReply('next')]);
      const controller = new AbortController();
      const pending = post(server, params, { signal: controller.signal });
      const request = await within(2000, server.waitForRequest(0), 'the request');
      controller.abort();
      await expect(pending).rejects.toThrow();
      await within(2000, request.closed, 'closed');
      expect(request.abortedByClient).toBe(true);
      expect(await (await post(server, params)).json()).toMatchObject({ content: [{ text: 'next' }] });
    });

    it('delayMs holds the headers back', async () => {
      const server = await start([textReply('late', { delayMs: 120 })]);
      const started = Date.now();
      const response = await post(server, params);
      expect(Date.now() - started).toBeGreaterThanOrEqual(100);
      await response.text();
    });

    it('chunkDelayMs spaces out the frames', async () => {
      const server = await start([textReply('12345678', { chunkSize: 2, chunkDelayMs: 40 })]);
      const arrivals: number[] = [];
      const started = Date.now();
      const response = await post(server, streamParams);
      const reader = response.body?.getReader();
      for (;;) {
        const result = await reader?.read();
        if (result === undefined || result.done) break;
        arrivals.push(Date.now() - started);
      }
      // 10 frames → 9 pauses of 40 ms; reads are spread out, not one burst.
      expect(arrivals.at(-1) ?? 0).toBeGreaterThanOrEqual(9 * 40 * 0.8);
      expect(arrivals.length).toBeGreaterThanOrEqual(5);
    });

    it('splitBytes writes the body in pieces of n bytes', async () => {
      const sse = 'event: ping\ndata: {"type":"ping"}\n\n';
      const server = await start([sseReply(sse, { splitBytes: 5, chunkDelayMs: 15 })]);
      const pieces = await new Promise<Buffer[]>((resolve, reject) => {
        rawPost(server, streamParams, (response) => {
          const received: Buffer[] = [];
          response.on('data', (piece: Buffer) => received.push(piece));
          response.on('end', () => resolve(received));
          response.on('error', reject);
        });
      });
      expect(Buffer.concat(pieces).toString()).toBe(sse);
      expect(pieces.length).toBeGreaterThan(3);
      expect(pieces.every((piece) => piece.length <= 5)).toBe(true);
    });

    it('waits for drain: a large stream reaches a reader that pauses, whole', async () => {
      const text = 'x'.repeat(2_000_000);
      const server = await start([textReply(text, { chunkSize: 5_000 })]);
      const body = await new Promise<string>((resolve, reject) => {
        rawPost(server, streamParams, (response) => {
          const received: Buffer[] = [];
          // Paused, the socket fills up and the server has to wait for 'drain'.
          response.pause();
          setTimeout(() => response.resume(), 100);
          response.on('data', (piece: Buffer) => received.push(piece));
          response.on('end', () => resolve(Buffer.concat(received).toString()));
          response.on('error', reject);
        });
      });
      expect(deltas(parseFrames(body), 'text_delta').map((delta) => delta.text).join('')).toBe(text);
      await within(1000, server.requests[0]?.closed ?? Promise.resolve(), 'closed');
      expect(server.requests[0]?.completed).toBe(true);
    });

    it('stops writing when the client goes away mid-stream', async () => {
      const server = await start([textReply('y'.repeat(2_000), { chunkSize: 10, chunkDelayMs: 5 })]);
      const controller = new AbortController();
      const response = await post(server, streamParams, { signal: controller.signal });
      const reader = response.body?.getReader();
      await reader?.read();
      controller.abort();
      const request = server.requests[0];
      await within(2000, request?.closed ?? Promise.resolve(), 'closed');
      expect(request).toMatchObject({ abortedByClient: true, completed: false });
    });
  });

  describe('close()', () => {
    it('resolves with hanging connections open, ends them, and leaves no handle behind', async () => {
      // Only handles that keep Node alive are listed, so this server is made to keep it alive.
      const listeningServers = () => process.getActiveResourcesInfo().filter((name) => name === 'TCPServerWrap').length;
      const before = listeningServers();
      const server = await createMockServer(
        [
          { ...textReply('a'), hang: true },
          { ...textReply('b'), hangAfterHeaders: true },
        ],
        { keepProcessAlive: true },
      );
      expect(listeningServers()).toBe(before + 1);
      const hanging = post(server, params).then(
        () => 'answered',
        () => 'failed',
      );
      const headersOnly = await within(2000, post(server, streamParams), 'the headers');
      const reading = readBytes(headersOnly);
      await within(2000, server.waitForRequest(1), 'both requests');
      expect(server.openConnections()).toBe(2);

      await within(2000, server.close(), 'close()');
      expect(server.openConnections()).toBe(0);
      expect(listeningServers()).toBe(before);
      expect(await within(2000, hanging, 'the hanging fetch')).toBe('failed');
      expect((await within(2000, reading, 'the read')).error).toBeDefined();
      expect(server.requests.map((request) => request.abortedByClient)).toEqual([false, false]);
      await server.close();
    });
  });
});
