import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

import { PartialJsonParser, PartialJsonSyntaxError } from '../../lib/accumulate/PartialJsonParser';

const FIXTURES = resolve(__dirname, '../fixtures/sdk-sse');

interface PythonCase {
  readonly input: string;
  readonly expected: { readonly partial?: unknown; readonly 'trailing-strings': unknown };
}
interface TypeScriptCase {
  readonly test: string;
  readonly input: string;
  readonly expected: unknown;
}
const cases = JSON.parse(readFileSync(resolve(FIXTURES, 'partial-json-cases.json'), 'utf8')) as {
  readonly python: { readonly cases: readonly PythonCase[] };
  readonly typescript: { readonly cases: readonly TypeScriptCase[] };
};

/** The input_json_delta strings of one content block of an SSE fixture, in order. */
function inputJsonDeltas(file: string, index: number): string[] {
  return readFileSync(resolve(FIXTURES, file), 'utf8')
    .split('\n')
    .filter((line) => line.startsWith('data: '))
    .map((line) => JSON.parse(line.slice('data: '.length)) as Record<string, unknown>)
    .flatMap((event) => {
      const delta = event['delta'] as { type?: string; partial_json?: string } | undefined;
      return event['index'] === index && delta?.type === 'input_json_delta' ? [delta.partial_json ?? ''] : [];
    });
}

function parse(chunks: readonly string[]): PartialJsonParser {
  const parser = new PartialJsonParser();
  for (const chunk of chunks) parser.push(chunk);
  return parser;
}

/** A small seeded generator, so random chunkings are the same on every run. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function randomChunks(text: string, random: () => number): string[] {
  const chunks: string[] = [];
  for (let i = 0; i < text.length; ) {
    const size = 1 + Math.floor(random() * 6);
    chunks.push(text.slice(i, i + size));
    i += size;
  }
  return chunks;
}

/** The text whole, in 1-character chunks, in every split in two, and in a few random chunkings. */
function chunkings(text: string): Array<readonly string[]> {
  const random = seededRandom(text.length);
  return [
    [text],
    Array.from(text),
    ...Array.from({ length: text.length - 1 }, (_, k) => [text.slice(0, k + 1), text.slice(k + 1)]),
    ...Array.from({ length: 5 }, () => randomChunks(text, random)),
  ];
}

/** Asserts the snapshot after the last push is `expected` however the text is split. */
function expectSnapshot(text: string, expected: unknown): void {
  for (const chunks of chunkings(text)) {
    expect({ chunks, snapshot: parse(chunks).snapshot() }).toEqual({ chunks, snapshot: expected });
  }
}

/** Asserts `finish()` agrees with `JSON.parse` (value or failure) however the text is split. */
function expectFinishLikeJsonParse(text: string): void {
  let expected: { value: unknown } | undefined;
  try {
    expected = { value: JSON.parse(text) };
  } catch {
    expected = undefined;
  }
  for (const chunks of chunkings(text)) {
    const parser = parse(chunks);
    if (expected === undefined) expect(() => parser.finish()).toThrow(PartialJsonSyntaxError);
    else expect(parser.finish()).toEqual(expected.value);
  }
}

