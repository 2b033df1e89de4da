import fc from 'fast-check';
import { config, from, Subject, type Observable } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { StreamDecodeError } from '../../lib/errors';
import { fromSSE } from '../../lib/sse/fromSSE';
import type { ServerSentEvent } from '../../lib/sse/ServerSentEvent';
import { byteByByte, cutsForLengths, loadDecoderCases, splitAt, type DecoderCase } from '../support/fixtures';

/** Runs a synchronous source to its end and returns what it emitted. */
function run<T>(source: Observable<T>): { values: T[]; error: unknown; completed: boolean } {
  const values: T[] = [];
  let error: unknown;
  let completed = false;
  source.subscribe({ next: (value) => values.push(value), error: (e: unknown) => (error = e), complete: () => (completed = true) });
  return { values, error, completed };
}

function parse(chunks: Array<Uint8Array | string>): ServerSentEvent[] {
  const { values, error, completed } = run(from(chunks).pipe(fromSSE()));
  expect(error).toBeUndefined();
  expect(completed).toBe(true);
  return values;
}

const encoder = new TextEncoder();
const marbles = () => new TestScheduler((actual, expected) => expect(actual).toEqual(expected));

/**
 * The Python SDK's decoder dispatches an event that has an `event:` line but no `data:` line
 * (with `data: ""`). The SSE specification, which eventsource-parser follows, says an event with
 * an empty data buffer is not dispatched ("If the data buffer is an empty string, set the data
 * buffer and the event type buffer to the empty string and return"). So these cases give no
 * event here; nothing of value is lost, since such an event carries no data to decode.
 */
const DATALESS_CASES = new Set(['event-without-data', 'multiple-events']);

function expectedEvents(testCase: DecoderCase) {
  if (DATALESS_CASES.has(testCase.name)) return [];
  return testCase.decodedEvents;
}

function expectDecoded(events: ServerSentEvent[], testCase: DecoderCase): void {
  const expected = expectedEvents(testCase);
  expect(events).toHaveLength(expected.length);
  expected.forEach((want, i) => {
    const got = events[i] as ServerSentEvent;
    expect(got.event).toBe(want.event ?? undefined);
    if (want.data !== undefined) expect(got.data).toBe(want.data);
    if (want.json !== undefined) expect(JSON.parse(got.data)).toEqual(want.json);
  });
}

