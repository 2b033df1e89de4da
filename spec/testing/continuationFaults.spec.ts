import { createMockServer } from '../../lib/testing/createMockServer';
import { messageReply } from '../../lib/testing/messageReply';
import { PREFILL_REFUSAL } from '../../lib/testing/renderTurn';
import { textReply } from '../../lib/testing/textReply';
import type { MockScript, MockServer } from '../../lib/testing/types';
import { params, parseFrames, post, readBytes, streamParams, within } from './mockServerHelpers';

jest.setTimeout(5000);

const servers: MockServer[] = [];
async function start(script: MockScript): Promise<MockServer> {
  const server = await createMockServer(script);
  servers.push(server);
  return server;
}
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

const TEXT = 'The quick brown fox jumps over the lazy dog.';

/** The whole stream of an uncut `textReply(TEXT)`, as frames. */
async function uncutFrames(): Promise<ReturnType<typeof parseFrames>> {
  const server = await start([textReply(TEXT)]);
  return parseFrames(await (await post(server, streamParams)).text());
}

const textOf = (frames: ReturnType<typeof parseFrames>): string =>
  frames
    .filter((frame) => frame.event === 'content_block_delta')
    .map((frame) => (frame.data.delta as { text?: string }).text ?? '')
    .join('');

const withPrefill = (prefill: unknown) => ({ ...streamParams, messages: [...streamParams.messages, { role: 'assistant', content: prefill }] });

describe('the mock server: faults after a number of events', () => {
  it('cutAfterEvents sends exactly the first n SSE frames whole, then drops the connection', async () => {
    const whole = await uncutFrames();
    const server = await start([{ ...textReply(TEXT), cutAfterEvents: 5 }]);
    const response = await post(server, streamParams);
    const { bytes, error } = await within(2000, readBytes(response), 'the cut body');
    expect(error).toBeDefined();
    const text = bytes.toString('utf8');
    expect(text.endsWith('\n\n')).toBe(true);
    expect(parseFrames(text)).toEqual(whole.slice(0, 5));
    await within(1000, server.requests[0]?.closed ?? Promise.resolve(), 'closed');
    expect(server.requests[0]).toMatchObject({ completed: false, abortedByClient: false });
  });

  it('cutAfterEvents: 0 sends the headers and no frame; past the end, every frame but no end of body', async () => {
    const whole = await uncutFrames();
    const server = await start([{ ...textReply(TEXT), cutAfterEvents: 0 }, { ...textReply(TEXT), cutAfterEvents: 1_000 }]);
    const none = await readBytes(await post(server, streamParams));
    expect(none.bytes.length).toBe(0);
    expect(none.error).toBeDefined();
    const all = await readBytes(await post(server, streamParams));
    // The same frames (the message id is the request's: msg_mock_2 here).
    const frames = parseFrames(all.bytes.toString('utf8'));
    expect(frames.slice(1)).toEqual(whole.slice(1));
    expect(frames[0]?.data).toMatchObject({ type: 'message_start', message: { id: 'msg_mock_2' } });
    expect(all.error).toBeDefined();
  });

  it('cutAfterBytes and cutAfterEvents together cut at whichever comes first', async () => {
    const server = await start([{ ...textReply(TEXT), cutAfterEvents: 6, cutAfterBytes: 40 }]);
    const { bytes } = await readBytes(await post(server, streamParams));
    expect(bytes.length).toBe(40);
  });

  it('stallAfterEvents sends n frames and then nothing, until the client goes away', async () => {
    const whole = await uncutFrames();
    const server = await start([{ ...textReply(TEXT), stallAfterEvents: 4 }]);
    const controller = new AbortController();
    const response = await post(server, streamParams, { signal: controller.signal });
    const reader = response.body!.getReader();
    let text = '';
    while (parseFrames(text).length < 4) text += new TextDecoder().decode((await within(2000, reader.read(), 'a frame')).value);
    expect(parseFrames(text)).toEqual(whole.slice(0, 4));
    // Nothing more comes while the client waits.
    const next = reader.read();
    const more = await Promise.race([next.then(() => 'more'), new Promise((resolve) => setTimeout(() => resolve('nothing'), 150))]);
    expect(more).toBe('nothing');
    const request = await server.waitForRequest(0);
    expect(request.completed).toBe(false);
    controller.abort();
    await next.catch(() => undefined);
    await within(2000, request.closed, 'the server to see the close');
    expect(request).toMatchObject({ abortedByClient: true, completed: false });
  });
});

