import { lastValueFrom, of, Subject, throwError } from 'rxjs';
import { toBlob } from 'rx-anthropic';

describe('toBlob', () => {
  it('emits one Blob of the chunks, with the given type', async () => {
    const blob = await lastValueFrom(of(new TextEncoder().encode('a,'), new TextEncoder().encode('b')).pipe(toBlob('text/csv')));
    expect(blob.type).toBe('text/csv');
    expect(await blob.text()).toBe('a,b');
  });

  it('has no type unless given one', async () => {
    expect((await lastValueFrom(of(new Uint8Array([1])).pipe(toBlob()))).type).toBe('');
  });

  it('passes an error on, and unsubscribes the source when unsubscribed', async () => {
    await expect(lastValueFrom(throwError(() => new Error('cut')).pipe(toBlob()))).rejects.toThrow('cut');
    const source = new Subject<Uint8Array>();
    source.pipe(toBlob()).subscribe().unsubscribe();
    expect(source.observed).toBe(false);
  });
});
