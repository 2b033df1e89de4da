// First: it loads @angular/compiler, which Angular's packages need before they load.
import { configureTestBed } from './support/angularTestBed';
import { HttpEventType, HttpHeaderResponse, HttpHeaders, provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting, type TestRequest } from '@angular/common/http/testing';
import { createEnvironmentInjector, EnvironmentInjector } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import * as t from 'io-ts';
import { AnthropicError, defineTool, InvalidArgumentError, OverloadedError, type ToolLoopEvent } from 'rx-anthropic';
import { injectChatStore, messageText, provideAnthropic, type ChatStatus, type ChatStore, type ChatStoreOptions } from 'rx-anthropic/angular';
import { REPLY_USAGE, sseFrames, textSSE } from './support/sseReply';

/**
 * The chat store, driven from the user's side: send prompts, watch the signals while
 * `HttpTestingController` answers piece by piece, stop, retry, run tools, destroy the injector.
 */

const URL = 'https://proxy.test/api/v1/messages';
const PARAMS = { model: 'claude-sonnet-4-6', max_tokens: 256 };

/** Lets the response body's promises and the client's reads run. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

function setUp(options: ChatStoreOptions = {}): { chat: ChatStore; httpTesting: HttpTestingController } {
  configureTestBed([provideHttpClient(), provideHttpClientTesting(), provideAnthropic({ baseURL: 'https://proxy.test/api', apiKey: null, maxRetries: 0, params: PARAMS })]);
  return { chat: TestBed.runInInjectionContext(() => injectChatStore(options)), httpTesting: TestBed.inject(HttpTestingController) };
}

/** Answers a request with `body` in `pieces` progress events, reading the store after each; answers what was read. */
async function streamInPieces<T>(request: TestRequest, body: string, pieces: number, read: () => T): Promise<T[]> {
  request.event(new HttpHeaderResponse({ status: 200, headers: new HttpHeaders({ 'content-type': 'text/event-stream' }) }));
  const seen: T[] = [];
  for (let piece = 1; piece <= pieces; piece += 1) {
    const end = Math.round((body.length * piece) / pieces);
    request.event({ type: HttpEventType.DownloadProgress, loaded: end, partialText: body.slice(0, end) });
    await settle();
    seen.push(read());
  }
  return seen;
}

/** A reply's body up to the end of its text block: still streaming. */
const unfinished = (body: string): string => body.slice(0, body.indexOf('content_block_stop'));

const sentMessages = (request: TestRequest): unknown => (JSON.parse(request.request.body as string) as { messages: unknown }).messages;

