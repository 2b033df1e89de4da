import { PartialJsonParser, PartialJsonSyntaxError } from '../../lib/accumulate/PartialJsonParser';
import { ToolInputBuffer } from '../../lib/accumulate/ToolInputBuffer';

/** The buffer after `chunks`, with the length it had after each one. */
function buffered(chunks: readonly string[], initial: unknown = {}): { buffer: ToolInputBuffer; lengths: number[] } {
  const buffer = new ToolInputBuffer(initial);
  const lengths = chunks.map((chunk) => {
    buffer.push(chunk);
    return buffer.length;
  });
  return { buffer, lengths };
}

const prefixSnapshot = (text: string, initial: unknown = {}): unknown => {
  const parser = new PartialJsonParser();
  parser.push(text);
  return parser.snapshot() ?? initial;
};

describe('ToolInputBuffer', () => {
  const chunks = ['{"city": "Pa', 'ris", "days": [1', ', 2', ']}'];

  it('gives the input as of each point, read on time', () => {
    const buffer = new ToolInputBuffer({});
    const seen: unknown[] = [];
    for (const chunk of chunks) {
      buffer.push(chunk);
      seen.push(buffer.snapshotAt(buffer.length));
    }
    expect(seen).toEqual([{ city: 'Pa' }, { city: 'Paris', days: [1] }, { city: 'Paris', days: [1, 2] }, { city: 'Paris', days: [1, 2] }]);
  });

  it('gives the input as of each point when read late, in any order', () => {
    const { buffer, lengths } = buffered(chunks);
    const order = [3, 0, 2, 1, 0, 3];
    for (const i of order) {
      const length = lengths[i] as number;
      expect(buffer.snapshotAt(length)).toEqual(prefixSnapshot(chunks.join('').slice(0, length)));
    }
  });

  it('reads a point the parser has not reached yet without reading past it', () => {
    const { buffer, lengths } = buffered(chunks);
    expect(buffer.snapshotAt(lengths[1] as number)).toEqual({ city: 'Paris', days: [1] });
    // The parser stopped there: a later point is still reachable by reading on.
    expect(buffer.snapshotAt(lengths[2] as number)).toEqual({ city: 'Paris', days: [1, 2] });
    expect(buffer.finish()).toEqual({ city: 'Paris', days: [1, 2] });
  });

  it('keeps the initial input while nothing (or only whitespace) has arrived', () => {
    const initial = {};
    const { buffer } = buffered(['', '  ', '\n'], initial);
    expect(buffer.snapshotAt(0)).toBe(initial);
    expect(buffer.snapshotAt(buffer.length)).toBe(initial);
    expect(buffer.finish()).toBe(initial);
    expect(new ToolInputBuffer(initial).finish()).toBe(initial);
    const spaces = new ToolInputBuffer(initial);
    spaces.push(' \t\n');
    expect(spaces.finish()).toBe(initial);
    expect(spaces.snapshotAt(spaces.length)).toBe(initial);
  });

  it('finishes with the full parse whether or not a snapshot was read, equal to JSON.parse', () => {
    const text = '{"a": [1, {"b": null, "c": "\\u00e9\\ud83d\\ude00"}], "__proto__": {"x": 1}, "n": -1.5e3}';
    const pieces = [text.slice(0, 7), text.slice(7, 30), text.slice(30)];
    const unread = buffered(pieces).buffer;
    const read = buffered(pieces).buffer;
    read.snapshotAt(read.length);
    const halfRead = buffered(pieces);
    halfRead.buffer.snapshotAt(halfRead.lengths[0] as number);
    for (const buffer of [unread, read, halfRead.buffer]) {
      const value = buffer.finish() as Record<string, unknown>;
      expect(value).toEqual(JSON.parse(text));
      expect(Object.prototype.hasOwnProperty.call(value, '__proto__')).toBe(true);
    }
  });

  it("fails at the chunk where the text stops being JSON with the parser's error, which says where", () => {
    const buffer = new ToolInputBuffer({});
    buffer.push('{"foo": "bar", ');
    expect(() => buffer.push('"baz": "qux": "quux"}')).toThrow(PartialJsonSyntaxError);
    expect(buffer.raw).toBe('{"foo": "bar", "baz": "qux": "quux"}');
    expect(() => buffer.finish()).toThrow(/Unexpected ":", expected "," or "}" at position 27 of the JSON text/);
  });

  it('fails at that chunk whether snapshots were never read, read to the end, or read late', () => {
    const good = ['{"rows": [1, ', '2, {"a": tr', 'ue}'];
    const bad = '], 3]';
    const reference = new PartialJsonParser();
    reference.push(good.join('') + bad);
    for (const read of ['never', 'on time', 'late'] as const) {
      const { buffer, lengths } = buffered(good);
      if (read === 'on time') buffer.snapshotAt(buffer.length);
      if (read === 'late') buffer.snapshotAt(lengths[0] as number);
      let error: unknown;
      try {
        buffer.push(bad);
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(PartialJsonSyntaxError);
      expect((error as PartialJsonSyntaxError).message).toBe(reference.error?.message);
      expect((error as PartialJsonSyntaxError).position).toBe(good.join('').length + 3);
      // What was read before the bad chunk stays readable.
      expect(buffer.snapshotAt(lengths[2] as number)).toEqual({ rows: [1, 2, { a: true }] });
      expect(() => buffer.push(' ')).toThrow(error as Error);
      expect(() => buffer.finish()).toThrow(error as Error);
    }
  });

  it('fails at finish for text that stops too early, read or not', () => {
    for (const read of [false, true]) {
      const { buffer } = buffered(['{"a": [1, 2']);
      if (read) expect(buffer.snapshotAt(buffer.length)).toEqual({ a: [1, 2] });
      expect(() => buffer.finish()).toThrow(/Unexpected end of JSON input/);
    }
  });

  it('gives snapshots that later chunks and later reads never change', () => {
    const { buffer, lengths } = buffered(['{"rows": [{"id": 1}', ', {"id": 2}', ', {"id": 3}]}']);
    const first = buffer.snapshotAt(lengths[0] as number);
    const copy = structuredClone(first);
    buffer.snapshotAt(lengths[1] as number);
    buffer.snapshotAt(lengths[2] as number);
    buffer.finish();
    expect(first).toEqual(copy);
  });

  it('gives null as a value, not as nothing: a text that is null is shown as null, read on time or late', () => {
    const buffer = new ToolInputBuffer({});
    buffer.push('nu');
    expect(buffer.snapshotAt(buffer.length)).toEqual({});
    buffer.push('ll');
    expect(buffer.snapshotAt(buffer.length)).toBeNull();
    buffer.push(' ');
    expect(buffer.snapshotAt(4)).toBeNull();
    expect(buffer.finish()).toBeNull();
  });

  it('reads each chunk once when snapshots keep up, and still fails at the chunk that breaks the text', () => {
    const buffer = new ToolInputBuffer({});
    buffer.push('{"a": [1');
    expect(buffer.snapshotAt(buffer.length)).toEqual({ a: [1] });
    buffer.push(', 2]');
    expect(buffer.snapshotAt(buffer.length)).toEqual({ a: [1, 2] });
    expect(() => buffer.push('}}')).toThrow(PartialJsonSyntaxError);
    expect(() => buffer.push('')).not.toThrow();
    expect(() => buffer.finish()).toThrow(PartialJsonSyntaxError);
    expect(buffer.raw).toBe('{"a": [1, 2]}}');
  });

  it('leaves the check of later chunks to an accumulator before it once told so, and still fails at finish', () => {
    const buffer = new ToolInputBuffer({});
    expect(() => buffer.push('{"a": 1}}')).toThrow(PartialJsonSyntaxError);
    const trusting = new ToolInputBuffer({});
    trusting.push('{"a": ');
    trusting.checkedUpstream();
    expect(() => trusting.push('1}}')).not.toThrow();
    expect(() => trusting.finish()).toThrow(PartialJsonSyntaxError);
    const valid = new ToolInputBuffer({});
    valid.checkedUpstream();
    valid.push('{"a": [1, 2]}');
    expect(valid.finish()).toEqual({ a: [1, 2] });
  });
});
