import { EMPTY, lastValueFrom, of, Subject, throwError } from 'rxjs';
import { collectBytes } from 'rx-anthropic';

describe('collectBytes', () => {
  it('emits the chunks joined into one Uint8Array when the source completes', async () => {
    const bytes = await lastValueFrom(of(new Uint8Array([1, 2]), new Uint8Array([]), new Uint8Array([3])).pipe(collectBytes()));
    expect([...bytes]).toEqual([1, 2, 3]);
  });

  it('emits an empty array for an empty source', async () => {
    expect((await lastValueFrom(EMPTY.pipe(collectBytes()))).byteLength).toBe(0);
  });

  it('emits nothing before the source completes, and passes an error on', async () => {
    const source = new Subject<Uint8Array>();
    const seen: Uint8Array[] = [];
    let failure: unknown;
    source.pipe(collectBytes()).subscribe({ next: (bytes) => seen.push(bytes), error: (error: unknown) => (failure = error) });
    source.next(new Uint8Array([1]));
    expect(seen).toEqual([]);
    source.error(new Error('cut'));
    expect(failure).toEqual(new Error('cut'));
    await expect(lastValueFrom(throwError(() => new Error('x')).pipe(collectBytes()))).rejects.toThrow('x');
  });

  it('unsubscribes the source when unsubscribed', () => {
    const source = new Subject<Uint8Array>();
    source.pipe(collectBytes()).subscribe().unsubscribe();
    expect(source.observed).toBe(false);
  });
});
