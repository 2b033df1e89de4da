import fc from 'fast-check';
import { from, Subject, type Observable } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import {
  APIError,
  AuthenticationError,
  BadRequestError,
  InternalServerError,
  NotFoundError,
  OverloadedError,
  PermissionDeniedError,
  RateLimitError,
  RequestTooLargeError,
  StreamDecodeError,
} from '../../lib/errors';
import { decodeEvent, decodeEvents } from '../../lib/schema/decodeEvents';
import type { RawMessageStreamEvent } from '../../lib/schema';
import { fromSSE } from '../../lib/sse/fromSSE';
import type { ServerSentEvent } from '../../lib/sse/ServerSentEvent';
import { byteByByte, eventData, loadDecoderCases, loadFixtures, randomChunks, seededRandom, splitAt, type Fixture } from '../support/fixtures';

interface Outcome {
  events: unknown[];
  error: unknown;
  completed: boolean;
}

/** Feeds chunks through fromSSE() and decodeEvents(), synchronously, and records the outcome. */
function decodeChunks(chunks: Uint8Array[]): Outcome {
  const outcome: Outcome = { events: [], error: undefined, completed: false };
  from(chunks)
    .pipe(fromSSE(), decodeEvents())
    .subscribe({
      next: (event) => outcome.events.push(event),
      error: (error: unknown) => (outcome.error = error),
      complete: () => (outcome.completed = true),
    });
  return outcome;
}

/**
 * The events a fixture holds, read without fromSSE or io-ts: each frame's `data:` lines parsed as
 * JSON, pings left out, nothing after an error. Every fixture uses LF line ends.
 */
function referenceEvents(fixture: Fixture): unknown[] {
  const events: unknown[] = [];
  for (const data of eventData(fixture)) {
    const value = JSON.parse(data) as { type: string };
    if (value.type === 'error') break;
    if (value.type !== 'ping') events.push(value);
  }
  return events;
}

const ERROR_FIXTURE = 'vercel-error-overloaded-mid-stream';

function expectFixtureOutcome(fixture: Fixture, outcome: Outcome): void {
  expect(outcome.events).toEqual(referenceEvents(fixture));
  if (fixture.name === ERROR_FIXTURE) {
    expect(outcome.error).toBeInstanceOf(OverloadedError);
    expect(outcome.completed).toBe(false);
  } else {
    expect(outcome.error).toBeUndefined();
    expect(outcome.completed).toBe(true);
  }
}

const sse = (data: unknown, event?: string): ServerSentEvent => ({
  event: event ?? (typeof data === 'object' && data !== null ? (data as { type?: string }).type : undefined),
  data: typeof data === 'string' ? data : JSON.stringify(data),
  id: undefined,
});

/** The StreamDecodeError (or other error) that decodeEvent throws, or fails the test. */
function decodeError(event: ServerSentEvent): Error {
  try {
    decodeEvent(event);
  } catch (error) {
    return error as Error;
  }
  throw new Error(`decodeEvent accepted ${event.data}`);
}

const marbles = () => new TestScheduler((actual, expected) => expect(actual).toEqual(expected));

const messageStart = {
  type: 'message_start',
  message: {
    id: 'msg_01',
    type: 'message',
    role: 'assistant',
    content: [],
    model: 'claude-sonnet-4-6',
    stop_reason: null,
    stop_sequence: null,
    usage: { input_tokens: 10, output_tokens: 1 },
  },
};

