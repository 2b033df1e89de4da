/**
 * A recovery's listener that throws (`onRecovery`, or the trace's `recovery`), against the mock
 * server over loopback: the recovery goes on as if the listener had returned, the stream ends as
 * it would have (whole text, or the timeout's own error), and each error thrown is reported the
 * way RxJS reports one thrown by a subscriber's callback: later, to `config.onUnhandledError`.
 */
import { lastValueFrom, toArray, type Observable } from 'rxjs';
import {
  APITimeoutError,
  textDeltas,
  type MessageCreateParams,
  type RawMessageStreamEvent,
  type RecoveryEvent,
  type RequestTrace,
  type Telemetry,
} from 'rx-anthropic';
import { errorReply, refusalReply, textReply } from 'rx-anthropic/testing';
import { sleep, within } from '../reliability/support/guard';
import { captureUnhandledErrors } from '../support/unhandledErrors';
import { recoveringClients } from './support/recoveringClient';

const TEXT = 'A listener that throws must not stop the recovery it hears of: the continuation still goes out and the stream ends.';
const params: MessageCreateParams = { model: 'claude-sonnet-4-6', max_tokens: 256, messages: [{ role: 'user', content: 'Tell me about recovery.' }] };
const SECOND = 'claude-opus-4-5';

/** A server answering its requests with the turns given, in order, and a client on it; closed after each test. */
const setup = recoveringClients();

/** What a listener throws in these specs. */
class ListenerFailure extends Error {}

/** A listener that keeps each event it hears, then throws. */
function throwingListener(name: string): { listener: (event: RecoveryEvent) => void; heard: RecoveryEvent[] } {
  const heard: RecoveryEvent[] = [];
  const listener = (event: RecoveryEvent): void => {
    heard.push(event);
    throw new ListenerFailure(`${name} failed on ${event.kind}`);
  };
  return { listener, heard };
}

/** A telemetry whose request traces record nothing but call `recovery` with each recovery. */
function telemetryWith(recovery: (event: RecoveryEvent) => void): Telemetry {
  const trace: RequestTrace = { within: (work) => work(), end: () => undefined, recovery };
  return { startRequest: () => trace, startToolLoop: () => undefined };
}

const unhandled = captureUnhandledErrors();

/** The messages of the errors reported to `config.onUnhandledError`, once `count` have come (within 2 s), and none more after a pause. */
async function unhandledMessages(count: number): Promise<string[]> {
  const deadline = Date.now() + 2_000;
  while (unhandled.errors.length < count && Date.now() < deadline) await sleep(10);
  await sleep(30);
  expect(unhandled.errors.every((error) => error instanceof ListenerFailure)).toBe(true);
  return unhandled.errors.map((error) => (error as Error).message);
}

/** Every event of a stream, or its error; a stream that has not ended within `ms` fails the test as a hang. */
function ending<T>(source: Observable<T>, ms: number): Promise<{ values: T[]; error: unknown }> {
  const values: T[] = [];
  const ended = new Promise<{ values: T[]; error: unknown }>((resolve) =>
    source.subscribe({ next: (value) => values.push(value), error: (error: unknown) => resolve({ values, error }), complete: () => resolve({ values, error: undefined }) }),
  );
  return within(ended, ms, 'the end of the stream');
}

const textOf = (events: readonly RawMessageStreamEvent[]): string =>
  events.map((event) => (event.type === 'content_block_delta' && event.delta.type === 'text_delta' ? event.delta.text : '')).join('');

const countOf = (events: readonly RawMessageStreamEvent[], type: RawMessageStreamEvent['type']): number => events.filter((event) => event.type === type).length;

