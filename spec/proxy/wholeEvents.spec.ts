import fc from 'fast-check';
import { Observable, Subject, from, lastValueFrom, toArray } from 'rxjs';
import { StreamDecodeError } from 'rx-anthropic';
import { wholeEvents } from '../../lib/proxy/wholeEvents';

const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);
const text = (chunk: Uint8Array): string => Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength).toString('utf8');

/** The chunks `wholeEvents` gives for these chunks, as text. */
const chunksOf = async (chunks: string[], maxEventBytes = 1024): Promise<string[]> =>
  (await lastValueFrom(from(chunks.map(bytes)).pipe(wholeEvents(maxEventBytes), toArray()))).map(text);

describe('wholeEvents', () => {
  it('cuts each chunk after its last blank line and carries the rest to the next', async () => {
    expect(await chunksOf(['event: a\ndata: 1\n\nevent: b\nda', 'ta: 2\n\n'])).toEqual(['event: a\ndata: 1\n\n', 'event: b\ndata: 2\n\n']);
  });

  it('passes a chunk of whole events on in one piece', async () => {
    expect(await chunksOf(['data: 1\n\ndata: 2\n\n', 'data: 3\n\n'])).toEqual(['data: 1\n\ndata: 2\n\n', 'data: 3\n\n']);
  });

  it('cuts at \\r\\n\\r\\n too, and at whichever blank line comes last', async () => {
    expect(await chunksOf(['data: 1\r\n\r\ndata: 2\r\n'])).toEqual(['data: 1\r\n\r\n', 'data: 2\r\n']);
    expect(await chunksOf(['data: 1\r\n\r\ndata: 2\n\ndata: 3'])).toEqual(['data: 1\r\n\r\ndata: 2\n\n', 'data: 3']);
    expect(await chunksOf(['data: 1\n\ndata: 2\r\n\r\ndata: 3'])).toEqual(['data: 1\n\ndata: 2\r\n\r\n', 'data: 3']);
  });

  it('takes a line end followed by a line end of the other kind as a blank line', async () => {
    expect(await chunksOf(['data: 1\n\r\ndata: 2\r\n\ndata: 3'])).toEqual(['data: 1\n\r\ndata: 2\r\n\n', 'data: 3']);
    expect(await chunksOf(['data: 1\n', '\r\ndata: 2'])).toEqual(['data: 1\n\r\n', 'data: 2']);
  });

  it('gives the waiting event joined to the head of the next chunk, then the rest of that chunk as a view of it, uncopied', () => {
    const source = new Subject<Uint8Array>();
    const seen: Uint8Array[] = [];
    source.pipe(wholeEvents(1024)).subscribe((chunk) => seen.push(chunk));
    source.next(bytes('data: 1\n\ndata: '));
    const next = Buffer.from('2\n\ndata: 3\n\ndata: 4\n\ndata: 5');
    source.next(next);
    expect(seen.map(text)).toEqual(['data: 1\n\n', 'data: 2\n\n', 'data: 3\n\ndata: 4\n\n']);
    expect(seen[2]?.buffer).toBe(next.buffer);
    source.complete();
    expect(text(seen[3] as Uint8Array)).toBe('data: 5');
  });

  it('finds a blank line split across two chunks', async () => {
    expect(await chunksOf(['data: 1\n', '\ndata: 2'])).toEqual(['data: 1\n\n', 'data: 2']);
    expect(await chunksOf(['data: 1\r\n\r', '\ndata: 2'])).toEqual(['data: 1\r\n\r\n', 'data: 2']);
  });

  it('holds chunks without a blank line until one comes, or the stream completes', async () => {
    expect(await chunksOf(['da', 'ta', ': 1\n'])).toEqual(['data: 1\n']);
    expect(await chunksOf(['da', 'ta: 1\n', '\n'])).toEqual(['data: 1\n\n']);
  });

  it('completes with nothing for an empty stream', async () => {
    expect(await chunksOf([])).toEqual([]);
  });

  it('emits each whole event as its chunk arrives, not at completion', () => {
    const source = new Subject<Uint8Array>();
    const seen: string[] = [];
    source.pipe(wholeEvents(1024)).subscribe((chunk) => seen.push(text(chunk)));
    source.next(bytes('data: 1\n\ndata: 2'));
    expect(seen).toEqual(['data: 1\n\n']);
    source.next(bytes('\n\n'));
    expect(seen).toEqual(['data: 1\n\n', 'data: 2\n\n']);
  });

  it('takes Uint8Arrays that are views into a larger buffer', async () => {
    const whole = bytes('xxdata: 1\n\ndata: 2xx');
    const view = new Uint8Array(whole.buffer, 2, whole.byteLength - 4);
    const chunks = await lastValueFrom(from([view]).pipe(wholeEvents(1024), toArray()));
    expect(chunks.map(text)).toEqual(['data: 1\n\n', 'data: 2']);
  });

  it('passes an error on and drops the unfinished event', () => {
    const source = new Subject<Uint8Array>();
    const seen: string[] = [];
    let failure: unknown;
    source.pipe(wholeEvents(1024)).subscribe({ next: (chunk) => seen.push(text(chunk)), error: (error: unknown) => (failure = error) });
    const cause = new Error('socket hang up');
    source.next(bytes('data: 1\n\ndata: hal'));
    source.error(cause);
    expect(seen).toEqual(['data: 1\n\n']);
    expect(failure).toBe(cause);
  });

  it('fails with StreamDecodeError once an event grows past maxEventBytes, and unsubscribes its source', () => {
    let unsubscribed = false;
    const source = new Observable<Uint8Array>((subscriber) => {
      subscriber.next(bytes('data: ok\n\n'));
      subscriber.next(bytes('data: 12345'));
      subscriber.next(bytes('67890'));
      return () => (unsubscribed = true);
    });
    const seen: string[] = [];
    let error: unknown;
    source.pipe(wholeEvents(12)).subscribe({ next: (chunk) => seen.push(text(chunk)), error: (e: unknown) => (error = e) });
    expect(error).toBeInstanceOf(StreamDecodeError);
    expect((error as Error).message).toMatch(/12 bytes/);
    expect(seen).toEqual(['data: ok\n\n']);
    expect(unsubscribed).toBe(true);
  });

  it('lets an unfinished event of exactly maxEventBytes wait, and counts only the unfinished part', async () => {
    expect(await chunksOf(['data: 1234', '\n\n'], 10)).toEqual(['data: 1234\n\n']);
    expect(await chunksOf(['data: 1\n\ndata: 2\n\ndata: 3\n\n'], 4)).toEqual(['data: 1\n\ndata: 2\n\ndata: 3\n\n']);
    await expect(chunksOf(['data: 12345'], 10)).rejects.toBeInstanceOf(StreamDecodeError);
  });

  it('for any chunking of a stream: the same bytes, and every chunk but the last ends with a blank line', () => {
    const piece = fc.constantFrom('data: x', 'event: y', '\n', '\r\n', '\r', '\n\n', '\r\n\r\n', 'é', ':');
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 40 }), fc.array(fc.nat(), { maxLength: 12 }), (pieces, cuts) => {
        const stream = Buffer.from(pieces.join(''));
        const at = [...new Set(cuts.map((cut) => cut % (stream.length + 1)))].sort((a, b) => a - b);
        const input = [0, ...at].map((start, index) => stream.subarray(start, at[index] ?? stream.length));
        const output: Buffer[] = [];
        let completed = false;
        from(input)
          .pipe(wholeEvents(1 << 20))
          .subscribe({ next: (chunk) => output.push(Buffer.from(chunk)), complete: () => (completed = true) });
        expect(completed).toBe(true);
        expect(Buffer.concat(output).equals(stream)).toBe(true);
        // A blank line: a line end (\n or \r\n) followed by another.
        for (const chunk of output.slice(0, -1)) expect(/\r?\n\r?\n$/.test(chunk.toString('utf8'))).toBe(true);
      }),
      { numRuns: 500 },
    );
  });
});
