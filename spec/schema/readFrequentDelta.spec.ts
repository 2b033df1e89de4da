import fc from 'fast-check';
import { APIError, StreamDecodeError } from '../../lib/errors';
import { decodeEvent } from '../../lib/schema/decodeEvents';
import { readFrequentDelta } from '../../lib/schema/readFrequentDelta';
import { oneCharacterEdits } from '../support/jsonText';

const KINDS = [
  ['text_delta', 'text'],
  ['input_json_delta', 'partial_json'],
  ['thinking_delta', 'thinking'],
] as const;

/** The data as the API writes it. */
const dataOf = (index: number, kind: number, value: string): string => {
  const [type, field] = KINDS[kind]!;
  return JSON.stringify({ type: 'content_block_delta', index, delta: { type, [field]: value } });
};

/** The same value and key order as `JSON.parse` gives (what a deep equality alone would not check). */
function expectSameAsJsonParse(data: string): void {
  const read = readFrequentDelta(data);
  expect(read).toBeDefined();
  const parsed = JSON.parse(data) as object;
  expect(read).toEqual(parsed);
  expect(JSON.stringify(read)).toBe(JSON.stringify(parsed));
  expect(Object.keys((read as { delta: object }).delta)).toEqual(Object.keys((parsed as { delta: object }).delta));
}

/** Every escape JSON has, and characters a string must or may escape. */
const TRICKY = ['"', '\\', '/', '\b', '\f', '\n', '\r', '\t', '\u0000', '\u001f', '\u007f', 'é', '中', '😀', '\ud800', '\udfff', '\u2028', '{', '}', '"}}', ':', ','];

/** A JSON string literal of `value` whose characters are escaped in any way JSON allows, chosen by `ways`. */
function escapedLiteral(value: string, ways: readonly number[]): string {
  let out = '"';
  for (let i = 0; i < value.length; i++) {
    const char = value[i]!;
    const code = char.charCodeAt(0);
    const way = ways[i % ways.length] ?? 0;
    const simple = JSON.stringify(char).slice(1, -1);
    if (way === 1 || (code < 0x20 && simple.length === 1)) out += `\\u${code.toString(16).padStart(4, '0')}`;
    else if (way === 2) out += `\\u${code.toString(16).toUpperCase().padStart(4, '0')}`;
    else if (way === 3 && char === '/') out += '\\/';
    else out += simple;
  }
  return `${out}"`;
}