describe('an onRecovery that throws', () => {
  it('continueOnDrop: the continuation still goes out, the stream completes with its whole text, and the error reaches onUnhandledError', async () => {
    const { listener, heard } = throwingListener('onRecovery');
    const { server, client } = await setup([{ ...textReply(TEXT, { chunkSize: 5 }), cutAfterEvents: 9 }, textReply(TEXT, { chunkSize: 5 })], { continueOnDrop: 2, onRecovery: listener });

    const { values: events, error } = await ending(client.messages.stream(params), 5_000);

    expect(error).toBeUndefined();
    expect(textOf(events)).toBe(TEXT);
    expect(countOf(events, 'message_start')).toBe(1);
    expect(countOf(events, 'message_stop')).toBe(1);
    expect(server.requests).toHaveLength(2);
    expect(heard.map((event) => event.kind)).toEqual(['continuation']);
    expect(await unhandledMessages(1)).toEqual(['onRecovery failed on continuation']);
  });

  it('continueOnDrop after an idle timeout: both reports throw, the stalled request is still continued, and the stream completes', async () => {
    const { listener, heard } = throwingListener('onRecovery');
    const stalled = { ...textReply(TEXT, { chunkSize: 5 }), stallAfterEvents: 9 };
    const { server, client } = await setup([stalled, textReply(TEXT, { chunkSize: 5 })], { continueOnDrop: 1, timeout: { idleMs: 300 }, onRecovery: listener });

    const { values: events, error } = await ending(client.messages.stream(params), 5_000);

    expect(error).toBeUndefined();
    expect(textOf(events)).toBe(TEXT);
    expect(server.requests).toHaveLength(2);
    expect(heard.map((event) => event.kind)).toEqual(['timeout', 'continuation']);
    expect(await unhandledMessages(2)).toEqual(['onRecovery failed on timeout', 'onRecovery failed on continuation']);
  });

  it('fallback on overloaded: the next model still answers, and the error reaches onUnhandledError', async () => {
    const { listener, heard } = throwingListener('onRecovery');
    const { server, client } = await setup([errorReply(529), textReply('From the second model.')], { fallback: { models: [SECOND] }, onRecovery: listener });

    const { values: events, error } = await ending(client.messages.stream(params), 5_000);

    expect(error).toBeUndefined();
    expect(textOf(events)).toBe('From the second model.');
    expect(events[0]).toMatchObject({ type: 'message_start', message: { model: SECOND } });
    expect(server.requests.map((request) => (request.body as MessageCreateParams).model)).toEqual([params.model, SECOND]);
    expect(heard).toEqual([expect.objectContaining({ kind: 'fallback', reason: 'overloaded', to: SECOND })]);
    expect(await unhandledMessages(1)).toEqual(['onRecovery failed on fallback']);
  });

  it('fallback on refusal: the next model’s answer is still spliced in, one message, and the error reaches onUnhandledError', async () => {
    const { listener, heard } = throwingListener('onRecovery');
    const { client } = await setup([refusalReply('Solar eclipses are'), textReply(' when the Moon hides the Sun.')], { fallback: { models: [SECOND] }, onRecovery: listener });

    const { values: events, error } = await ending(client.messages.stream(params), 5_000);

    expect(error).toBeUndefined();
    expect(textOf(events)).toBe('Solar eclipses are when the Moon hides the Sun.');
    expect(countOf(events, 'message_start')).toBe(1);
    expect(countOf(events, 'message_stop')).toBe(1);
    expect(events.find((event) => event.type === 'message_delta')).toMatchObject({ delta: { stop_reason: 'end_turn' } });
    expect(heard).toEqual([expect.objectContaining({ kind: 'fallback', reason: 'refusal', to: SECOND })]);
    expect(await unhandledMessages(1)).toEqual(['onRecovery failed on fallback']);
  });

  it('hedge: throwing on started, won and lost, the hedge still starts, wins, the slow request is aborted, and each error is reported', async () => {
    const { listener, heard } = throwingListener('onRecovery');
    const { server, client } = await setup([{ ...textReply('slow answer'), delayMs: 5_000 }, textReply('fast answer')], { hedge: { afterMs: 150 }, onRecovery: listener });

    const { values: events, error } = await ending(client.messages.stream(params), 3_000);

    expect(error).toBeUndefined();
    expect(textOf(events)).toBe('fast answer');
    await within(server.requests[0]!.closed, 2_000, 'the slow request closing');
    expect(server.requests[0]!.abortedByClient).toBe(true);
    expect(heard.map((event) => (event.kind === 'hedge' ? event.outcome : event.kind))).toEqual(['started', 'won', 'lost']);
    expect(await unhandledMessages(3)).toEqual(['onRecovery failed on hedge', 'onRecovery failed on hedge', 'onRecovery failed on hedge']);
  });

  it('firstTokenMs: the stream fails with its APITimeoutError, not the listener’s error, its request is aborted, and the error is reported', async () => {
    const { listener, heard } = throwingListener('onRecovery');
    const { server, client } = await setup([{ ...textReply('late', { chunkSize: 100 }), chunkDelayMs: 2_000 }], { timeout: { firstTokenMs: 300 }, onRecovery: listener });

    const { error } = await ending(client.messages.stream(params), 1_500);

    expect(error).toBeInstanceOf(APITimeoutError);
    expect((error as APITimeoutError).phase).toBe('firstToken');
    await within(server.requests[0]!.closed, 1_000, 'the timed-out request closing');
    expect(server.requests[0]!.abortedByClient).toBe(true);
    expect(heard).toEqual([expect.objectContaining({ kind: 'timeout', phase: 'firstToken', ms: 300 })]);
    expect(await unhandledMessages(1)).toEqual(['onRecovery failed on timeout']);
  });

  it('idleMs: the stream fails with its APITimeoutError, not the listener’s error', async () => {
    const { listener } = throwingListener('onRecovery');
    const { client } = await setup([{ ...textReply('never'), hangAfterHeaders: true }], { timeout: { idleMs: 200 }, onRecovery: listener });

    const { error } = await ending(client.messages.stream(params), 1_500);

    expect(error).toBeInstanceOf(APITimeoutError);
    expect((error as APITimeoutError).phase).toBe('idle');
    expect(await unhandledMessages(1)).toEqual(['onRecovery failed on timeout']);
  });
});