describe('fromSSE', () => {
  describe('the SDK decoder cases (sdk-sse/sse-decoder)', () => {
    const cases = loadDecoderCases();

    it('has every case and chunk lengths that add up to the bytes', () => {
      expect(cases.map((c) => c.name)).toEqual(expect.arrayContaining(['basic', 'multi-byte-split-across-chunks', 'error-event-overloaded']));
      for (const testCase of cases) expect(testCase.chunkByteLengths.reduce((a, b) => a + b, 0)).toBe(testCase.bytes.length);
    });

    describe.each(cases.map((c) => [c.name, c] as const))('%s', (_, testCase) => {
      it('decodes the exact chunking of the SDK test', () => {
        expectDecoded(parse(splitAt(testCase.bytes, cutsForLengths(testCase.chunkByteLengths))), testCase);
      });

      it('decodes the body as one chunk', () => {
        expectDecoded(parse([testCase.bytes]), testCase);
      });

      it('decodes the body byte by byte', () => {
        expectDecoded(parse(byteByByte(testCase.bytes)), testCase);
      });

      it('decodes the body under any chunking', () => {
        fc.assert(
          fc.property(fc.array(fc.nat({ max: testCase.bytes.length }), { maxLength: 12 }), (cuts) => {
            expectDecoded(parse(splitAt(testCase.bytes, cuts)), testCase);
          }),
          { seed: 1337, numRuns: 40 },
        );
      });
    });

    it('follows the SSE specification for an event without data: it is not dispatched', () => {
      for (const name of DATALESS_CASES) {
        const testCase = cases.find((c) => c.name === name) as DecoderCase;
        expect(testCase.bytes.toString('utf8')).not.toMatch(/^data:/m);
        expect(testCase.decodedEvents.length).toBeGreaterThan(0); // what the Python SDK dispatches
        expect(parse([testCase.bytes])).toEqual([]);
      }
    });

    it('joins a character split across chunks (multi-byte-split-across-chunks)', () => {
      const testCase = cases.find((c) => c.name === 'multi-byte-split-across-chunks') as DecoderCase;
      const chunks = splitAt(testCase.bytes, cutsForLengths(testCase.chunkByteLengths));
      // The chunking really cuts through characters: some chunk alone is not valid UTF-8.
      expect(chunks.some((chunk) => Buffer.from(chunk).toString('utf8').includes('\uFFFD'))).toBe(true);
      expect(JSON.parse((parse(chunks)[0] as ServerSentEvent).data)).toEqual({ content: 'известни' });
    });

    it('keeps U+2028 inside data instead of treating it as a line end', () => {
      const testCase = cases.find((c) => c.name === 'unicode-line-separator-in-data') as DecoderCase;
      const events = parse([testCase.bytes]);
      expect(JSON.parse((events[1] as ServerSentEvent).data).content).toBe(' \u2028');
    });
  });

  describe('line endings', () => {
    const body = (eol: string) =>
      ['event: first', 'data: {"a":', 'data: 1}', 'id: 7', '', ': a comment', 'data: second', '', ''].join(eol);
    const expected: ServerSentEvent[] = [
      { event: 'first', data: '{"a":\n1}', id: '7' },
      { event: undefined, data: 'second', id: undefined },
    ];

    it.each([
      ['LF', '\n'],
      ['CR', '\r'],
      ['CRLF', '\r\n'],
    ])('parses %s line ends, in one chunk, byte by byte and as strings', (_, eol) => {
      const bytes = encoder.encode(body(eol));
      expect(parse([bytes])).toEqual(expected);
      expect(parse(byteByByte(bytes))).toEqual(expected);
      expect(parse([...body(eol)])).toEqual(expected);
    });

    it('parses a CRLF split between two chunks as one line end', () => {
      const text = 'data: x\r\n\r\ndata: y\r\n\r\n';
      const cut = text.indexOf('\n');
      expect(parse([text.slice(0, cut), text.slice(cut)]).map((e) => e.data)).toEqual(['x', 'y']);
    });

    it('parses mixed line ends', () => {
      expect(parse(['data: a\r\n\ndata: b\r\rdata: c\n\r\n']).map((e) => e.data)).toEqual(['a', 'b', 'c']);
    });

    it('skips a leading byte order mark', () => {
      expect(parse([Uint8Array.of(0xef, 0xbb, 0xbf, ...encoder.encode('data: x\n\n'))])).toEqual([{ event: undefined, data: 'x', id: undefined }]);
    });
  });

  describe('the end of the body', () => {
    it.each([
      ['no line end at all', 'event: message_stop\ndata: {"type":"message_stop"}'],
      ['one line end', 'event: message_stop\ndata: {"type":"message_stop"}\n'],
      ['one CR', 'event: message_stop\ndata: {"type":"message_stop"}\r'],
    ])('dispatches a last event left without its blank line (%s)', (_, text) => {
      expect(parse([encoder.encode(text)])).toEqual([{ event: 'message_stop', data: '{"type":"message_stop"}', id: undefined }]);
    });

    it('dispatches the unterminated last event when the source completes, not before', () => {
      marbles().run(({ cold, expectObservable }) => {
        const source = cold('-a-b-|', { a: 'data: 1\n\ndata: 2', b: '2' });
        expectObservable(source.pipe(fromSSE())).toBe('-x---(y|)', {
          x: { event: undefined, data: '1', id: undefined },
          y: { event: undefined, data: '22', id: undefined },
        });
      });
    });

    it('dispatches an event when its blank line arrives', () => {
      marbles().run(({ cold, expectObservable }) => {
        const source = cold('-a-b-c|', { a: 'event: e\n', b: 'data: 1\n', c: '\n' });
        expectObservable(source.pipe(fromSSE())).toBe('-----x|', { x: { event: 'e', data: '1', id: undefined } });
      });
    });
  });

  describe('errors', () => {
    it('fails with StreamDecodeError on invalid UTF-8', () => {
      const { values, error } = run(from([encoder.encode('data: ok\n\n'), Uint8Array.of(0x64, 0x61, 0xff, 0x0a)]).pipe(fromSSE()));
      expect(values).toEqual([{ event: undefined, data: 'ok', id: undefined }]);
      expect(error).toBeInstanceOf(StreamDecodeError);
      expect((error as Error).message).toMatch(/not valid UTF-8/);
    });

    it('fails with StreamDecodeError when the body ends inside a character', () => {
      const euro = encoder.encode('€');
      const { error } = run(from([encoder.encode('data: '), euro.subarray(0, 2)]).pipe(fromSSE()));
      expect(error).toBeInstanceOf(StreamDecodeError);
    });

    it('fails with StreamDecodeError when an event exceeds maxEventSize, and unsubscribes from the source', () => {
      marbles().run(({ cold, expectObservable, expectSubscriptions }) => {
        const source = cold('-a-b-c-|', { a: 'data: 0123456789', b: '0123456789', c: '\n\n' });
        const error = new StreamDecodeError('an event is larger than the limit of 25 characters (maxEventSize)', {});
        expectObservable(source.pipe(fromSSE({ maxEventSize: 25 }))).toBe('---#', undefined, error);
        expectSubscriptions(source.subscriptions).toBe('^--!');
      });
    });

    it('fails when many data lines add up to more than maxEventSize', () => {
      marbles().run(({ cold, expectObservable }) => {
        const source = cold('-a-b|', { a: 'data: 0123456789\n', b: 'data: 0123456789\n' });
        expectObservable(source.pipe(fromSSE({ maxEventSize: 15 }))).toBe('---#', undefined, expect.any(StreamDecodeError));
      });
    });

    it('passes events under maxEventSize', () => {
      expect(parse(['data: 0123456789\n\n'.repeat(3)]).length).toBe(3);
    });

    // A synchronous source goes on calling next/complete after the failure, before the teardown exists.
    it('raises no unhandled error when a synchronous source goes on after maxEventSize', async () => {
      const unhandled: unknown[] = [];
      const previous = config.onUnhandledError;
      config.onUnhandledError = (error) => unhandled.push(error);
      try {
        const { error } = run(from(['data: 0123456789', '0123456789', '\n\n']).pipe(fromSSE({ maxEventSize: 15 })));
        expect(error).toBeInstanceOf(StreamDecodeError);
        await new Promise((resolve) => setTimeout(resolve, 10));
        expect(unhandled).toEqual([]);
      } finally {
        config.onUnhandledError = previous;
      }
    });

    it('passes on an error of the source', () => {
      marbles().run(({ cold, expectObservable }) => {
        const source = cold('-a-#', { a: 'data: 1\n\n' }, new Error('connection reset'));
        expectObservable(source.pipe(fromSSE())).toBe('-x-#', { x: { event: undefined, data: '1', id: undefined } }, new Error('connection reset'));
      });
    });
  });

  describe('unsubscription', () => {
    it('unsubscribes from the source and emits nothing more', () => {
      marbles().run(({ cold, expectObservable, expectSubscriptions }) => {
        const source = cold('-a-b-c-d|', { a: 'data: 1\n\n', b: 'data: 2\n\n', c: 'data: 3\n\n', d: 'data: 4\n\n' });
        expectObservable(source.pipe(fromSSE()), '^---!').toBe('-x-y-', {
          x: { event: undefined, data: '1', id: undefined },
          y: { event: undefined, data: '2', id: undefined },
        });
        expectSubscriptions(source.subscriptions).toBe('^---!');
      });
    });

    it('stops parsing when the consumer unsubscribes in the middle of a chunk', () => {
      const chunks = new Subject<string>();
      const seen: string[] = [];
      const subscription = chunks.pipe(fromSSE()).subscribe((event) => {
        seen.push(event.data);
        if (seen.length === 2) subscription.unsubscribe();
      });
      chunks.next('data: 1\n\ndata: 2\n\ndata: 3\n\n');
      chunks.next('data: 4\n\n');
      expect(seen).toEqual(['1', '2']);
      expect(chunks.observed).toBe(false);
    });
  });
});
