import fc from 'fast-check';
import { from, lastValueFrom, toArray } from 'rxjs';
import { errorFrame, framesFrom, keptFramesFrom, numberEvents, numberEventsAsLatin1 } from '../../lib/proxy/numberEvents';
import { wholeEvents } from '../../lib/proxy/wholeEvents';

const text = (bytes: Uint8Array): string => Buffer.from(bytes).toString('utf8');

describe('numberEvents', () => {
  it('starts every event of a chunk with its id line, counting from first', () => {
    const chunk = numberEvents(Buffer.from('event: a\ndata: 1\n\nevent: b\ndata: 2\n\n'), 7);
    expect(chunk).toMatchObject({ first: 7, count: 2 });
    expect(text(chunk.frames)).toBe('id: 7\nevent: a\ndata: 1\n\nid: 8\nevent: b\ndata: 2\n\n');
  });

  it('cuts CRLF events at their blank lines too, and leaves out the empty lines before an event', () => {
    const chunk = numberEvents(Buffer.from('\r\n\nevent: a\r\ndata: 1\r\n\r\n\nevent: b\ndata: 2\n\n'), 1);
    expect(text(chunk.frames)).toBe('id: 1\nevent: a\r\ndata: 1\r\n\r\nid: 2\nevent: b\ndata: 2\n\n');
    expect(chunk.count).toBe(2);
  });

  it('numbers an unfinished last event, and leaves it unfinished', () => {
    const chunk = numberEvents(Buffer.from('data: 1\n\ndata: 2'), 1);
    expect(text(chunk.frames)).toBe('id: 1\ndata: 1\n\nid: 2\ndata: 2');
    expect(chunk.count).toBe(2);
  });

  it('numbers nothing in a chunk of line ends only', () => {
    expect(numberEvents(Buffer.from('\n\n'), 3)).toMatchObject({ first: 3, count: 0 });
  });

  it('gives UTF-8 back byte for byte, and numbers the same with \n and with \r\n line ends', () => {
    const events = ['data: {"text":"é ✓ 🙂 Ω"}', 'data: {"text":"日本語"}', 'data: \u0000\u00ff'];
    const lf = numberEvents(Buffer.from(events.map((event) => `${event}\n\n`).join('')), 11);
    expect(lf.frames.equals(Buffer.from(events.map((event, i) => `id: ${11 + i}\n${event}\n\n`).join('')))).toBe(true);
    const crlf = numberEvents(Buffer.from(events.map((event) => `${event}\r\n\r\n`).join('')), 11);
    expect(text(crlf.frames).replace(/\r/g, '')).toBe(text(lf.frames));
    expect(crlf.count).toBe(lf.count);
  });

  it('writes many-digit ids', () => {
    expect(text(numberEvents(Buffer.from('data: x\n\n'), 1_234_567).frames)).toBe('id: 1234567\ndata: x\n\n');
  });
});

describe('framesFrom', () => {
  const chunk = numberEvents(Buffer.from('data: 1\n\ndata: 2\r\n\r\ndata: 3\n\n'), 4);

  it('gives the frames from an event on, as a view', () => {
    expect(text(framesFrom(chunk, 4))).toBe(text(chunk.frames));
    expect(text(framesFrom(chunk, 5))).toBe('id: 5\ndata: 2\r\n\r\nid: 6\ndata: 3\n\n');
    expect(text(framesFrom(chunk, 6))).toBe('id: 6\ndata: 3\n\n');
    expect(framesFrom(chunk, 7).byteLength).toBe(0);
    expect(framesFrom(chunk, 6).buffer).toBe(chunk.frames.buffer);
  });
});

describe('keptFramesFrom', () => {
  const events = Buffer.from('data: 1\n\ndata: 2\r\n\r\ndata: 3\n\n');
  const numbered = numberEvents(events, 4);

  it('gives the same frames from every event whether the chunk keeps them numbered or as the upstream’s events', () => {
    for (const from of [3, 4, 5, 6, 7]) {
      const fromNumbered = keptFramesFrom({ ...numbered, numbered: true }, from);
      const fromEvents = keptFramesFrom({ first: 4, count: 3, frames: events, numbered: false }, from);
      expect(text(fromEvents)).toBe(text(fromNumbered));
    }
    expect(text(keptFramesFrom({ first: 4, count: 3, frames: events, numbered: false }, 5))).toBe('id: 5\ndata: 2\r\n\r\nid: 6\ndata: 3\n\n');
  });

  it('gives a view of numbered frames, not a copy', () => {
    const kept = { ...numberEvents(events, 4), numbered: true };
    const view = keptFramesFrom(kept, 5);
    kept.frames[kept.frames.length - 3] = 0x39; // the last event's data, 3 → 9
    expect(text(view)).toBe('id: 5\ndata: 2\r\n\r\nid: 6\ndata: 9\n\n');
  });
});

describe('errorFrame', () => {
  it('is the relay’s error frame with its id line', () => {
    expect(text(errorFrame(9, { type: 'error', error: { type: 'api_error', message: 'x' } }))).toBe('id: 9\nevent: error\ndata: {"type":"error","error":{"type":"api_error","message":"x"}}\n\n');
  });
});

describe('numberEvents after wholeEvents, wherever the upstream cuts its bytes', () => {
  const event = fc.record({ type: fc.constantFrom('ping', 'content_block_delta', 'message_stop'), text: fc.string({ maxLength: 40 }), crlf: fc.boolean() });

  it('numbers the events 1…N once each, and framesFrom(n) of any chunk is a suffix of the whole', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(event, { minLength: 1, maxLength: 12 }), fc.array(fc.nat(400), { maxLength: 8 }), async (events, cuts) => {
        const sse = events.map(({ type, text: data, crlf }) => (crlf ? `event: ${type}\r\ndata: ${JSON.stringify(data)}\r\n\r\n` : `event: ${type}\ndata: ${JSON.stringify(data)}\n\n`)).join('');
        const bytes = Buffer.from(sse);
        const points = [...new Set(cuts.map((cut) => cut % (bytes.length + 1)))].sort((a, b) => a - b);
        const pieces = [0, ...points, bytes.length].slice(1).map((end, index, ends) => bytes.subarray(index === 0 ? 0 : (ends[index - 1] as number), end));
        const whole = await lastValueFrom(from(pieces).pipe(wholeEvents(1 << 20), toArray()));
        let next = 1;
        const chunks = whole.map((piece) => {
          const chunk = numberEvents(piece, next);
          // The same frames as Latin-1 text, one character per byte.
          expect(numberEventsAsLatin1(piece, next)).toEqual({ first: chunk.first, count: chunk.count, text: chunk.frames.toString('latin1') });
          next += chunk.count;
          return chunk;
        });
        const all = chunks.map((chunk) => text(chunk.frames)).join('');
        expect(next - 1).toBe(events.length);
        expect(all.replace(/^id: \d+\n/gm, '')).toBe(sse);
        expect([...all.matchAll(/^id: (\d+)$/gm)].map((match) => Number(match[1]))).toEqual(events.map((_, index) => index + 1));
        for (const chunk of chunks) {
          for (let n = chunk.first; n < chunk.first + chunk.count; n += 1) expect(text(framesFrom(chunk, n)).startsWith(`id: ${n}\n`)).toBe(true);
          for (let n = chunk.first; n < chunk.first + chunk.count; n += 1) expect(all.endsWith(text(framesFrom(chunk, n)) + chunks.filter((other) => other.first > chunk.first).map((other) => text(other.frames)).join(''))).toBe(true);
        }
      }),
      { numRuns: 200 },
    );
  });
});