describe('a trace whose recovery() throws', () => {
  it('does not keep onRecovery from hearing the event, nor the stream from going on', async () => {
    const trace = throwingListener('trace.recovery');
    const heard: RecoveryEvent[] = [];
    const { client } = await setup([{ ...textReply(TEXT, { chunkSize: 5 }), cutAfterEvents: 9 }, textReply(TEXT, { chunkSize: 5 })], {
      continueOnDrop: 1,
      telemetry: telemetryWith(trace.listener),
      onRecovery: (event) => heard.push(event),
    });

    const text = (await within(lastValueFrom(client.messages.stream(params).pipe(textDeltas(), toArray())), 5_000, 'the end of the stream')).join('');

    expect(text).toBe(TEXT);
    expect(trace.heard.map((event) => event.kind)).toEqual(['continuation']);
    expect(heard).toEqual(trace.heard);
    expect(await unhandledMessages(1)).toEqual(['trace.recovery failed on continuation']);
  });

  it('with onRecovery throwing too, both hear every event and both errors are reported, the trace’s first', async () => {
    const trace = throwingListener('trace.recovery');
    const callback = throwingListener('onRecovery');
    const { client } = await setup([{ ...textReply(TEXT, { chunkSize: 5 }), cutAfterEvents: 9 }, textReply(TEXT, { chunkSize: 5 })], {
      continueOnDrop: 1,
      telemetry: telemetryWith(trace.listener),
      onRecovery: callback.listener,
    });

    const text = (await within(lastValueFrom(client.messages.stream(params).pipe(textDeltas(), toArray())), 5_000, 'the end of the stream')).join('');

    expect(text).toBe(TEXT);
    expect(trace.heard.map((event) => event.kind)).toEqual(['continuation']);
    expect(callback.heard).toEqual(trace.heard);
    expect(await unhandledMessages(2)).toEqual(['trace.recovery failed on continuation', 'onRecovery failed on continuation']);
  });
});