describe('injectChatStore', () => {
  // Inside the describe: its afterEach runs before TestBed's own reset of the module.
  afterEach(() => TestBed.inject(HttpTestingController).verify());

  it('streams a reply into the signals: status, growing text, then the finished reply in messages and the usage', async () => {
    const { chat, httpTesting } = setUp();
    expect(chat.status()).toBe('idle');
    chat.send('Tell me about streams');
    expect(chat.status()).toBe('streaming');
    expect(chat.busy()).toBe(true);
    expect(chat.messages()).toEqual([{ role: 'user', content: 'Tell me about streams' }]);

    const request = httpTesting.expectOne(URL);
    expect(JSON.parse(request.request.body as string)).toMatchObject({ ...PARAMS, stream: true, messages: [{ role: 'user', content: 'Tell me about streams' }] });
    const reply = 'Streams carry values one after another, until they complete.';
    const body = textSSE(reply);
    // The pieces stop before the end of the text block; the flush brings the rest.
    const texts = await streamInPieces(request, unfinished(body), 6, () => chat.text());
    // The text grows with the pieces: each reading a prefix of the next, several of them different.
    texts.slice(1).forEach((text, index) => expect(text.startsWith(texts[index]!)).toBe(true));
    expect(new Set(texts).size).toBeGreaterThan(2);
    expect(reply.startsWith(texts[texts.length - 1]!)).toBe(true);
    request.flush(body);
    await settle();

    expect(chat.status()).toBe('done');
    expect(chat.busy()).toBe(false);
    expect(chat.text()).toBe(reply);
    expect(chat.messages().map((message) => [message.role, messageText(message)])).toEqual([
      ['user', 'Tell me about streams'],
      ['assistant', reply],
    ]);
    expect(chat.usage()).toEqual({ inputTokens: REPLY_USAGE.input_tokens, outputTokens: REPLY_USAGE.output_tokens, cacheCreationInputTokens: 0, cacheReadInputTokens: 0, messages: 1 });
  });

  it('sends the history with the next prompt, and adds up the usage of both replies', async () => {
    const { chat, httpTesting } = setUp({ prices: { input: 3, output: 15 } });
    chat.send('First');
    httpTesting.expectOne(URL).flush(textSSE('One.'));
    await settle();
    chat.send('Second');
    const second = httpTesting.expectOne(URL);
    expect(sentMessages(second)).toEqual([
      { role: 'user', content: 'First' },
      { role: 'assistant', content: [{ type: 'text', text: 'One.' }] },
      { role: 'user', content: 'Second' },
    ]);
    second.flush(textSSE('Two.'));
    await settle();
    expect(chat.messages().map(messageText)).toEqual(['First', 'One.', 'Second', 'Two.']);
    expect(chat.usage()).toMatchObject({ inputTokens: 24, outputTokens: 18, messages: 2 });
    expect(chat.usage().cost).toBeCloseTo((24 * 3 + 18 * 15) / 1e6, 12);
  });

  it('stop() aborts the request and keeps the text so far in the conversation', async () => {
    const { chat, httpTesting } = setUp();
    chat.send('Write a long story');
    const request = httpTesting.expectOne(URL);
    await streamInPieces(request, unfinished(textSSE('Once upon a time there was a stream that never ended.')), 2, () => undefined);
    const partial = chat.text();
    expect(partial.length).toBeGreaterThan(0);
    chat.stop();
    expect(request.cancelled).toBe(true);
    expect(chat.status()).toBe('stopped');
    expect(chat.text()).toBe(partial);
    expect(chat.messages()).toEqual([
      { role: 'user', content: 'Write a long story' },
      { role: 'assistant', content: [{ type: 'text', text: partial }] },
    ]);
    chat.stop(); // nothing streams: nothing happens
    expect(chat.status()).toBe('stopped');
  });

  it('send() while a reply streams stops it first, then sends the new prompt after its text', async () => {
    const { chat, httpTesting } = setUp();
    chat.send('First question');
    const first = httpTesting.expectOne(URL);
    await streamInPieces(first, unfinished(textSSE('A first answer that is cut short by the next question.')), 2, () => undefined);
    expect(chat.text().length).toBeGreaterThan(0);
    const partial = chat.text();
    chat.send('Actually, another question');
    expect(first.cancelled).toBe(true);
    const second = httpTesting.expectOne(URL);
    expect(sentMessages(second)).toEqual([
      { role: 'user', content: 'First question' },
      { role: 'assistant', content: [{ type: 'text', text: partial }] },
      { role: 'user', content: 'Actually, another question' },
    ]);
    expect(chat.status()).toBe('streaming');
    second.flush(textSSE('Sure.'));
    await settle();
    expect(chat.status()).toBe('done');
  });

  it('an error status sets status and error to the typed error; retry() sends the last prompt again', async () => {
    const { chat, httpTesting } = setUp();
    chat.send('Hello?');
    httpTesting.expectOne(URL).flush({ type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } }, { status: 529, statusText: 'Overloaded' });
    await settle();
    expect(chat.status()).toBe('error');
    expect(chat.error()).toBeInstanceOf(OverloadedError);
    expect(chat.messages()).toEqual([{ role: 'user', content: 'Hello?' }]);

    chat.retry();
    expect(chat.error()).toBeUndefined();
    const again = httpTesting.expectOne(URL);
    expect(sentMessages(again)).toEqual([{ role: 'user', content: 'Hello?' }]);
    again.flush(textSSE('Hello!'));
    await settle();
    expect(chat.status()).toBe('done');
    expect(chat.messages().map(messageText)).toEqual(['Hello?', 'Hello!']);

    // A finished reply can be asked for again too: the turns after the prompt go.
    chat.retry();
    expect(sentMessages(httpTesting.expectOne(URL))).toEqual([{ role: 'user', content: 'Hello?' }]);
    chat.stop();
  });

  it('runs the tool loop with tools: the tool runs, its result is sent, every turn joins the conversation', async () => {
    const cities: string[] = [];
    const getWeather = defineTool({
      name: 'get_weather',
      description: 'The weather of a city',
      input: t.type({ city: t.string }),
      run: ({ city }) => {
        cities.push(city);
        return `18°C and sunny in ${city}`;
      },
    });
    const { chat, httpTesting } = setUp({ tools: [getWeather], loop: { maxIterations: 3 } });
    const events: ToolLoopEvent[] = [];
    chat.events$.subscribe((event) => events.push(event));

    chat.send('Weather in Paris?');
    // The tool loop's code loads at its first use (a chunk of its own in an app): a tick before its first request.
    await settle();
    const first = httpTesting.expectOne(URL);
    expect(JSON.parse(first.request.body as string)).toMatchObject({ tools: [{ name: 'get_weather' }] });
    const toolTurn = sseFrames({
      id: 'msg_tool',
      content: [
        { type: 'text', text: 'Let me check.' },
        { type: 'tool_use', id: 'toolu_1', name: 'get_weather', input: { city: 'Paris' } },
      ],
      stop_reason: 'tool_use',
    }).join('');
    first.flush(toolTurn);
    await settle();
    await settle();
    expect(cities).toEqual(['Paris']);
    expect(chat.status()).toBe('streaming');

    const second = httpTesting.expectOne(URL);
    expect(sentMessages(second)).toEqual([
      { role: 'user', content: 'Weather in Paris?' },
      { role: 'assistant', content: [{ type: 'text', text: 'Let me check.' }, { type: 'tool_use', id: 'toolu_1', name: 'get_weather', input: { city: 'Paris' } }] },
      { role: 'user', content: [expect.objectContaining({ type: 'tool_result', tool_use_id: 'toolu_1', content: '18°C and sunny in Paris' })] },
    ]);
    // While the second turn streams, the first turn and the tool result are in messages already.
    expect(chat.messages().length).toBe(3);
    expect(chat.text()).toBe('');
    second.flush(textSSE('It is 18°C and sunny in Paris.', 'msg_final'));
    await settle();

    expect(chat.status()).toBe('done');
    expect(chat.text()).toBe('It is 18°C and sunny in Paris.');
    expect(chat.messages().map((message) => message.role)).toEqual(['user', 'assistant', 'user', 'assistant']);
    expect(messageText(chat.messages()[3]!)).toBe('It is 18°C and sunny in Paris.');
    expect(events.map((event) => event.type)).toEqual(expect.arrayContaining(['tool_result', 'tool_loop_end']));
    expect(chat.usage().messages).toBe(2);
  });

  it('stop() while a tool runs aborts the tool, and leaves a conversation the API accepts', async () => {
    let toolSignal: AbortSignal | undefined;
    const slowSearch = defineTool({
      name: 'search',
      description: 'Searches for a long time',
      input: t.type({ q: t.string }),
      run: (_input, { signal }) => {
        toolSignal = signal;
        return new Promise<string>(() => undefined);
      },
    });
    const { chat, httpTesting } = setUp({ tools: [slowSearch] });
    chat.send('Search for rx');
    // The tool loop's code loads at its first use (a chunk of its own in an app): a tick before its first request.
    await settle();
    httpTesting.expectOne(URL).flush(
      sseFrames({ content: [{ type: 'text', text: 'Searching.' }, { type: 'tool_use', id: 'toolu_9', name: 'search', input: { q: 'rx' } }], stop_reason: 'tool_use' }).join(''),
    );
    await settle();
    expect(toolSignal?.aborted).toBe(false);
    expect(chat.busy()).toBe(true);
    chat.stop();
    expect(toolSignal?.aborted).toBe(true);
    expect(chat.status()).toBe('stopped');
    // The tool use that never got its result is gone; the turn's text stays.
    expect(chat.messages()).toEqual([
      { role: 'user', content: 'Search for rx' },
      { role: 'assistant', content: [{ type: 'text', text: 'Searching.' }] },
    ]);
  });

  it('passes the loop options through to the tool loop', async () => {
    const echo = defineTool({ name: 'echo', description: 'Echoes', input: t.type({ text: t.string }), run: ({ text }) => text });
    const { chat, httpTesting } = setUp({ tools: [echo], loop: { maxIterations: 1 } });
    const ends: unknown[] = [];
    chat.events$.subscribe((event) => event.type === 'tool_loop_end' && ends.push(event.stop_reason));
    chat.send('Echo hi');
    // The tool loop's code loads at its first use (a chunk of its own in an app): a tick before its first request.
    await settle();
    httpTesting.expectOne(URL).flush(sseFrames({ content: [{ type: 'tool_use', id: 'toolu_1', name: 'echo', input: { text: 'hi' } }], stop_reason: 'tool_use' }).join(''));
    await settle();
    await settle();
    // One request allowed: the tool ran, and the loop ended without a second request.
    expect(ends).toEqual(['max_iterations']);
    expect(chat.status()).toBe('done');
    httpTesting.expectNone(URL);
  });

  it('is destroyed with its injector: the request in flight is aborted, the Observables complete, send() then throws', async () => {
    configureTestBed([provideHttpClient(), provideHttpClientTesting(), provideAnthropic({ baseURL: 'https://proxy.test/api', apiKey: null, params: PARAMS })]);
    const feature = createEnvironmentInjector([], TestBed.inject(EnvironmentInjector));
    const chat = injectChatStore({ injector: feature });
    let eventsCompleted = false;
    let statusCompleted = false;
    chat.events$.subscribe({ complete: () => (eventsCompleted = true) });
    chat.status$.subscribe({ complete: () => (statusCompleted = true) });
    chat.send('Hi');
    const request = TestBed.inject(HttpTestingController).expectOne(URL);
    feature.destroy();
    expect(request.cancelled).toBe(true);
    expect(chat.status()).toBe('stopped');
    expect(eventsCompleted).toBe(true);
    expect(statusCompleted).toBe(true);
    expect(() => chat.send('Anyone there?')).toThrow(AnthropicError);
    expect(() => chat.send('Anyone there?')).toThrow(/destroyed with its injector/);
  });

  it('exposes the signals as Observables, updated by zoneless change detection without a manual tick', async () => {
    const { chat, httpTesting } = setUp();
    const statuses: ChatStatus[] = [];
    const counts: number[] = [];
    chat.status$.subscribe((status) => statuses.push(status));
    chat.messages$.subscribe((messages) => counts.push(messages.length));
    await settle();
    chat.send('Hi');
    await settle();
    httpTesting.expectOne(URL).flush(textSSE('Hello.'));
    await settle();
    await settle();
    expect(statuses).toEqual(['idle', 'streaming', 'done']);
    expect(counts).toEqual([0, 1, 2]);
  });

  it('needs a model and a max_tokens, from its params or from provideAnthropic()', () => {
    configureTestBed([provideHttpClient(), provideHttpClientTesting(), provideAnthropic({ baseURL: 'https://proxy.test/api', apiKey: null })]);
    expect(() => TestBed.runInInjectionContext(() => injectChatStore())).toThrow(InvalidArgumentError);
    expect(() => TestBed.runInInjectionContext(() => injectChatStore({ params: { model: 'claude-haiku-4-5' } }))).toThrow(/has no max_tokens for its requests/);
    expect(TestBed.runInInjectionContext(() => injectChatStore({ params: PARAMS })).status()).toBe('idle');
  });

  it('refuses an empty prompt, and retry() before any prompt, saying why', () => {
    const { chat } = setUp();
    expect(() => chat.send('  ')).toThrow(/needs a prompt/);
    expect(() => chat.retry()).toThrow(/no prompt to send again/);
    expect(chat.status()).toBe('idle');
  });

  it('reset() stops any reply and starts over from the conversation given', async () => {
    const { chat, httpTesting } = setUp();
    chat.send('Hi');
    const request = httpTesting.expectOne(URL);
    chat.reset([{ role: 'user', content: 'Earlier' }, { role: 'assistant', content: 'Noted.' }]);
    expect(request.cancelled).toBe(true);
    expect(chat.status()).toBe('idle');
    expect(chat.messages().map(messageText)).toEqual(['Earlier', 'Noted.']);
  });
});