describe('PartialJsonParser', () => {
  describe('Python SDK cases (jiter trailing-strings mode, matched exactly)', () => {
    it.each(cases.python.cases.map((c) => [c.input, c.expected['trailing-strings']] as const))(
      '%s',
      (input, expected) => {
        if (typeof expected === 'object' && expected !== null && 'error' in expected) {
          // The Python SDK raises on the delta that makes the text invalid; here the error is
          // recorded at that push and thrown by finish(), and the snapshot stays at the error.
          for (const chunks of chunkings(input)) {
            const parser = parse(chunks);
            expect(parser.error).toBeInstanceOf(PartialJsonSyntaxError);
            expect(() => parser.finish()).toThrow(parser.error);
            expect(parser.snapshot()).toEqual({ key: 'value' });
          }
        } else {
          expectSnapshot(input, expected);
          expectFinishLikeJsonParse(input);
        }
      },
    );
  });

  describe('TypeScript SDK cases', () => {
    /**
     * Where the TS SDK's vendored parser (partial-json-parser) disagrees with trailing-strings
     * semantics, these are our expectations instead, with the reason.
     */
    const ours: Readonly<Record<string, { readonly expected: unknown; readonly why: string }>> = {
      '{"foo": "bar", "thing": "': {
        expected: { foo: 'bar', thing: '' },
        why: 'an unfinished string is kept, even while still empty; the TS parser drops it with its key',
      },
      '{"foo": "bar\\': {
        expected: { foo: 'bar' },
        why:
          'only the incomplete escape is left out; the TS parser (and jiter) drop the whole string, ' +
          'so a growing value would vanish at each backslash and come back after it',
      },
      '{"foo": "bar", "baz": truee': {
        expected: { foo: 'bar', baz: true },
        why:
          'the text is invalid from the second "e" on (finish() throws); the snapshot stays what ' +
          'it was at the error, when `true` was complete; the TS parser drops baz instead',
      },
      '{"a": {"b": {"c": {"d": "e': {
        expected: { a: { b: { c: { d: 'e' } } } },
        why: 'an unfinished string is kept; the TS parser drops it with its key',
      },
      ...Object.fromEntries(
        (
          [
            ['{"foo": 123.', { foo: 123 }],
            ['{"foo": 8.2156e', { foo: 8.2156 }],
            ['{"foo": 8.2156E', { foo: 8.2156 }],
            ['{"foo": 8.2156e-', { foo: 8.2156 }],
            ['{"foo": 8.2156e+', { foo: 8.2156 }],
            ['{"foo": 1, "bar": 8.2156e', { foo: 1, bar: 8.2156 }],
          ] as const
        ).map(([input, expected]) => [
          input,
          {
            expected,
            why:
              'a number keeps its last complete value while it grows; the TS parser drops it with ' +
              'its key, so a field shown as 123 would vanish at the "." and come back after it',
          },
        ]),
      ),
    };

    it.each(cases.typescript.cases.map((c) => [c.test, c.input, c.expected] as const))(
      '%s: %s',
      (_test, input, tsExpected) => {
        expectSnapshot(input, ours[input]?.expected ?? tsExpected);
        expectFinishLikeJsonParse(input);
      },
    );

    it('covers every overridden case', () => {
      const inputs = new Set(cases.typescript.cases.map((c) => c.input));
      expect(Object.keys(ours).filter((input) => !inputs.has(input))).toEqual([]);
    });

    it('keeps every element of an unfinished array (the TS parser keeps only the first)', () => {
      expectSnapshot('["x", "y", "z"', ['x', 'y', 'z']);
      expectSnapshot('{"a": [1, 2, 3', { a: [1, 2, 3] });
    });
  });

  describe('SSE fixtures', () => {
    it('keeps every line and the trailing string of a stream cut by max_tokens', () => {
      // The Python expectation (partial mode) drops the unfinished "Filing taxes"; the TS one
      // keeps only the first line (see tool-use-incomplete-partial-json.ts.expected.json).
      const parser = parse(inputJsonDeltas('tool-use-incomplete-partial-json.py.sse', 1));
      expect(parser.snapshot()).toEqual({
        filename: 'taxes.txt',
        lines_of_text: [
          '# COMPREHENSIVE TAX GUIDE FOR INDIVIDUALS WITH MULTIPLE W-2s',
          '',
          '## INTRODUCTION',
          '',
          'Filing taxes',
        ],
      });
      expect(() => parser.finish()).toThrow(/Unexpected end of JSON input/);
    });

    it('shows the unfinished string of each input_json delta', () => {
      // The TS SDK shows {} until the string ends; its first {} is the block's initial input,
      // not a parse of the empty buffer, which is undefined here.
      const parser = new PartialJsonParser();
      const snapshots = inputJsonDeltas('tool-use-input-json.ts.sse', 1).map((delta) => {
        parser.push(delta);
        return parser.snapshot();
      });
      expect(snapshots).toEqual([
        undefined,
        {},
        { location: 'P' },
        { location: 'Par' },
        { location: 'Paris' },
      ]);
      expect(parser.finish()).toEqual({ location: 'Paris' });
    });
  });

  describe('snapshots while the text arrives', () => {
    it.each([
      ['', undefined],
      [' \n\t\r ', undefined],
      ['{', {}],
      ['[', []],
      ['{"a', {}],
      ['{"a"', {}],
      ['{"a": ', {}],
      ['{"a": "', { a: '' }],
      ['{"a": 1, "b', { a: 1 }],
      ['{"a": {', { a: {} }],
      ['{"a": [', { a: [] }],
      ['{"a": [1, 2,', { a: [1, 2] }],
      ['{"a": [1, {"b": [true, n', { a: [1, { b: [true] }] }],
      ['{"a": tr', {}],
      ['{"a": true', { a: true }],
      ['{"a": nul', {}],
      ['{"a": null', { a: null }],
      ['{"a": -', {}],
      ['{"a": 12', { a: 12 }],
      ['{"a": 12.', { a: 12 }],
      ['{"a": 12.5', { a: 12.5 }],
      ['{"a": 12.5e', { a: 12.5 }],
      ['{"a": 12.5e-', { a: 12.5 }],
      ['{"a": 12.5e-1', { a: 1.25 }],
      ['{"a": 0', { a: 0 }],
      ['{"a": -0', { a: -0 }],
      ['"abc', 'abc'],
      ['12', 12],
      ['-', undefined],
      ['tru', undefined],
      ['{"s": "caf\\u00', { s: 'caf' }],
      ['{"s": "caf\\u00e9', { s: 'café' }],
      ['{"s": "a\\', { s: 'a' }],
      ['{"s": "a\\"', { s: 'a"' }],
      ['{"s": "\\ud83e', { s: '' }],
      ['{"s": "\\ud83e\\udd', { s: '' }],
      ['{"s": "\\ud83e\\udd85', { s: '🦅' }],
      ['{"s": "\\ud83ex', { s: '\ud83ex' }],
      ['{"s": "x\ud83e', { s: 'x' }],
      ['{"s": "x\ud83e\udd85', { s: 'x🦅' }],
      ['{"k{": "}]]:,[{\\"', { 'k{': '}]]:,[{"' }],
    ])('%j → %j', (text, expected) => {
      expectSnapshot(text, expected);
    });

    it('decodes an escape split after "\\u0" once its last digit arrives', () => {
      const parser = parse(['{"s": "caf\\u0']);
      expect(parser.snapshot()).toEqual({ s: 'caf' });
      parser.push('0e9 au lait"}');
      expect(parser.snapshot()).toEqual({ s: 'café au lait' });
    });

    it('reads a number split across chunks', () => {
      const parser = new PartialJsonParser();
      const snapshots = ['{"n": 12', '3.5', 'e2', '}'].map((chunk) => {
        parser.push(chunk);
        return parser.snapshot();
      });
      expect(snapshots).toEqual([{ n: 12 }, { n: 123.5 }, { n: 12350 }, { n: 12350 }]);
      expect(parser.finish()).toBe(parser.snapshot());
    });
  });

  describe('partial numbers keep their last complete value', () => {
    /** The snapshot after each chunk, pushed in turn. */
    function snapshotsOf(chunks: readonly string[]): unknown[] {
      const parser = new PartialJsonParser();
      return chunks.map((chunk) => {
        parser.push(chunk);
        return parser.snapshot();
      });
    }

    it.each([
      // A value with no digit yet is not shown, as a key with no value is not.
      ['{"t": -', {}],
      ['{"t": -2', { t: -2 }],
      ['{"t": 21.', { t: 21 }],
      ['{"t": 21.5e', { t: 21.5 }],
      ['{"t": 21.5e-', { t: 21.5 }],
      ['{"t": 21.5e-3', { t: 0.0215 }],
      ['{"t": 2e', { t: 2 }],
      ['{"t": 2E+', { t: 2 }],
      ['{"t": 2E+1', { t: 20 }],
      ['{"t": 0.', { t: 0 }],
      ['{"t": 0e', { t: 0 }],
      ['{"t": -0.', { t: -0 }],
      ['{"t": -0.5', { t: -0.5 }],
      ['[1, 2e', [1, 2]],
      ['[1, 2.', [1, 2]],
      ['[1, -', [1]],
      ['[1, -3E-', [1, -3]],
      ['{"a": {"b": [7, {"c": 3.', { a: { b: [7, { c: 3 }] } }],
      ['{"a": [[0.', { a: [[0]] }],
      ['21.', 21],
      ['-1e+', -1],
      ['-0.', -0],
    ])('%j shows %j', (text, expected) => {
      expectSnapshot(text, expected);
    });

    it('shows 21 while "21." waits for its fraction (partialOutput once showed {} there)', () => {
      expect(snapshotsOf(['{"temperature": 21', '.', '5', '}'])).toEqual([
        { temperature: 21 },
        { temperature: 21 },
        { temperature: 21.5 },
        { temperature: 21.5 },
      ]);
    });

    it('keeps an array element while an exponent is written after it ([1, 2] once became [1])', () => {
      expect(snapshotsOf(['[1, 2', 'e', '3', ']'])).toEqual([[1, 2], [1, 2], [1, 2000], [1, 2000]]);
    });

    it('gives the same snapshot object for a character that does not change what the number shows', () => {
      const parser = new PartialJsonParser();
      parser.push('{"t": ');
      const empty = parser.snapshot();
      parser.push('-');
      expect(parser.snapshot()).toBe(empty);
      parser.push('4');
      const four = parser.snapshot();
      expect(four).toEqual({ t: -4 });
      for (const chunk of ['.', '5'] as const) parser.push(chunk);
      const fraction = parser.snapshot();
      expect(fraction).toEqual({ t: -4.5 });
      for (const chunk of ['e', '+']) {
        parser.push(chunk);
        expect(parser.snapshot()).toBe(fraction);
      }
      parser.push('1');
      expect(parser.snapshot()).toEqual({ t: -45 });
    });

    it('reads a number one character at a time as the last complete value of each prefix', () => {
      const text = '{"t": -21.5E-3}';
      const shown = snapshotsOf(Array.from(text)).map((snapshot) => (snapshot as { t?: number }).t);
      const numberStart = text.indexOf('-');
      expect(shown.slice(0, numberStart + 1)).toEqual(Array.from({ length: numberStart + 1 }, () => undefined));
      // After "-2", "-21", "-21.", "-21.5", "-21.5E", "-21.5E-", "-21.5E-3", "}".
      expect(shown.slice(numberStart + 1)).toEqual([-2, -21, -21, -21.5, -21.5, -21.5, -0.0215, -0.0215]);
    });

    it.each(['{"t": 21.5e-3, "u": [0.25, -0E+0, 1E2]}', '[-0.0, 2e-1, 10]'])(
      'shows the same numbers in %s at every offset, whatever delta boundary falls inside them',
      (text) => {
        const byCharacter = [undefined, ...snapshotsOf(Array.from(text))];
        for (const chunks of chunkings(text)) {
          const parser = new PartialJsonParser();
          let offset = 0;
          for (const chunk of chunks) {
            parser.push(chunk);
            offset += chunk.length;
            expect([chunks, offset, parser.snapshot()]).toEqual([chunks, offset, byCharacter[offset]]);
          }
          expect(parser.finish()).toEqual(JSON.parse(text));
        }
      },
    );

    it('gives a number at the very end of the text as the complete value', () => {
      for (const chunks of chunkings('-12.5e1')) {
        const parser = parse(chunks);
        expect(parser.snapshot()).toBe(-125);
        expect(parser.finish()).toBe(-125);
      }
      const unfinished = parse(['21.']);
      expect(unfinished.snapshot()).toBe(21);
      expect(() => unfinished.finish()).toThrow(/Unexpected end of JSON input, expected a digit/);
    });
  });

  describe('complete texts split anywhere', () => {
    it.each([
      '{"s": "caf\\u00e9 \\" \\\\ \\/ \\b\\f\\n\\r\\t \\u0041\\u00E9"}',
      '{"bird": "\\ud83e\\udd85!", "raw": "🦅é", "lone": "\\ud83ex\\udd85"}',
      '{"n": 123.5e2, "m": -0.5E-3, "z": 0, "p": 1E+2, "big": 12345678901234567890}',
      '{"a": [[], {}, [1, [2, {"b": [true, false, null]}]], {"c": {}}]}',
      ' \n\t{ "a" : [ 1 , "x" ] , "b" :{ } ,"c":[ ] }\r\n ',
      '{"k{": "}]]:,[{", "[": ",", ":": ""}',
      '{"a": 1, "b": 2, "a": 3}',
      '{}',
      '[]',
      '"top"',
      '  -12.5e3  ',
      'true',
      'null',
    ])('%s', (text) => {
      expectSnapshot(text, JSON.parse(text));
      expectFinishLikeJsonParse(text);
    });

    it('orders duplicate keys as JSON.parse does, the last value winning', () => {
      const parser = parse(['{"a": 1, "b": 2, "a": "x']);
      expect(Object.entries(parser.snapshot() as object)).toEqual([
        ['a', 'x'],
        ['b', 2],
      ]);
    });

    it('keeps "__proto__" as an own key, never as a prototype', () => {
      const text = '{"__proto__": {"polluted": true}, "b": {"__proto__": "x';
      const snapshot = parse([text]).snapshot() as Record<string, unknown>;
      expect(Object.getPrototypeOf(snapshot)).toBe(Object.prototype);
      expect(Object.getOwnPropertyDescriptor(snapshot, '__proto__')?.value).toEqual({ polluted: true });
      expect(Object.getOwnPropertyDescriptor(snapshot['b'], '__proto__')?.value).toBe('x');
      expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
      const complete = `${text}"}}`;
      expect(parse([complete]).finish()).toEqual(JSON.parse(complete));
    });
  });

  describe('invalid text', () => {
    it.each([
      '',
      '   ',
      '{"a": 1',
      '{"a": 1,}',
      '[1,]',
      '[1 2]',
      "{'a': 1}",
      '{"a" 1}',
      '{"a": 1 "b": 2}',
      '{1: 2}',
      '01',
      '1.',
      '.5',
      '+1',
      '-a',
      '1e',
      '"\\x"',
      '"\\u12g4"',
      '"a\nb"',
      'nul',
      'truee',
      '[}',
      '{]',
      '{} x',
      '{}{}',
      '\ufeff{}',
    ])('%j: finish() throws as JSON.parse does', (text) => {
      expect(() => JSON.parse(text)).toThrow(SyntaxError);
      expectFinishLikeJsonParse(text);
    });

    it('reports the position and an excerpt of an unexpected character', () => {
      const parser = parse(['{"key": "value", "incomplete_field": ', 'bad_value']);
      const error = parser.error;
      expect(error).toBeInstanceOf(PartialJsonSyntaxError);
      expect(error).toBeInstanceOf(SyntaxError);
      expect(error?.name).toBe('PartialJsonSyntaxError');
      expect(error?.position).toBe(37);
      expect(error?.message).toBe(
        'Unexpected "b", expected a value at position 37 of the JSON text, near ' +
          '…e", "incomplete_field": ▶bad_value',
      );
    });

    it('reports the end of an unfinished text', () => {
      const parser = parse(['{"a": [1, ', '2']);
      expect(() => parser.finish()).toThrow(
        expect.objectContaining({
          position: 11,
          message:
            'Unexpected end of JSON input, expected a digit, ",", "]" or "}" ' +
            'at position 11 of the JSON text, near {"a": [1, 2▶',
        }),
      );
    });

    it('reports trailing characters after the value', () => {
      const parser = parse(['{"a": 1}', ' \n x']);
      expect(parser.error?.position).toBe(11);
      expect(parser.error?.message).toContain('Unexpected "x", expected nothing after the value');
    });

    it('keeps accepting pushes after an error and keeps the snapshot from before it', () => {
      const parser = parse(['{"a": "ok", "b": ']);
      const before = parser.snapshot();
      parser.push('x, "c": "more"}');
      const error = parser.error;
      expect(parser.snapshot()).toBe(before);
      parser.push(' and more');
      expect(parser.raw).toBe('{"a": "ok", "b": x, "c": "more"} and more');
      expect(parser.snapshot()).toBe(before);
      expect(parser.error).toBe(error);
      expect(() => parser.finish()).toThrow(error);
    });

    it('marks control characters in the message', () => {
      expect(parse(['"a\u0001']).error?.message).toMatch(/^Unescaped control character U\+0001 in a string/);
    });
  });

  describe('immutability and sharing', () => {
    const text =
      '{"name": "get_weather", "args": {"city": "Par\\u00eds", "days": [1, 2, {"hourly": true}], ' +
      '"units": null}, "tags": ["a", "b\\ud83e\\udd85"], "n": -12.5e-1}';

    it('never changes a snapshot once returned', () => {
      const parser = new PartialJsonParser();
      const taken: Array<{ snapshot: unknown; copy: unknown }> = [];
      for (const chunk of Array.from(text)) {
        parser.push(chunk);
        const snapshot = parser.snapshot();
        taken.push({ snapshot, copy: structuredClone(snapshot) });
      }
      parser.finish();
      for (const { snapshot, copy } of taken) expect(snapshot).toEqual(copy);
    });

    it('returns a new value whenever what it shows changes', () => {
      const parser = new PartialJsonParser();
      let previous: unknown;
      for (const chunk of Array.from(text)) {
        parser.push(chunk);
        const snapshot = parser.snapshot();
        if (JSON.stringify(snapshot) !== JSON.stringify(previous)) expect(snapshot).not.toBe(previous);
        previous = snapshot;
      }
    });

    it('memoises: the same object until a push changes what it shows', () => {
      const parser = parse(['{"a": [1, "x']);
      const first = parser.snapshot();
      expect(parser.snapshot()).toBe(first);
      parser.push('');
      expect(parser.snapshot()).toBe(first);
      parser.push('"');
      const closed = parser.snapshot();
      expect(closed).toEqual(first);
      parser.push(' ,\n ');
      expect(parser.snapshot()).toBe(closed);
      parser.push('t');
      expect(parser.snapshot()).toBe(closed);
      parser.push('rue');
      expect(parser.snapshot()).toEqual({ a: [1, 'x', true] });
    });

    it('leaves an object as it is while a key arrives', () => {
      const parser = parse(['{"a": 1, ']);
      const before = parser.snapshot();
      for (const chunk of ['"lon', 'g key"', ' : ']) {
        parser.push(chunk);
        expect(parser.snapshot()).toBe(before);
      }
    });

    it('shares finished values between snapshots, rebuilding only the open path', () => {
      const parser = parse(['{"done": {"x": [1, {"y": 2}]}, "list": [{"a": 1}, {"b": "o']);
      const first = parser.snapshot() as { done: unknown; list: unknown[] };
      parser.push('pen');
      const second = parser.snapshot() as { done: unknown; list: unknown[] };
      expect(second).not.toBe(first);
      expect(second.list).not.toBe(first.list);
      expect(second.list[1]).not.toBe(first.list[1]);
      expect(second.done).toBe(first.done);
      expect(second.list[0]).toBe(first.list[0]);
      expect(first).toEqual({ done: { x: [1, { y: 2 }] }, list: [{ a: 1 }, { b: 'o' }] });
    });

    it('gives each snapshot of an open array exactly its children so far, and the finished array exactly its elements', () => {
      const steps: Array<[string, unknown]> = [
        ['[', []],
        ['[1', [1]],
        ['[1, -', [1]],
        ['[1, -2', [1, -2]],
        ['[1, -2, [', [1, -2, []]],
        ['[1, -2, [3.', [1, -2, [3]]],
        ['[1, -2, [3.5], "t', [1, -2, [3.5], 't']],
        ['[1, -2, [3.5], "tw"', [1, -2, [3.5], 'tw']],
        ['[1, -2, [3.5], "tw", tr', [1, -2, [3.5], 'tw']],
      ];
      const parser = new PartialJsonParser();
      let pushed = '';
      const taken: unknown[][] = [];
      for (const [text, expected] of steps) {
        parser.push(text.slice(pushed.length));
        pushed = text;
        const snapshot = parser.snapshot() as unknown[];
        expect([text, snapshot]).toEqual([text, expected]);
        expect([text, snapshot.length]).toEqual([text, (expected as unknown[]).length]);
        taken.push(snapshot);
      }
      parser.push('ue]');
      const finished = parser.finish() as unknown[];
      expect(finished).toEqual([1, -2, [3.5], 'tw', true]);
      expect(finished).toHaveLength(5);
      expect(finished[2]).toHaveLength(1);
      expect(taken.map((snapshot) => snapshot.length)).toEqual([0, 1, 1, 2, 3, 3, 4, 4, 4]);
      expect((taken[5] as unknown[])[2]).toHaveLength(1);
    });

    it('gives the last snapshot as the result once the text is complete', () => {
      const parser = parse([text]);
      expect(parser.finish()).toBe(parser.snapshot());
      expect(parser.finish()).toEqual(JSON.parse(text));
    });
  });

  describe('cost', () => {
    /** ~400 KB: a long string with escapes, then many short strings, then more values. */
    function largeToolInput(): string {
      const paragraph = 'Line with "quotes", a tab\t, a backslash \\ and é — 🦅.\n';
      const input = {
        path: 'notes/large.md',
        lines: Array.from({ length: 2000 }, (_, i) => `line ${i}: ${paragraph.slice(0, 30)}`),
        content: paragraph.repeat(Math.ceil(300_000 / paragraph.length)),
        meta: { size: 123456, tags: ['x', 'y'], nested: { deep: [1, 2, 3] } },
      };
      return JSON.stringify(input, null, 1);
    }

    it('reads 400 KB in 8-character chunks with a snapshot after every push', () => {
      const text = largeToolInput();
      expect(text.length).toBeGreaterThan(400_000);
      const parser = new PartialJsonParser();
      let lines: unknown;
      let linesShared = 0;
      for (let i = 0; i < text.length; i += 8) {
        parser.push(text.slice(i, i + 8));
        const snapshot = parser.snapshot() as { lines?: unknown; content?: string };
        // While the long string grows, the finished array is shared, never copied.
        if (snapshot.content !== undefined && snapshot.lines === lines) linesShared++;
        lines = snapshot.lines;
      }
      expect(linesShared).toBeGreaterThan(300_000 / 8);
      expect(parser.finish()).toEqual(JSON.parse(text));
      expect(parser.raw).toBe(text);
    });
  });
});
