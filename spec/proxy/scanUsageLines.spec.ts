import fc from 'fast-check';
import { from } from 'rxjs';
import { fromSSE, type ServerSentEvent } from 'rx-anthropic';
import { scanUsageLines, type ScannedEvent } from '../../lib/proxy/scanUsageLines';
import { wholeEvents } from '../../lib/proxy/wholeEvents';

/** The events `scanUsageLines` finds in one chunk, in order. */
function scanned(chunk: string | Uint8Array): ScannedEvent[] {
  const found: ScannedEvent[] = [];
  scanUsageLines(typeof chunk === 'string' ? Buffer.from(chunk) : chunk, (event) => found.push(event));
  return found;
}

/** One SSE frame as the API writes it: `event:` named after the type, the JSON on one `data:` line. */
const frame = (event: { type: string }, newline = '\n'): string => `event: ${event.type}${newline}data: ${JSON.stringify(event)}${newline}${newline}`;

const start = {
  type: 'message_start',
  message: { id: 'msg_1', type: 'message', role: 'assistant', model: 'claude-test', content: [], usage: { input_tokens: 12, output_tokens: 1 } },
};
const delta = { type: 'message_delta', delta: { stop_reason: 'end_turn', stop_sequence: null }, usage: { output_tokens: 7 } };
const textDelta = (text: string) => ({ type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text } });