describe('the mock server: an assistant prefill', () => {
  it('answers only the rest of the scripted text, so prefill and answer make the uncut text', async () => {
    const server = await start([textReply(TEXT, { chunkSize: 3 })]);
    const frames = parseFrames(await (await post(server, withPrefill('The quick bro'))).text());
    expect(textOf(frames)).toBe('wn fox jumps over the lazy dog.');
    expect(frames.filter((frame) => frame.event === 'content_block_start')).toHaveLength(1);
  });

  it('takes the prefill from text blocks as well, and answers a non-streaming request the same way', async () => {
    const server = await start([textReply(TEXT)]);
    const body = { ...params, messages: [...params.messages, { role: 'assistant', content: [{ type: 'text', text: 'The quick brown fox' }] }] };
    const message = (await (await post(server, body)).json()) as { content: unknown[] };
    expect(message.content).toEqual([{ type: 'text', text: ' jumps over the lazy dog.' }]);
  });

  it('continues across blocks: a prefill that covers the first text block goes on in the second', async () => {
    const server = await start([messageReply({ content: [{ type: 'text', text: 'One. ' }, { type: 'text', text: 'Two.' }] })]);
    const frames = parseFrames(await (await post(server, withPrefill('One. T'))).text());
    const starts = frames.filter((frame) => frame.event === 'content_block_start');
    expect(starts).toHaveLength(1);
    expect(textOf(frames)).toBe('wo.');
  });

  it('opens with the block that continues the prefill, empty when the prefill ends at its end', async () => {
    const server = await start([messageReply({ content: [{ type: 'text', text: 'One.' }, { type: 'text', text: 'Two.' }] })]);
    const frames = parseFrames(await (await post(server, withPrefill('One.'))).text());
    const blocks = frames.filter((frame) => frame.event === 'content_block_start').map((frame) => frame.data.index);
    expect(blocks).toEqual([0, 1]);
    expect(textOf(frames)).toBe('Two.');
  });

  it('counts the prefill as input and only the rest as output', async () => {
    const server = await start([textReply(TEXT), textReply(TEXT)]);
    const plain = parseFrames(await (await post(server, streamParams)).text());
    const continued = parseFrames(await (await post(server, withPrefill(TEXT.slice(0, 20)))).text());
    const usage = (frames: typeof plain) => ({
      input: ((frames[0]?.data.message as { usage: { input_tokens: number } }).usage.input_tokens),
      output: (frames.at(-2)?.data.usage as { output_tokens: number }).output_tokens,
    });
    expect(usage(plain)).toEqual({ input: 2, output: Math.ceil(TEXT.length / 4) });
    expect(usage(continued)).toEqual({ input: 2 + 5, output: Math.ceil((TEXT.length - 20) / 4) });
  });

  it('answers the whole script when the prefill is not a prefix of its text', async () => {
    const server = await start([textReply(TEXT)]);
    const frames = parseFrames(await (await post(server, withPrefill('A slow red fox'))).text());
    expect(textOf(frames)).toBe(TEXT);
  });

  it('refusePrefill answers a request with a prefill with the API 400, and one without it with the turn', async () => {
    const turn = { ...textReply(TEXT), refusePrefill: true };
    const server = await start([turn, turn]);
    const refused = await post(server, withPrefill('The quick'));
    expect(refused.status).toBe(400);
    expect(await refused.json()).toMatchObject({ type: 'error', error: { type: 'invalid_request_error', message: PREFILL_REFUSAL } });
    expect(textOf(parseFrames(await (await post(server, streamParams)).text()))).toBe(TEXT);
  });
});
