import fc from 'fast-check';
import { from, lastValueFrom, Subject, toArray } from 'rxjs';
import { decodeJSONLines, StreamDecodeError } from 'rx-anthropic';

const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);

/** The bytes of `text` cut at the given offsets (sorted, within the length). */
function cut(text: string, offsets: readonly number[]): Uint8Array[] {
  const all = bytes(text);
  const points = [...new Set(offsets.map((offset) => offset % (all.length + 1)))].sort((a, b) => a - b);
  const chunks: Uint8Array[] = [];
  let start = 0;
  for (const point of [...points, all.length]) {
    chunks.push(all.slice(start, point));
    start = point;
  }
  return chunks;
}

const decodeAll = (chunks: readonly Uint8Array[]) => lastValueFrom(from(chunks).pipe(decodeJSONLines(), toArray()));

describe('decodeJSONLines', () => {
  const values = [{ custom_id: 'a', text: 'héllo ✓ 𝄞 日本' }, { n: 1 }, ['x', null], 'last'];
  const file = values.map((value) => JSON.stringify(value)).join('\n') + '\n';

  it('gives one value per line, whatever the byte boundaries (multi-byte characters cut included)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.nat(), { maxLength: 20 }), async (offsets) => {
        expect(await decodeAll(cut(file, offsets))).toEqual(values);
      }),
    );
  });

  it('accepts CRLF line ends, skips empty lines and reads a last line without a line end', async () => {
    expect(await decodeAll([bytes('{"a":1}\r\n\r\n{"b":'), bytes('2}\n{"c":3}')])).toEqual([{ a: 1 }, { b: 2 }, { c: 3 }]);
  });

  it('emits each line as soon as its line end arrives, before the body ends', () => {
    const chunks = new Subject<Uint8Array>();
    const seen: unknown[] = [];
    chunks.pipe(decodeJSONLines()).subscribe((value) => seen.push(value));
    chunks.next(bytes('{"a":1}\n{"b"'));
    expect(seen).toEqual([{ a: 1 }]);
    chunks.next(bytes(':2}\n'));
    expect(seen).toEqual([{ a: 1 }, { b: 2 }]);
  });

  it('fails with a StreamDecodeError naming the line number of a line that is not JSON', async () => {
    const error = await decodeAll([bytes('{"a":1}\n{"b":2}\n{oops\n{"c":3}\n')]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StreamDecodeError);
    expect((error as StreamDecodeError).path).toBe('line 3');
    expect((error as Error).message).toContain('line 3 is not JSON');
    expect((error as StreamDecodeError).excerpt).toContain('{oops');
  });

  it('fails with a StreamDecodeError naming the line of bytes that are not UTF-8, wherever the chunks are cut', async () => {
    const good = bytes('{"a":1}\n{"b":"é"}\n');
    const bad = Uint8Array.of(...bytes('{"c":"'), 0xc3, 0x28, ...bytes('"}\n{"d":4}\n'));
    const all = Uint8Array.of(...good, ...bad);
    for (let at = 0; at <= all.length; at++) {
      const seen: unknown[] = [];
      const error = await new Promise((resolve) =>
        from([all.slice(0, at), all.slice(at)]).pipe(decodeJSONLines()).subscribe({ next: (value) => seen.push(value), error: resolve, complete: () => resolve(undefined) }),
      );
      expect(error).toBeInstanceOf(StreamDecodeError);
      expect((error as StreamDecodeError).path).toBe('line 3');
      expect((error as Error).message).toContain(`line 3 is not valid UTF-8 (the line starts at byte ${good.length} of the body)`);
      expect(seen).toEqual([{ a: 1 }, { b: 'é' }]);
    }
  });

  it('fails on a character cut off by the end of the body, naming its line', async () => {
    const error = await decodeAll([bytes('{"a":1}\n{"b":"'), Uint8Array.of(0xe6, 0x97)]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StreamDecodeError);
    expect((error as StreamDecodeError).path).toBe('line 2');
    expect((error as Error).message).toContain('not valid UTF-8');
  });

  it('drops a byte order mark at the start of the body only', async () => {
    expect(await decodeAll([Uint8Array.of(0xef, 0xbb), Uint8Array.of(0xbf, ...bytes('{"a":1}\n"\uFEFF"\n'))])).toEqual([{ a: 1 }, '\uFEFF']);
  });

  it('gives each value to decodeLine with its line number (empty lines counted), and fails with what it throws', async () => {
    const calls: Array<[unknown, number]> = [];
    const refused = new Error('no c here');
    const decodeLine = (value: unknown, line: number): string => {
      calls.push([value, line]);
      if ((value as { c?: number }).c !== undefined) throw refused;
      return `line ${line}`;
    };
    const chunks = [bytes('{"a":1}\n\n{"b":2}\r\n{"c":3}\n{"d":4}\n')];
    const seen: unknown[] = [];
    const error = await new Promise((resolve) => from(chunks).pipe(decodeJSONLines(decodeLine)).subscribe({ next: (value) => seen.push(value), error: resolve }));
    expect(error).toBe(refused);
    expect(seen).toEqual(['line 1', 'line 3']);
    expect(calls).toEqual([
      [{ a: 1 }, 1],
      [{ b: 2 }, 3],
      [{ c: 3 }, 4],
    ]);
  });

  it('emits every line of a large body cut anywhere, none dropped or repeated', async () => {
    const lines = Array.from({ length: 3000 }, (_, i) => ({ custom_id: `r-${i}`, text: i % 3 === 0 ? '日本語 ✓ 🙂' : 'plain' }));
    const body = bytes(lines.map((line) => JSON.stringify(line)).join('\n'));
    await fc.assert(
      fc.asyncProperty(fc.array(fc.nat({ max: body.length }), { maxLength: 40 }), async (offsets) => {
        const chunks = cut(new TextDecoder().decode(body), offsets);
        expect(await decodeAll(chunks)).toEqual(lines);
      }),
      { numRuns: 30 },
    );
  });

  it('unsubscribes its source when the subscriber unsubscribes', () => {
    const chunks = new Subject<Uint8Array>();
    const subscription = chunks.pipe(decodeJSONLines()).subscribe();
    expect(chunks.observed).toBe(true);
    subscription.unsubscribe();
    expect(chunks.observed).toBe(false);
  });
});