describe('decodeEvents', () => {
  const fixtures = [...loadFixtures('sdk-sse'), ...loadFixtures('real-world')];

  it('finds both fixture sets', () => {
    expect(fixtures.filter((f) => f.set === 'sdk-sse').length).toBeGreaterThanOrEqual(26);
    expect(fixtures.filter((f) => f.set === 'real-world')).toHaveLength(19);
  });

  describe.each(fixtures.map((f) => [`${f.set}/${f.name}`, f] as const))('%s', (_, fixture) => {
    const whole = decodeChunks([fixture.sse]);

    it(fixture.name === ERROR_FIXTURE ? 'emits the events before the error event, then fails with OverloadedError' : 'decodes every event', () => {
      expectFixtureOutcome(fixture, whole);
      expect(whole.events.length).toBeGreaterThan(0);
    });

    it('gives the same events byte by byte', () => {
      expectFixtureOutcome(fixture, decodeChunks(byteByByte(fixture.sse)));
    });

    it('gives the same events under random chunkings', () => {
      fc.assert(
        fc.property(fc.array(fc.nat({ max: fixture.sse.length }), { maxLength: 24 }), (cuts) => {
          expectFixtureOutcome(fixture, decodeChunks(splitAt(fixture.sse, cuts)));
        }),
        { seed: 20260807, numRuns: 15 },
      );
      const rng = seededRandom(42);
      for (let run = 0; run < 3; run++) expectFixtureOutcome(fixture, decodeChunks(randomChunks(fixture.sse, rng, 9)));
    });
  });

  it('keeps the overloaded error of the error fixture as the API sent it', () => {
    const fixture = fixtures.find((f) => f.name === ERROR_FIXTURE) as Fixture;
    const { events, error } = decodeChunks([fixture.sse]);
    expect((events as RawMessageStreamEvent[]).map((e) => e.type)).toEqual(['message_start', 'content_block_start', 'content_block_delta']);
    expect(error).toMatchObject({ type: 'overloaded_error', status: undefined, error: fixture.expected.error });
    expect((error as Error).message).toContain('Overloaded');
  });

  it('fails the SDK decoder case error-event-overloaded with an OverloadedError', () => {
    const testCase = loadDecoderCases().find((c) => c.name === 'error-event-overloaded');
    const { events, error } = decodeChunks([testCase!.bytes]);
    expect(events).toEqual([]);
    expect(error).toBeInstanceOf(OverloadedError);
    expect(error).toMatchObject({ type: 'overloaded_error' });
    expect((error as Error).message).toContain('Overloaded');
  });

  describe('ping', () => {
    it('drops a ping named by its event or by its data', () => {
      expect(decodeEvent(sse({ type: 'ping' }))).toBeUndefined();
      expect(decodeEvent(sse({ type: 'ping' }, undefined))).toBeUndefined();
      expect(decodeEvent({ event: undefined, data: '{"type":"ping"}', id: undefined })).toBeUndefined();
      expect(decodeEvent({ event: 'ping', data: '', id: undefined })).toBeUndefined();
    });

    it('leaves the other events in place', () => {
      marbles().run(({ cold, expectObservable }) => {
        const source = cold('-p-a-p-b|', { p: sse({ type: 'ping' }), a: sse(messageStart), b: sse({ type: 'message_stop' }) });
        expectObservable(source.pipe(decodeEvents())).toBe('---a---b|', { a: messageStart, b: { type: 'message_stop' } });
      });
    });
  });

  describe('forward compatibility', () => {
    it('passes an unknown event type through unchanged, extra fields included', () => {
      const data = { type: 'message_annotation', index: 3, note: { nested: [1, 2] } };
      expect(decodeEvent(sse(data))).toEqual(data);
      expect(decodeEvent(sse(data, 'some_other_name'))).toEqual(data);
    });

    it('passes an unknown block type through unchanged', () => {
      const data = { type: 'content_block_start', index: 0, content_block: { type: 'hologram', frames: [{ at: 0 }], caption: null } };
      expect(decodeEvent(sse(data))).toEqual(data);
    });

    it('passes an unknown delta type through unchanged', () => {
      const data = { type: 'content_block_delta', index: 1, delta: { type: 'hologram_delta', frame: { at: 1 } } };
      expect(decodeEvent(sse(data))).toEqual(data);
    });

    it('keeps unknown fields of known events, blocks and deltas', () => {
      const start = { ...messageStart, p: 'padding', message: { ...messageStart.message, novel: { a: 1 }, usage: { input_tokens: 1, output_tokens: 2, future_tokens: 3 } } };
      expect(decodeEvent(sse(start))).toEqual(start);
      const block = { type: 'content_block_start', index: 0, content_block: { type: 'tool_use', id: 'toolu_1', name: 'f', input: {}, caller: { type: 'direct' }, shiny: true } };
      expect(decodeEvent(sse(block))).toEqual(block);
      const delta = { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'x', emphasis: 'strong' } };
      expect(decodeEvent(sse(delta))).toEqual(delta);
    });

    it('accepts null for every optional field the API may send as null', () => {
      const delta = {
        type: 'message_delta',
        delta: { stop_reason: null, stop_sequence: null, stop_details: null, container: null },
        usage: {
          output_tokens: 5,
          input_tokens: null,
          cache_creation_input_tokens: null,
          cache_read_input_tokens: null,
          server_tool_use: null,
          output_tokens_details: null,
          iterations: null,
          fallback_credit: null,
        },
        context_management: null,
      };
      expect(decodeEvent(sse(delta))).toEqual(delta);
    });

    it('accepts a stop_reason the library does not know', () => {
      const delta = { type: 'message_delta', delta: { stop_reason: 'took_a_nap' }, usage: { output_tokens: 1 } };
      expect(decodeEvent(sse(delta))).toEqual(delta);
    });
  });

  describe('malformed events', () => {
    it('fails on data that is not JSON, naming the SSE event and showing the data', () => {
      const error = decodeError({ event: 'content_block_delta', data: '{"type":"content_block_delta",', id: undefined });
      expect(error).toBeInstanceOf(StreamDecodeError);
      expect(error).toMatchObject({ eventType: 'content_block_delta', path: undefined });
      expect(error.message).toMatch(/event "content_block_delta".*not valid JSON/);
      expect((error as StreamDecodeError).excerpt).toContain('content_block_delta');
      expect(error.cause).toBeInstanceOf(SyntaxError);
    });

    it('fails on a message_start without message.id', () => {
      const { id: _, ...message } = messageStart.message;
      const error = decodeError(sse({ type: 'message_start', message }));
      expect(error).toBeInstanceOf(StreamDecodeError);
      expect(error).toMatchObject({ eventType: 'message_start', path: 'message.id' });
      expect(error.message).toContain('(event "message_start" at message.id): expected string, got nothing (the field is missing)');
    });

    it('fails on a message_start whose usage.input_tokens is not a number', () => {
      const message = { ...messageStart.message, usage: { input_tokens: '12', output_tokens: 1 } };
      const error = decodeError(sse({ type: 'message_start', message }));
      expect(error).toMatchObject({ path: 'message.usage.input_tokens' });
      expect(error.message).toContain('expected number, got "12" (a string)');
    });

    it('fails on an index given as a string', () => {
      const error = decodeError(sse({ type: 'content_block_stop', index: '0' }));
      expect(error).toMatchObject({ eventType: 'content_block_stop', path: 'index' });
      expect(error.message).toContain('expected number, got "0" (a string)');
    });

    it('fails on a delta.text given as a number', () => {
      const error = decodeError(sse({ type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 42 } }));
      expect(error).toMatchObject({ eventType: 'content_block_delta', path: 'delta.text' });
      expect(error.message).toContain('expected string, got 42 (a number)');
    });

    it('fails on a tool_use block without id', () => {
      const error = decodeError(sse({ type: 'content_block_start', index: 1, content_block: { type: 'tool_use', name: 'f', input: {} } }));
      expect(error).toMatchObject({ path: 'content_block.id' });
    });

    it('fails on a delta without type', () => {
      const error = decodeError(sse({ type: 'content_block_delta', index: 0, delta: { text: 'x' } }));
      expect(error).toMatchObject({ path: 'delta.type' });
      expect(error.message).toContain('expected string, got nothing');
    });

    it('fails on a nullable field of the wrong type, saying null was allowed', () => {
      const error = decodeError(sse({ type: 'message_delta', delta: { stop_reason: 7 }, usage: { output_tokens: 1 } }));
      expect(error).toMatchObject({ path: 'delta.stop_reason' });
      expect(error.message).toContain('expected string | null, got 7 (a number)');
    });

    it('fails on data without a string type', () => {
      const missing = decodeError({ event: 'message_start', data: '{"message":{}}', id: undefined });
      expect(missing).toBeInstanceOf(StreamDecodeError);
      expect(missing).toMatchObject({ eventType: 'message_start', path: 'type' });
      expect(missing.message).toContain('expected a string "type" field, got nothing');
      expect(decodeError({ event: undefined, data: '{"type":3}', id: undefined })).toMatchObject({ path: 'type' });
    });

    it('fails on data that is not an object', () => {
      for (const data of ['[]', '"message_stop"', '42', 'null']) {
        const error = decodeError({ event: 'message_stop', data, id: undefined });
        expect(error).toBeInstanceOf(StreamDecodeError);
        expect(error.message).toContain('expected a JSON object');
      }
    });

    it('names the data type when the SSE event has no name', () => {
      const error = decodeError({ event: undefined, data: '{"type":"content_block_stop"}', id: undefined });
      expect(error).toMatchObject({ eventType: 'content_block_stop', path: 'index' });
    });

    it('errors the Observable instead of throwing, after the events before', () => {
      const bad = sse({ type: 'content_block_stop', index: 'x' });
      marbles().run(({ cold, expectObservable, expectSubscriptions }) => {
        const source = cold('-a-b-c|', { a: sse(messageStart), b: bad, c: sse({ type: 'message_stop' }) });
        expectObservable(source.pipe(decodeEvents())).toBe('-a-#', { a: messageStart }, expect.any(StreamDecodeError));
        expectSubscriptions(source.subscriptions).toBe('^--!');
      });
    });
  });

  describe('error events', () => {
    it.each([
      ['invalid_request_error', BadRequestError],
      ['authentication_error', AuthenticationError],
      ['permission_error', PermissionDeniedError],
      ['not_found_error', NotFoundError],
      ['request_too_large', RequestTooLargeError],
      ['rate_limit_error', RateLimitError],
      ['api_error', InternalServerError],
      ['overloaded_error', OverloadedError],
    ])('turns %s into %p with the request id', (type, ErrorClass) => {
      const data = { type: 'error', error: { type, message: `it failed: ${type}` }, request_id: 'req_0123' };
      const error = decodeError(sse(data, 'error'));
      expect(error).toBeInstanceOf(ErrorClass);
      expect(error).toBeInstanceOf(APIError);
      expect(error).toMatchObject({ type, requestId: 'req_0123', status: undefined });
      expect(error.message).toContain(`it failed: ${type}`);
      expect(error.message).toContain('req_0123');
    });

    it('turns an unknown error type into an APIError', () => {
      const error = decodeError(sse({ type: 'error', error: { type: 'billing_error', message: 'no credit' } }, 'error'));
      expect(error.constructor).toBe(APIError);
      expect(error).toMatchObject({ type: 'billing_error', requestId: undefined });
    });

    it('recognises an error by its data type when the SSE event has another name or none', () => {
      const data = { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } };
      expect(decodeError(sse(data, 'message'))).toBeInstanceOf(OverloadedError);
      expect(decodeError({ event: undefined, data: JSON.stringify(data), id: undefined })).toBeInstanceOf(OverloadedError);
    });

    it('takes the request id and headers from the response when the data has none', () => {
      const data = JSON.stringify({ type: 'error', error: { type: 'rate_limit_error', message: 'slow down' } });
      const headers = { 'request-id': 'req_header', 'retry-after': '3' };
      const events = new Subject<ServerSentEvent>();
      let failure: unknown;
      events.pipe(decodeEvents({ headers })).subscribe({ error: (error: unknown) => (failure = error) });
      events.next({ event: 'error', data, id: undefined });
      expect(failure).toBeInstanceOf(RateLimitError);
      expect(failure).toMatchObject({ requestId: 'req_header', headers });
    });

    it('reports an error event whose data is not JSON as an API error with that text', () => {
      const error = decodeError({ event: 'error', data: 'upstream connect error', id: undefined });
      expect(error).toBeInstanceOf(InternalServerError);
      expect(error.message).toContain('upstream connect error');
    });

    it('fails the stream after the events before it', () => {
      const overloaded = sse({ type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } }, 'error');
      marbles().run(({ cold, expectObservable, expectSubscriptions }) => {
        const source = cold('-a-e-b|', { a: sse(messageStart), e: overloaded, b: sse({ type: 'message_stop' }) });
        expectObservable(source.pipe(decodeEvents())).toBe('-a-#', { a: messageStart }, expect.any(OverloadedError));
        expectSubscriptions(source.subscriptions).toBe('^--!');
      });
    });
  });

  describe('as an operator', () => {
    it('passes on completion and the errors of its source', () => {
      marbles().run(({ cold, expectObservable }) => {
        expectObservable(cold('-a|', { a: sse(messageStart) }).pipe(decodeEvents())).toBe('-a|', { a: messageStart });
        expectObservable(cold('-a-#', { a: sse(messageStart) }, new Error('reset')).pipe(decodeEvents())).toBe('-a-#', { a: messageStart }, new Error('reset'));
      });
    });

    it('unsubscribes from its source when its subscriber unsubscribes', () => {
      marbles().run(({ cold, expectObservable, expectSubscriptions }) => {
        const source = cold('-a-b-c|', { a: sse(messageStart), b: sse({ type: 'content_block_stop', index: 0 }), c: sse({ type: 'message_stop' }) });
        expectObservable(source.pipe(decodeEvents()), '^--!').toBe('-a-', { a: messageStart });
        expectSubscriptions(source.subscriptions).toBe('^--!');
      });
    });

    it('emits nothing after the consumer unsubscribes during an emission', () => {
      const events = new Subject<ServerSentEvent>();
      const seen: unknown[] = [];
      const subscription = (events.pipe(decodeEvents()) as Observable<RawMessageStreamEvent>).subscribe((event) => {
        seen.push(event.type);
        subscription.unsubscribe();
      });
      events.next(sse(messageStart));
      events.next(sse({ type: 'message_stop' }));
      expect(seen).toEqual(['message_start']);
      expect(events.observed).toBe(false);
    });

    it('is cold: each subscription decodes its own events', () => {
      marbles().run(({ cold, expectObservable }) => {
        const decoded = cold('-a|', { a: sse({ type: 'message_stop' }) }).pipe(decodeEvents());
        expectObservable(decoded).toBe('-a|', { a: { type: 'message_stop' } });
        expectObservable(decoded).toBe('-a|', { a: { type: 'message_stop' } });
      });
    });
  });
});
