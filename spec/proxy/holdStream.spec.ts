import { lastValueFrom, Subject, toArray } from 'rxjs';
import { memoryStreamStore, type ProxyStreamStore } from 'rx-anthropic/proxy';
import { holdStream } from '../../lib/proxy/holdStream';
import { numberEvents } from '../../lib/proxy/numberEvents';

/** Twelve events of UTF-8 text of one to four bytes a character, one chunk each. */
const chunks = Array.from({ length: 12 }, (_, index) => Buffer.from(`event: content_block_delta\ndata: {"text":"${index} é ✓ 🙂 Ω ${'日本'.repeat(index)}"}\n\n`));

/** The frames of the whole stream, numbered from 1. */
const whole = numberEvents(Buffer.concat(chunks), 1).frames;

async function readAll(store: ProxyStreamStore, id: string): Promise<Buffer> {
  const pieces = await lastValueFrom((await store.read(id, 'user:u1', 0))!.pipe(toArray()));
  return Buffer.concat(pieces.map((piece) => Buffer.from(piece)));
}

/** Holds the twelve chunks into `store` under `s` (created here) with no browser, until the upstream request is over. */
async function holdAll(store: ProxyStreamStore): Promise<void> {
  await store.create('s', 'user:u1');
  const upstream = new Subject<Uint8Array>();
  const held = holdStream(upstream, store, 's', (error) => {
    throw error;
  });
  held.start();
  for (const chunk of chunks) upstream.next(chunk);
  upstream.complete();
  await held.done;
}

describe('holdStream', () => {
  it("gives the browser the numbered frames as Latin-1 text, and a store that takes them (appendEvents) the upstream's events, which it reads back numbered the same", async () => {
    const inner = memoryStreamStore();
    const calls: string[] = [];
    const store: ProxyStreamStore = {
      ...inner,
      appendEvents: (id, first, events, count) => (calls.push(`appendEvents ${first}+${count}`), inner.appendEvents!(id, first, events, count)),
      appendLatin1: (id, first, frames, count) => (calls.push('appendLatin1'), inner.appendLatin1!(id, first, frames, count)),
    };
    await store.create('s', 'user:u1');
    const upstream = new Subject<Uint8Array>();
    const held = holdStream(upstream, store, 's', (error) => {
      throw error;
    });
    const browser = lastValueFrom(held.frames$.pipe(toArray()));
    for (const chunk of chunks) upstream.next(chunk);
    upstream.complete();
    const frames = await browser;
    await held.done;
    expect(Buffer.from(frames.map((piece) => piece.text).join(''), 'latin1').equals(whole)).toBe(true);
    expect((await readAll(store, 's')).equals(whole)).toBe(true);
    // The first chunk went alone; the eleven that came while it was in flight, joined.
    expect(calls).toEqual(['appendEvents 1+1', 'appendEvents 2+11']);
  });

  it('keeps the numbered frames as Latin-1 text in a store without appendEvents that takes them so (appendLatin1)', async () => {
    const inner = memoryStreamStore();
    await holdAll({ ...inner, appendEvents: undefined });
    expect((await readAll(inner, 's')).equals(whole)).toBe(true);
  });

  it("keeps the relay's error frame after the events when the upstream fails midway, numbered as the browser got it", async () => {
    const store = memoryStreamStore();
    await store.create('s', 'user:u1');
    const upstream = new Subject<Uint8Array>();
    const held = holdStream(upstream, store, 's', () => undefined);
    const browser = lastValueFrom(held.frames$.pipe(toArray()));
    for (const chunk of chunks.slice(0, 3)) upstream.next(chunk);
    upstream.error(new Error('the upstream went away: é ✓'));
    const frames = Buffer.from((await browser).map((piece) => piece.text).join(''), 'latin1');
    await held.done;
    expect(frames.toString('utf8')).toMatch(/id: 4\nevent: error\ndata: \{.*\}\n\n$/);
    expect((await readAll(store, 's')).equals(frames)).toBe(true);
  });

  it('gives a store without appendEvents or appendLatin1 the bytes, the chunks that came during a slow append joined into one append', async () => {
    const inner = memoryStreamStore();
    const appended: number[] = [];
    const store: ProxyStreamStore = {
      ...inner,
      appendEvents: undefined,
      appendLatin1: undefined,
      append: async (id, first, frames, count) => {
        appended.push(count);
        await new Promise((resolve) => setTimeout(resolve, 20));
        return inner.append(id, first, frames, count);
      },
    };
    await holdAll(store);
    // A read completes once the stream has ended in the store, after the last append.
    expect((await readAll(inner, 's')).equals(whole)).toBe(true);
    // The first chunk went alone; the eleven that came while it was in flight, together.
    expect(appended).toEqual([1, 11]);
  });
});
