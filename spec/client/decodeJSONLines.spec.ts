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

  it('unsubscribes its source when the subscriber unsubscribes', () => {
    const chunks = new Subject<Uint8Array>();
    const subscription = chunks.pipe(decodeJSONLines()).subscribe();
    expect(chunks.observed).toBe(true);
    subscription.unsubscribe();
    expect(chunks.observed).toBe(false);
  });
});
