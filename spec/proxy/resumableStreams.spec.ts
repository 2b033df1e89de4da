import type { IncomingMessage } from 'node:http';
import { memoryStreamStore } from 'rx-anthropic/proxy';
import { textReply, type MockTurn } from 'rx-anthropic/testing';
import { sleep, waitFor, within } from './support/attackHarness';
import { params, post, useProxy } from './support/proxyHarness';
import { cutStream, framesOf, idsOf, resume, seeded, stop, wholeFrames, wholeStream } from './support/streamHarness';

/** The same bytes for every request (a fixed message id), in pieces that cut events (`splitBytes`), a little apart. */
const STEADY: MockTurn = { ...textReply('The quick brown fox jumps over the lazy dog. '.repeat(4), { id: 'msg_fixed', chunkSize: 5, chunkDelayMs: 2 }), splitBytes: 97 };
/** About 1.5 s of events, 40 ms apart: long enough to cut, resume, or stop before its end. */
const SLOW: MockTurn = textReply('slow '.repeat(40), { id: 'msg_slow', chunkSize: 5, chunkDelayMs: 40 });

const byUser = (request: IncomingMessage) => {
  const user = request.headers['x-user'];
  return typeof user === 'string' && user !== '' ? { user } : false;
};

describe('resumable streams in memory (the default streamStore)', () => {
  const { start } = useProxy('node:http');

  it('names each stream with an unguessable x-stream-id and numbers every frame 1, 2, 3…; without the id lines the bytes are the API’s', async () => {
    const { proxy } = await start(() => STEADY);
    const answers = [await wholeStream(proxy.url), await wholeStream(proxy.url)];
    const ids = answers.map((answer) => answer.headers.get('x-stream-id'));
    for (const id of ids) expect(id).toMatch(/^strm_[A-Za-z0-9_-]{22}$/);
    expect(ids[0]).not.toBe(ids[1]);
    const text = answers[0]?.text ?? '';
    const frames = framesOf(text);
    expect(frames.length).toBeGreaterThan(20);
    frames.forEach((frame, index) => expect(frame.startsWith(`id: ${index + 1}\n`)).toBe(true));
    const { proxy: plain } = await start(() => STEADY, { streamStore: false });
    const unnumbered = await wholeStream(plain.url);
    expect(unnumbered.headers.get('x-stream-id')).toBeNull();
    expect(text.replace(/^id: \d+\n/gm, '')).toBe(unnumbered.text);
  });

  it('resumes after 20 cuts at seeded random bytes: the frames received whole and the resume are the uncut stream, byte for byte', async () => {
    const { proxy } = await start(() => STEADY);
    const reference = (await wholeStream(proxy.url)).text;
    const random = seeded(20_260_521);
    for (let cut = 0; cut < 20; cut += 1) {
      const cutAt = 1 + Math.floor(random() * (Buffer.byteLength(reference) - 2));
      const dropped = await cutStream(proxy.url, cutAt);
      expect(dropped.status).toBe(200);
      const kept = wholeFrames(dropped.received);
      const rest = await resume(proxy.url, dropped.id, kept.lastId);
      expect({ cutAt, status: rest.status }).toEqual({ cutAt, status: 200 });
      expect(rest.headers.get('x-stream-id')).toBe(dropped.id);
      expect(rest.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
      expect(kept.text + rest.text).toBe(reference);
    }
  });

  it('resumes from the first event without Last-Event-ID', async () => {
    const { proxy } = await start(() => STEADY);
    const reference = (await wholeStream(proxy.url)).text;
    const dropped = await cutStream(proxy.url, 200);
    expect((await resume(proxy.url, dropped.id, undefined)).text).toBe(reference);
  });

  it('a resume before the end goes live: its first frames come while the upstream is still answering, and it ends with the stream', async () => {
    const { proxy, mock } = await start([SLOW]);
    const dropped = await cutStream(proxy.url, 600);
    const kept = wholeFrames(dropped.received);
    expect(kept.lastId).toBeGreaterThan(0);
    const upstream = await mock.waitForRequest(0);
    const response = await fetch(`${proxy.url}/api/streams/${dropped.id}`, { headers: { 'last-event-id': String(kept.lastId) }, signal: AbortSignal.timeout(5_000) });
    const reader = response.body!.getReader();
    const first = await within(reader.read(), 2_000, 'the first frames of the resume');
    expect(upstream.completed).toBe(false);
    let text = Buffer.from(first.value ?? []).toString('utf8');
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) text += Buffer.from(chunk.value).toString('utf8');
    expect(upstream.completed).toBe(true);
    expect(idsOf(kept.text + text)).toEqual(Array.from({ length: idsOf(kept.text + text).length }, (_, index) => index + 1));
    expect(text.trimEnd().endsWith('event: message_stop\ndata: {"type":"message_stop"}')).toBe(true);
  });

  it('DELETE stops the stream: 204, the upstream request is aborted, and the browser’s stream ends', async () => {
    const { proxy, mock } = await start([SLOW]);
    const response = await post(proxy, '/api/messages', params);
    const id = response.headers.get('x-stream-id') ?? '';
    const body = response.text();
    const upstream = await mock.waitForRequest(0);
    const stopped = await stop(proxy.url, id);
    expect(stopped.status).toBe(204);
    expect(stopped.text).toBe('');
    await within(upstream.closed, 2_000, 'the upstream request to close after the DELETE');
    expect(upstream.abortedByClient).toBe(true);
    expect(upstream.completed).toBe(false);
    expect(idsOf(await within(body, 2_000, 'the browser’s stream to end')).length).toBeGreaterThan(0);
    // A resume after the stop gives what came before it, and ends.
    expect((await resume(proxy.url, id, 0)).status).toBe(200);
  });

  it('a browser that drops without DELETE leaves the upstream running to its end, and can take the whole stream afterwards', async () => {
    const { proxy, mock } = await start([SLOW]);
    const dropped = await cutStream(proxy.url, 300);
    const upstream = await mock.waitForRequest(0);
    await within(upstream.closed, 4_000, 'the upstream answer to end');
    expect(upstream.completed).toBe(true);
    expect(upstream.abortedByClient).toBe(false);
    const whole = await resume(proxy.url, dropped.id, 0);
    expect(idsOf(whole.text)).toEqual(Array.from({ length: framesOf(whole.text).length }, (_, index) => index + 1));
    expect(whole.text.startsWith(wholeFrames(dropped.received).text)).toBe(true);
  });

  it('answers the same 404 for an unknown id, an expired one and another user’s, and stops nothing of another user’s', async () => {
    const { proxy, mock } = await start([textReply('quick', { id: 'msg_q' }), SLOW], { authorize: byUser, streamStore: memoryStreamStore({ ttlMs: 100 }) });
    const expired = await wholeStream(proxy.url, { 'x-user': 'u1' });
    const live = await cutStream(proxy.url, 100, { 'x-user': 'u1' });
    await sleep(250);
    const answers = [
      await resume(proxy.url, live.id, 0, { 'x-user': 'u2' }),
      await resume(proxy.url, expired.headers.get('x-stream-id') ?? '', 0, { 'x-user': 'u1' }),
      await resume(proxy.url, 'strm_AAAAAAAAAAAAAAAAAAAAAA', 0, { 'x-user': 'u1' }),
      await stop(proxy.url, live.id, { 'x-user': 'u2' }),
      await stop(proxy.url, 'strm_AAAAAAAAAAAAAAAAAAAAAA', { 'x-user': 'u1' }),
    ];
    const [first] = answers;
    expect(first?.status).toBe(404);
    expect(JSON.parse(first?.text ?? '')).toEqual({ type: 'error', error: { type: 'not_found_error', message: expect.any(String) } });
    for (const answer of answers) expect({ status: answer.status, text: answer.text }).toEqual({ status: first?.status, text: first?.text });
    // Its owner still reads it: from the start, then live to its end (read while it runs, not after: it is forgotten ttlMs after its end).
    const owners = resume(proxy.url, live.id, 0, { 'x-user': 'u1' });
    const upstream = await mock.waitForRequest(1);
    await within(upstream.closed, 4_000, 'the other user’s upstream answer to end');
    expect(upstream.completed).toBe(true);
    expect(upstream.abortedByClient).toBe(false);
    const read = await owners;
    expect(read.status).toBe(200);
    expect(read.text.endsWith('event: message_stop\ndata: {"type":"message_stop"}\n\n')).toBe(true);
  });

  it('refuses a Last-Event-ID that is not a whole number with 400', async () => {
    const { proxy } = await start([textReply('quick')]);
    const id = (await wholeStream(proxy.url)).headers.get('x-stream-id') ?? '';
    for (const value of ['-1', '1.5', 'abc', '1e3', '99999999999999999999']) {
      const answer = await fetch(`${proxy.url}/api/streams/${id}`, { headers: { 'last-event-id': value } });
      expect({ value, status: answer.status }).toEqual({ value, status: 400 });
      expect(((await answer.json()) as { error: { type: string } }).error.type).toBe('invalid_request_error');
    }
  });

  it('streamStore: false keeps the relay as it was: no x-stream-id, no ids, no stream routes, and a drop aborts upstream', async () => {
    const { proxy, mock } = await start([SLOW], { streamStore: false });
    const dropped = await cutStream(proxy.url, 300);
    expect(dropped.headers['x-stream-id']).toBeUndefined();
    expect(dropped.received).not.toMatch(/^id: /m);
    const upstream = await mock.waitForRequest(0);
    await within(upstream.closed, 2_000, 'the upstream request to be aborted');
    expect(upstream.abortedByClient).toBe(true);
    for (const method of ['GET', 'DELETE']) {
      const answer = await fetch(`${proxy.url}/api/streams/strm_AAAAAAAAAAAAAAAAAAAAAA`, { method });
      expect(answer.status).toBe(404);
      expect(await answer.text()).toContain('No route for');
    }
  });

  it('a stream past maxStreamBytes is not kept: its browser still gets all of it, a resume answers 404', async () => {
    const { proxy } = await start(() => STEADY, { streamStore: memoryStreamStore({ maxStreamBytes: 1_500 }) });
    const whole = await wholeStream(proxy.url);
    expect(Buffer.byteLength(whole.text)).toBeGreaterThan(1_500);
    expect(idsOf(whole.text)).toEqual(Array.from({ length: framesOf(whole.text).length }, (_, index) => index + 1));
    expect((await resume(proxy.url, whole.headers.get('x-stream-id') ?? '', 0)).status).toBe(404);
  });

  it('a stream that cannot be kept is stopped upstream when its browser drops: nobody could resume it', async () => {
    const { proxy, mock } = await start([SLOW], { streamStore: memoryStreamStore({ maxStreamBytes: 1_200 }) });
    const dropped = await cutStream(proxy.url, 1_500);
    const upstream = await mock.waitForRequest(0);
    await within(upstream.closed, 2_000, 'the upstream request to be aborted');
    expect(upstream.abortedByClient).toBe(true);
    expect((await resume(proxy.url, dropped.id, 0)).status).toBe(404);
  });

  it('forgets a stream ttlMs after its end', async () => {
    const { proxy } = await start([textReply('quick')], { streamStore: memoryStreamStore({ ttlMs: 150 }) });
    const id = (await wholeStream(proxy.url)).headers.get('x-stream-id') ?? '';
    expect((await resume(proxy.url, id, 0)).status).toBe(200);
    await sleep(300);
    expect((await resume(proxy.url, id, 0)).status).toBe(404);
  });

  it('numbers the relay’s own error frame after the API’s, and a resume gives it too', async () => {
    const { proxy } = await start([{ ...textReply('cut short '.repeat(20), { chunkSize: 4 }), cutAfterBytes: 600 }], { onError: () => undefined });
    const whole = await wholeStream(proxy.url);
    const frames = framesOf(whole.text);
    expect(frames[frames.length - 1]).toMatch(new RegExp(`^id: ${frames.length}\\nevent: error\\n`));
    expect((await resume(proxy.url, whole.headers.get('x-stream-id') ?? '', frames.length - 1)).text).toBe(frames[frames.length - 1]);
  });

  it('closing the proxy server stops the streams whose browser has left', async () => {
    const { proxy, mock } = await start([SLOW]);
    await cutStream(proxy.url, 300);
    const upstream = await mock.waitForRequest(0);
    await sleep(50);
    expect(upstream.completed).toBe(false);
    await proxy.close();
    await within(upstream.closed, 2_000, 'the upstream request to be aborted on close');
    expect(upstream.abortedByClient).toBe(true);
  });

  it('holds the user’s place until the upstream answer is over, browser or not (perUser.maxConcurrentRequests)', async () => {
    const { proxy, mock } = await start([SLOW, textReply('second')], { authorize: byUser, perUser: { maxConcurrentRequests: 1 } });
    const dropped = await cutStream(proxy.url, 300, { 'x-user': 'u1' });
    expect(dropped.status).toBe(200);
    expect((await wholeStream(proxy.url, { 'x-user': 'u1' })).status).toBe(429);
    await stop(proxy.url, dropped.id, { 'x-user': 'u1' });
    await waitFor(() => mock.requests[0]?.abortedByClient === true, 'the upstream request to be aborted');
    await sleep(50);
    expect((await wholeStream(proxy.url, { 'x-user': 'u1' })).status).toBe(200);
  });
});