describe('scanUsageLines', () => {
  it('finds the message_start and message_delta data lines, in order, parsed', () => {
    const chunk = [start, { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } }, textDelta('Hi'), delta, { type: 'message_stop' }]
      .map((event) => frame(event))
      .join('');
    expect(scanned(chunk)).toEqual([start, delta]);
  });

  it('gives every usage event of a chunk, repeated ones too', () => {
    const second = { ...delta, usage: { output_tokens: 9 } };
    expect(scanned(frame(delta) + frame(start) + frame(second))).toEqual([delta, start, second]);
  });

  it('with startSeen, looks for message_delta lines only', () => {
    const found: ScannedEvent[] = [];
    scanUsageLines(Buffer.from(frame(start) + frame(delta)), (event) => found.push(event), true);
    expect(found).toEqual([delta]);
  });

  it('ignores a text delta that quotes "message_start" or "message_delta"', () => {
    expect(scanned(frame(textDelta('the message_start event')) + frame(textDelta('message_delta and message_start')))).toEqual([]);
    expect(scanned(frame(textDelta('"type":"message_start"')) + frame(delta))).toEqual([delta]);
  });

  it('reads lines that end with \\r\\n', () => {
    expect(scanned(frame(start, '\r\n') + frame(textDelta('x'), '\r\n') + frame(delta, '\r\n'))).toEqual([start, delta]);
  });

  it('reads a line at the end of the chunk that has no newline', () => {
    expect(scanned(`event: message_delta\ndata: ${JSON.stringify(delta)}`)).toEqual([delta]);
    expect(scanned(`data: ${JSON.stringify(start)}\r`)).toEqual([start]);
  });

  it('takes a data field with or without the space after the colon', () => {
    expect(scanned(`data:${JSON.stringify(delta)}\n\n`)).toEqual([delta]);
  });

  it('skips data that is not JSON, and JSON that is not one of the two events', () => {
    expect(scanned('event: message_start\ndata: {message_start\n\n')).toEqual([]);
    expect(scanned('data: message_delta\n\n')).toEqual([]);
    expect(scanned('data: "message_start"\n\ndata: null message_start\n\ndata: ["message_delta"]\n\n')).toEqual([]);
    expect(scanned(`data: ${JSON.stringify({ type: 'ping', note: 'message_start' })}\n\n`)).toEqual([]);
    expect(scanned(`data: {broken message_delta\n\n${frame(delta)}`)).toEqual([delta]);
  });

  it('gives nothing for an `event: message_start` line without data', () => {
    expect(scanned('event: message_start\n\n')).toEqual([]);
    expect(scanned('event: message_start\r\n\r\nevent: message_delta')).toEqual([]);
  });

  it('reads only data lines: the same JSON in another field is not an event', () => {
    expect(scanned(`id: ${JSON.stringify(start)}\n: ${JSON.stringify(delta)}\n\n`)).toEqual([]);
  });

  it('gives nothing for a chunk without either name, or an empty one', () => {
    expect(scanned(frame(textDelta('hello')) + frame({ type: 'message_stop' }))).toEqual([]);
    expect(scanned('')).toEqual([]);
  });

  it('reads a Uint8Array that is a view into a larger buffer, not only a Buffer', () => {
    const whole = new TextEncoder().encode(`junk${frame(delta)}junk`);
    const view = new Uint8Array(whole.buffer, 4, whole.byteLength - 8);
    expect(scanned(view)).toEqual([delta]);
  });

  it('decodes the line as UTF-8', () => {
    const withModel = { ...start, message: { ...start.message, model: 'claude-é-😀' } };
    expect(scanned(frame(withModel))).toEqual([withModel]);
  });

  describe('agrees with an SSE parser on the usage events', () => {
    /** Text that loves to look like the events the scan looks for. */
    const trickyText = fc
      .array(
        fc.oneof(
          fc.constantFrom('message_start', 'message_delta', '"type":"message_start"', 'data: ', 'event: message_delta', '\n', '\r\n', '\n\n', '"', '\\', ' '),
          fc.string({ unit: 'grapheme', maxLength: 8 }),
        ),
        { maxLength: 8 },
      )
      .map((parts) => parts.join(''));
    const count = fc.nat({ max: 1_000_000 });
    const usageEvent = fc.oneof(
      fc.record({ input_tokens: count, output_tokens: count, cache_read_input_tokens: fc.option(count) }).map((usage) => ({
        type: 'message_start',
        message: { id: 'msg_x', type: 'message', role: 'assistant', model: 'claude-test', content: [], usage },
      })),
      fc.record({ output_tokens: count, input_tokens: fc.option(count) }).map((usage) => ({ type: 'message_delta', delta: { stop_reason: 'end_turn' }, usage })),
    );
    const event = fc.oneof({ arbitrary: usageEvent, weight: 1 }, { arbitrary: trickyText.map(textDelta), weight: 4 }, { arbitrary: fc.constant({ type: 'ping' }), weight: 1 });
    const stream = fc.record({
      events: fc.array(event, { maxLength: 25 }),
      newline: fc.constantFrom('\n', '\r\n'),
      cuts: fc.array(fc.nat(), { maxLength: 10 }),
    });

    /** The events an SSE parser finds in the whole stream, JSON-parsed, filtered to the two types. */
    function referenceEvents(bytes: Buffer): unknown[] {
      const sse: ServerSentEvent[] = [];
      from([bytes]).pipe(fromSSE()).subscribe({ next: (event) => sse.push(event), error: (error: unknown) => { throw error; } });
      return sse.map((event) => JSON.parse(event.data) as { type: string }).filter((event) => event.type === 'message_start' || event.type === 'message_delta');
    }

    /** The bytes cut at random places, then put back together at event boundaries by `wholeEvents`. */
    function wholeChunks(bytes: Buffer, cuts: number[]): Uint8Array[] {
      const at = [...new Set(cuts.map((cut) => cut % (bytes.length + 1)))].sort((a, b) => a - b);
      const pieces = [0, ...at].map((from, index) => bytes.subarray(from, at[index] ?? bytes.length));
      const chunks: Uint8Array[] = [];
      from(pieces).pipe(wholeEvents(1 << 20)).subscribe((chunk) => chunks.push(chunk));
      return chunks;
    }

    it('for random streams cut at event boundaries', () => {
      fc.assert(
        fc.property(stream, ({ events, newline, cuts }) => {
          const bytes = Buffer.from(events.map((e) => frame(e, newline)).join(''));
          const found = wholeChunks(bytes, cuts).flatMap((chunk) => scanned(chunk));
          expect(found).toEqual(referenceEvents(bytes));
        }),
        { numRuns: 300 },
      );
    });
  });
});