describe('readFrequentDelta', () => {
  it('reads the three frequent deltas as JSON.parse does', () => {
    expectSameAsJsonParse('{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Hi \\"you\\" \\u00e9\\n"}}');
    expectSameAsJsonParse('{"type":"content_block_delta","index":12,"delta":{"type":"input_json_delta","partial_json":"{\\"city\\": \\"Par"}}');
    expectSameAsJsonParse('{"type":"content_block_delta","index":3,"delta":{"type":"thinking_delta","thinking":""}}');
    expectSameAsJsonParse('{"type":"content_block_delta","index":999999999,"delta":{"type":"text_delta","text":"\\/\\b\\f\\r\\t\\\\"}}');
  });

  it('reads strings on both sides of the length where it copies them with JSON.parse (13 characters)', () => {
    for (const length of [11, 12, 13, 14, 40]) {
      for (const filler of ['a', 'é', '中', '\\"', '\\n', '\\u00e9']) {
        const body = filler.repeat(length);
        expectSameAsJsonParse(`{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"${body}"}}`);
        expect(readFrequentDelta(`{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"${body}\u0001"}}`)).toBeUndefined();
      }
    }
  });

  it('reads any string of any of the three, at any index, as JSON.parse does', () => {
    fc.assert(
      fc.property(
        fc.nat({ max: 999_999_999 }),
        fc.constantFrom(0, 1, 2),
        fc.array(fc.oneof(fc.string({ unit: 'binary', maxLength: 12 }), fc.constantFrom(...TRICKY)), { maxLength: 8 }).map((parts) => parts.join('')),
        (index, kind, value) => expectSameAsJsonParse(dataOf(index, kind, value)),
      ),
      { numRuns: 2000 },
    );
  });

  it('reads every way JSON allows to escape a character: \\u in either case, \\/', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.string({ unit: 'binary', maxLength: 6 }), fc.constantFrom(...TRICKY)), { maxLength: 6 }).map((parts) => parts.join('')),
        fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 1, maxLength: 7 }),
        (value, ways) => {
          const data = `{"type":"content_block_delta","index":1,"delta":{"type":"text_delta","text":${escapedLiteral(value, ways)}}}`;
          expectSameAsJsonParse(data);
          expect(readFrequentDelta(data)!.delta).toEqual({ type: 'text_delta', text: value });
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('gives nothing JSON.parse would not give: one character put in, left out or changed anywhere, it reads the same or leaves it to JSON.parse', () => {
    const base = dataOf(7, 0, 'a"b\\c\u00e9\n😀');
    const edits = oneCharacterEdits(base, ['"', '\\', ' ', '0', '-', 'u', '}', ',', '\u0001', 'x']);
    let read = 0;
    for (const data of edits) {
      const event = readFrequentDelta(data);
      if (event === undefined) continue;
      read += 1;
      expect(() => JSON.parse(data)).not.toThrow();
      expect(JSON.stringify(event)).toBe(JSON.stringify(JSON.parse(data)));
    }
    // Edits inside the text (another letter, an escaped character) are still read here.
    expect(read).toBeGreaterThan(10);
  });

  it('leaves every other form to JSON.parse', () => {
    const others = [
      '{"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta", "text": "Hi"}}',
      '{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Hi","extra":1}}',
      '{"type":"content_block_delta","index":0,"delta":{"text":"Hi","type":"text_delta"}}',
      '{"index":0,"type":"content_block_delta","delta":{"type":"text_delta","text":"Hi"}}',
      '{"type":"content_block_delta","index":0,"delta":{"type":"signature_delta","signature":"abc"}}',
      '{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":1}}',
      '{"type":"content_block_delta","index":01,"delta":{"type":"text_delta","text":"Hi"}}',
      '{"type":"content_block_delta","index":-1,"delta":{"type":"text_delta","text":"Hi"}}',
      '{"type":"content_block_delta","index":1.5,"delta":{"type":"text_delta","text":"Hi"}}',
      '{"type":"content_block_delta","index":1234567890,"delta":{"type":"text_delta","text":"Hi"}}',
      '{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"a"b"}}',
      '{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"\\x"}}',
      '{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"\\u12"}}',
      '{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"\\"}}',
      '{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"tab\there"}}',
      '{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Hi"}} ',
      '{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Hi"}',
      '{"type":"content_block_delta","index":,"delta":{"type":"text_delta","text":"Hi"}}',
    ];
    for (const data of others) expect([data, readFrequentDelta(data)]).toEqual([data, undefined]);
  });
});

describe('decodeEvent with the frequent deltas', () => {
  const sse = (data: string, event?: string) => ({ event, data, id: undefined });

  it('gives the same event whichever way the data is written', () => {
    const compact = decodeEvent(sse('{"type":"content_block_delta","index":2,"delta":{"type":"input_json_delta","partial_json":"[1,"}}', 'content_block_delta'));
    const spaced = decodeEvent(sse('{"type": "content_block_delta", "index": 2, "delta": {"type": "input_json_delta", "partial_json": "[1,"}}', 'content_block_delta'));
    expect(compact).toEqual(spaced);
    expect(JSON.stringify(compact)).toBe(JSON.stringify(spaced));
  });

  it('still fails a delta the compact form does not read with the StreamDecodeError JSON.parse gives', () => {
    const error = (() => {
      try {
        decodeEvent(sse('{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"tab\there"}}', 'content_block_delta'));
      } catch (caught) {
        return caught;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(StreamDecodeError);
    expect((error as Error).message).toMatch(/not valid JSON/);
  });

  it('still reads an `error` event as an APIError, whatever its data', () => {
    expect(() => decodeEvent(sse('{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Hi"}}', 'error'))).toThrow(APIError);
  });
});
