/**
 * `resumeStreams` and `continueOnDrop` together, through a real relay (`rx-anthropic/proxy`, its
 * default in-memory stream store) in front of the mock API, over loopback. A TCP proxy between
 * the client and the relay (`faultProxy`) cuts the client's connection; the mock cuts the relay's.
 *
 * - The client's connection cut: the relay still holds the stream, so it is resumed there; nothing
 *   is continued, the API gets one request, and the consumer gets the uncut answer.
 * - The relay's connection to the API cut: the relay ends the client's stream with an `event: error`
 *   (`api_error`), which is the API's kind of error, not a drop: the client's `continueOnDrop` does
 *   not continue it, and the stream fails with it at once. `continueOnDrop` on the relay's own
 *   client (given without `streamBody`) continues it there, and the client gets one whole answer.
 * - A relay that keeps no streams: nothing to resume, so the client's `continueOnDrop` continues.
 */
import type { Observable } from 'rxjs';
import { createClient, InternalServerError, type ClientOptions, type MessageCreateParams, type RawMessageStreamEvent, type RecoveryEvent } from 'rx-anthropic';
import { createProxyServer, type ProxyClient, type ProxyOptions, type ProxyServer } from 'rx-anthropic/proxy';
import { createMockServer, textReply, type MockServer, type MockTurn } from 'rx-anthropic/testing';
import { faultProxy, type ConnectionPlan, type FaultProxy } from '../reliability/support/faultServers';
import { within } from '../reliability/support/guard';
import { captureUnhandledErrors } from '../support/unhandledErrors';

const TEXT = 'A stream through a relay is resumed there when the browser side drops, and continued only when it cannot be. '.repeat(3);
const params: MessageCreateParams = { model: 'claude-sonnet-4-6', max_tokens: 512, messages: [{ role: 'user', content: 'Tell me about relays.' }] };
/** The same bytes for every request (a fixed message id), a little apart: the upstream is still answering when the client resumes. */
const STEADY: MockTurn = { ...textReply(TEXT, { id: 'msg_fixed', chunkSize: 5 }), chunkDelayMs: 8 };
/** Bytes of the relay's response (its headers included) that reach the client before its connection is reset: well inside the body. */
const CLIENT_CUT_BYTES = 3_000;

/** Everything these specs start, closed after each test (the client side first). */
let open: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  for (const server of open.splice(0).reverse()) await server.close();
});

/**
 * The mock API answering `turns` in order (the last repeats), and a relay in front of it (which
 * answers to 127.0.0.1 on any port: the TCP proxy's too). `client` makes the relay's client.
 */
async function relayOf(turns: MockTurn[], options: Partial<ProxyOptions> = {}, client: (baseURL: string) => ProxyClient = relayClient): Promise<{ mock: MockServer; relay: ProxyServer }> {
  const mock = await createMockServer((_request, index) => turns[Math.min(index, turns.length - 1)] as MockTurn);
  open.push(mock);
  const relay = await createProxyServer({ client: client(mock.baseURL), authorize: 'anyone', allowedHosts: ['127.0.0.1'], onError: () => undefined, ...options });
  open.push(relay);
  return { mock, relay };
}

/** The relay's client: the server's key, no retries. */
const relayClient = (baseURL: string, options: ClientOptions = {}) => createClient({ apiKey: 'sk-ant-server-key', baseURL, maxRetries: 0, ...options });

/** A relay's client with `continueOnDrop`: its `streamBody()` then carries the recovered stream. */
const continuingRelayClient = (baseURL: string): ProxyClient => relayClient(baseURL, { continueOnDrop: 2 });

/** A TCP proxy in front of the relay playing `plans`, one per connection. */
async function cutting(relay: ProxyServer, plans: readonly ConnectionPlan[]): Promise<FaultProxy> {
  const proxy = await faultProxy(relay.url, plans);
  open.push(proxy);
  return proxy;
}

/** A browser-side client of the relay at `baseURL` with both options on, and the recoveries it reports. */
function browserClient(baseURL: string, options: ClientOptions = {}) {
  const reports: RecoveryEvent[] = [];
  const client = createClient({ baseURL: `${baseURL}/api`, apiKey: null, authToken: null, maxRetries: 0, resumeStreams: true, continueOnDrop: 2, onRecovery: (event) => reports.push(event), ...options });
  return { client, reports };
}

/** Every event of a stream and its error (if any); a stream that has not ended within 5 s fails the test as a hang. */
function outcome(source: Observable<RawMessageStreamEvent>): Promise<{ events: RawMessageStreamEvent[]; error: unknown }> {
  const events: RawMessageStreamEvent[] = [];
  const ended = new Promise<{ events: RawMessageStreamEvent[]; error: unknown }>((resolve) =>
    source.subscribe({ next: (event) => events.push(event), error: (error: unknown) => resolve({ events, error }), complete: () => resolve({ events, error: undefined }) }),
  );
  return within(ended, 5_000, 'the end of the stream');
}

const textOf = (events: readonly RawMessageStreamEvent[]): string =>
  events.map((event) => (event.type === 'content_block_delta' && event.delta.type === 'text_delta' ? event.delta.text : '')).join('');

