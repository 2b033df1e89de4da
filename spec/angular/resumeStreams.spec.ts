// First: it loads @angular/compiler, which Angular's packages need before they load.
import { configureTestBed } from './support/angularTestBed';
import { HttpEventType, HttpHeaderResponse, HttpHeaders, provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting, type TestRequest } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { injectChatStore, provideAnthropic, type ChatStore } from 'rx-anthropic/angular';
import { sseFrames } from './support/sseReply';

/**
 * `provideAnthropic({ resumeStreams: true })` reaches the client it builds: a chat store's reply
 * that drops mid-stream is resumed from the relay (`GET /streams/{id}`, through the app's
 * `HttpClient` like every request), and a reply left early is stopped there (`DELETE`).
 */

const API = 'https://proxy.test/api';
const REPLY = 'A relay keeps the stream, so a dropped connection can pick it up where it broke off.';
/** The reply as a relay with resumable streams sends it: each frame numbered. */
const frames = sseFrames({ content: [{ type: 'text', text: REPLY }] }).map((frame, index) => `id: ${index + 1}\n${frame}`);
const STREAM_HEADERS = new HttpHeaders({ 'content-type': 'text/event-stream', 'x-stream-id': 'st_1' });

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

function setUp(resumeStreams: boolean | undefined): { chat: ChatStore; httpTesting: HttpTestingController } {
  const options = { baseURL: API, apiKey: null, maxRetries: 0, params: { model: 'claude-sonnet-4-6', max_tokens: 256 }, ...(resumeStreams === undefined ? {} : { resumeStreams }) };
  configureTestBed([provideHttpClient(), provideHttpClientTesting(), provideAnthropic(options)]);
  return { chat: TestBed.runInInjectionContext(() => injectChatStore()), httpTesting: TestBed.inject(HttpTestingController) };
}

/** Answers the POST with the first `count` frames and half of the next, as a relay does. */
async function beginReply(request: TestRequest, count: number): Promise<void> {
  request.event(new HttpHeaderResponse({ status: 200, headers: STREAM_HEADERS }));
  const next = frames[count]!;
  const text = frames.slice(0, count).join('') + next.slice(0, next.length / 2);
  request.event({ type: HttpEventType.DownloadProgress, loaded: text.length, partialText: text });
  await settle();
}

/** Waits (at most 2 s of real time: a first resume waits 375 to 500 ms) for one request that `match` finds. */
async function awaitRequest(httpTesting: HttpTestingController, match: { method: string; url: string }): Promise<TestRequest> {
  const deadline = Date.now() + 2_000;
  for (;;) {
    const found = httpTesting.match(match);
    if (found.length > 0 || Date.now() > deadline) {
      expect(found).toHaveLength(1);
      return found[0]!;
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('provideAnthropic({ resumeStreams })', () => {
  afterEach(() => TestBed.inject(HttpTestingController).verify());

  it('resumes a chat store’s reply that drops mid-stream: the same text, whole, once', async () => {
    const { chat, httpTesting } = setUp(true);
    chat.send('How do relays work?');
    const post = httpTesting.expectOne(`${API}/v1/messages`);
    await beginReply(post, 5);
    const partial = chat.text();
    expect(partial.length).toBeGreaterThan(0);
    // The connection drops: HttpClient errors with status 0, as for a network failure.
    post.error({ type: 'error' } as ProgressEvent);
    await settle();
    expect(chat.status()).toBe('streaming');

    const resume = await awaitRequest(httpTesting, { method: 'GET', url: `${API}/streams/st_1` });
    expect(resume.request.headers.get('last-event-id')).toBe('5');
    // A relay that sends an event the client had already: dropped, not repeated.
    resume.flush(frames.slice(4).join(''), { headers: { 'content-type': 'text/event-stream' } });
    await settle();
    await settle();

    expect(chat.status()).toBe('done');
    expect(chat.text()).toBe(REPLY);
    expect(chat.messages()).toEqual([
      { role: 'user', content: 'How do relays work?' },
      { role: 'assistant', content: [{ type: 'text', text: REPLY }] },
    ]);
  });

  it('without it, the drop fails the reply, and the relay is told to stop the stream', async () => {
    const { chat, httpTesting } = setUp(undefined);
    chat.send('How do relays work?');
    const post = httpTesting.expectOne(`${API}/v1/messages`);
    await beginReply(post, 5);
    post.error({ type: 'error' } as ProgressEvent);
    await settle();
    expect(chat.status()).toBe('error');
    httpTesting.expectOne({ method: 'DELETE', url: `${API}/streams/st_1` }).flush(null, { status: 204, statusText: 'No Content' });
    // Longer than a first resume's wait: no GET comes (verify() would find it).
    await new Promise((resolve) => setTimeout(resolve, 600));
    httpTesting.expectNone({ method: 'GET', url: `${API}/streams/st_1` });
  });

  it('stop() sends DELETE /streams/{id} through HttpClient, and a finished reply sends none', async () => {
    const { chat, httpTesting } = setUp(true);
    chat.send('Tell me a long story');
    const post = httpTesting.expectOne(`${API}/v1/messages`);
    await beginReply(post, 4);
    chat.stop();
    expect(post.cancelled).toBe(true);
    expect(chat.status()).toBe('stopped');
    const stop = httpTesting.expectOne({ method: 'DELETE', url: `${API}/streams/st_1` });
    expect(stop.request.body).toBeNull();
    stop.flush(null, { status: 204, statusText: 'No Content' });

    chat.send('And a short one');
    httpTesting.expectOne(`${API}/v1/messages`).flush(frames.join(''), { headers: { 'content-type': 'text/event-stream', 'x-stream-id': 'st_2' } });
    await settle();
    expect(chat.status()).toBe('done');
    httpTesting.expectNone({ method: 'DELETE' });
  });
});