const countOf = (events: readonly RawMessageStreamEvent[], type: RawMessageStreamEvent['type']): number => events.filter((event) => event.type === type).length;

const lastMessageOf = (body: unknown) => (body as MessageCreateParams).messages.at(-1);

describe('resumeStreams with continueOnDrop', () => {
  it('the client’s connection cut mid-stream: resumed from the relay, not continued; the API got one request, the answer is the uncut one', async () => {
    const { mock, relay } = await relayOf([STEADY]);
    const uncut = await outcome(browserClient(relay.url).client.messages.stream(params));
    expect(uncut.error).toBeUndefined();
    expect(textOf(uncut.events)).toBe(TEXT);
    expect(mock.requests).toHaveLength(1);

    const proxy = await cutting(relay, [{ kind: 'reset-response', afterBytes: CLIENT_CUT_BYTES }, { kind: 'pass' }]);
    const { client, reports } = browserClient(proxy.baseURL);
    const cut = await outcome(client.messages.stream(params));

    expect(cut.error).toBeUndefined();
    // A second connection to the relay, the resume: the first was reset.
    expect(proxy.connections()).toBe(2);
    // Nothing went upstream again: the uncut reference's request and this one's.
    expect(mock.requests).toHaveLength(2);
    expect(mock.requests[1]?.body).toEqual(mock.requests[0]?.body);
    expect(reports).toEqual([]);
    expect(JSON.stringify(cut.events)).toBe(JSON.stringify(uncut.events));
    expect(countOf(cut.events, 'message_start')).toBe(1);
    expect(countOf(cut.events, 'message_stop')).toBe(1);
  });

  it('the relay’s connection to the API cut mid-stream: the client’s stream fails at once with the relay’s api_error, not continued, after a valid start of the answer', async () => {
    const { mock, relay } = await relayOf([{ ...STEADY, cutAfterEvents: 20 }, STEADY]);
    const { client, reports } = browserClient(relay.url);

    const { events, error } = await outcome(client.messages.stream(params));

    expect(error).toBeInstanceOf(InternalServerError);
    expect(error).toMatchObject({ type: 'api_error', message: expect.stringContaining("The proxy's request to the API failed (APIConnectionError).") });
    // Not a drop to the client: neither resumed (the relay's stream ended with the error) nor continued.
    expect(reports).toEqual([]);
    expect(mock.requests).toHaveLength(1);
    // Every event the mock sent before its cut, each once: its 20 frames less the ping (message_start, the block's start, 17 deltas of 5 characters).
    expect(events.map((event) => event.type)).toEqual(['message_start', 'content_block_start', ...Array<string>(17).fill('content_block_delta')]);
    expect(textOf(events)).toBe(TEXT.slice(0, 17 * 5));
  });

  it('with continueOnDrop on the relay’s own client, the relay continues the cut upstream, and the client gets one whole answer', async () => {
    const { mock, relay } = await relayOf([{ ...STEADY, cutAfterEvents: 20 }, STEADY], {}, continuingRelayClient);
    const { client, reports } = browserClient(relay.url);

    const { events, error } = await outcome(client.messages.stream(params));

    expect(error).toBeUndefined();
    expect(textOf(events)).toBe(TEXT);
    expect(countOf(events, 'message_start')).toBe(1);
    expect(countOf(events, 'content_block_start')).toBe(1);
    expect(countOf(events, 'message_stop')).toBe(1);
    expect(mock.requests).toHaveLength(2);
    expect(lastMessageOf(mock.requests[1]?.body)).toEqual({ role: 'assistant', content: expect.any(String) });
    expect(TEXT.startsWith((lastMessageOf(mock.requests[1]?.body) as { content: string }).content)).toBe(true);
    // The client saw no drop of its own.
    expect(reports).toEqual([]);
  });

  it('a relay that keeps no streams: nothing to resume, so the client’s cut is continued with a second request upstream', async () => {
    const { mock, relay } = await relayOf([STEADY], { streamStore: false });
    const proxy = await cutting(relay, [{ kind: 'reset-response', afterBytes: CLIENT_CUT_BYTES }, { kind: 'pass' }]);
    const { client, reports } = browserClient(proxy.baseURL);

    const { events, error } = await outcome(client.messages.stream(params));

    expect(error).toBeUndefined();
    expect(textOf(events)).toBe(TEXT);
    expect(countOf(events, 'message_start')).toBe(1);
    expect(countOf(events, 'message_stop')).toBe(1);
    expect(reports).toEqual([expect.objectContaining({ kind: 'continuation', attempt: 1, retried: false })]);
    expect(mock.requests).toHaveLength(2);
    expect(lastMessageOf(mock.requests[1]?.body)).toEqual({ role: 'assistant', content: expect.any(String) });
  });
});

// The proxy's relay reports the upstream failure to its onError (silenced here); nothing may reach RxJS's unhandled errors.
const unhandled = captureUnhandledErrors();
afterEach(() => expect(unhandled.errors).toEqual([]));
