import { lastValueFrom, toArray } from 'rxjs';
import { InvalidArgumentError } from 'rx-anthropic';
import { memoryStreamStore, type ProxyStreamStore } from 'rx-anthropic/proxy';
import { numberEvents } from '../../lib/proxy/numberEvents';
import { appendingEvents } from './support/appendingEvents';
import { streamStoreContract } from './support/streamStoreContract';

let streams = 0;

describe('memoryStreamStore: the ProxyStreamStore contract', () => {
  streamStoreContract({ make: (options) => memoryStreamStore(options), newId: () => `strm_memory_${++streams}` });
});

/** The store with every append made through `appendLatin1`, the frames as Latin-1 text, as the relay gives them. */
function appendingLatin1(store: ProxyStreamStore): ProxyStreamStore {
  const { appendLatin1 } = store;
  if (!appendLatin1) throw new Error('memoryStreamStore has no appendLatin1');
  return { ...store, append: (id, first, frames, count) => appendLatin1.call(store, id, first, Buffer.from(frames).toString('latin1'), count) };
}

describe('memoryStreamStore: the ProxyStreamStore contract, every append as Latin-1 text (appendLatin1)', () => {
  streamStoreContract({ make: (options) => appendingLatin1(memoryStreamStore(options)), newId: () => `strm_memory_latin1_${++streams}` });
});

describe('memoryStreamStore: the ProxyStreamStore contract, every append as the upstream\'s events (appendEvents)', () => {
  streamStoreContract({ make: (options) => appendingEvents(memoryStreamStore(options)), newId: () => `strm_memory_events_${++streams}` });
});

describe("memoryStreamStore: the upstream's events (appendEvents)", () => {
  const events = [`event: a\ndata: {"text":"é ✓ 🙂"}\n\n`, `event: b\ndata: {"n":2}\n\n`, `\nevent: c\ndata: ${'日本'.repeat(50)}\n\n`];
  const numbered = (from: number) => numberEvents(Buffer.from(events.slice(from - 1).join('')), from).frames;
  const read = async (store: ProxyStreamStore, after: number) => Buffer.concat((await lastValueFrom((await store.read('s', 'user:u1', after))!.pipe(toArray()))).map((piece) => Buffer.from(piece)));

  it('keeps them as they came, and gives them numbered from any event on, beside frames appended with their ids', async () => {
    const store = memoryStreamStore();
    await store.create('s', 'user:u1');
    expect(await store.appendEvents!('s', 1, Buffer.from(events.slice(0, 2).join('')), 2)).toBe(true);
    // Numbered frames and events mix: the holder's error frame comes with its id.
    expect(await store.append('s', 3, numbered(3), 1)).toBe(true);
    expect(await store.appendEvents!('s', 3, Buffer.from(events[2]!), 1)).toBe(false);
    await store.end('s');
    for (const after of [0, 1, 2, 3]) expect((await read(store, after)).toString('utf8')).toBe(numbered(after + 1).toString('utf8'));
  });

  it('gives a live reader the events numbered, in a buffer of its own', async () => {
    const store = memoryStreamStore({ maxBytes: 16 * 1024 });
    await store.create('s', 'user:u1');
    const got: Uint8Array[] = [];
    const reading = (await store.read('s', 'user:u1', 0))!.subscribe((piece) => got.push(piece));
    const given = Buffer.from(events.join(''));
    expect(await store.appendEvents!('s', 1, given, 3)).toBe(true);
    given.fill(0);
    await store.end('s');
    reading.unsubscribe();
    expect(Buffer.concat(got).equals(numbered(1))).toBe(true);
  });

  it('counts the bytes it keeps against maxStreamBytes: the events, without the ids it adds when read', async () => {
    const event = `data: ${'x'.repeat(94)}\n\n`; // 102 bytes; 108 with `id: 1\n`
    const store = memoryStreamStore({ maxStreamBytes: 204 });
    await store.create('s', 'user:u1');
    expect(await store.appendEvents!('s', 1, Buffer.from(event + event), 2)).toBe(true);
    expect(await store.appendEvents!('s', 3, Buffer.from('\n'), 0)).toBe(false);
  });
});

describe('memoryStreamStore: frames appended as Latin-1 text', () => {
  it('keeps their bytes, UTF-8 and all, as append of the same bytes does', async () => {
    const store = memoryStreamStore();
    const chunk = numberEvents(Buffer.from('data: {"text":"é ✓ 🙂 Ω 日本語 \u00ff"}\n\n'), 1);
    await store.create('bytes', 'user:u1');
    await store.create('text', 'user:u1');
    await store.append('bytes', 1, chunk.frames, 1);
    await store.appendLatin1!('text', 1, chunk.frames.toString('latin1'), 1);
    await store.end('bytes');
    await store.end('text');
    const read = async (id: string) => Buffer.concat((await lastValueFrom((await store.read(id, 'user:u1', 0))!.pipe(toArray()))).map((piece) => Buffer.from(piece)));
    expect((await read('text')).equals(chunk.frames)).toBe(true);
    expect((await read('bytes')).equals(chunk.frames)).toBe(true);
  });

  it('gives a live reader a copy, which stays whole when the stream is forgotten and its memory reused', async () => {
    const store = memoryStreamStore({ maxBytes: 16 * 1024 });
    await store.create('live', 'user:u1');
    const got: Uint8Array[] = [];
    const reading = (await store.read('live', 'user:u1', 0))!.subscribe((piece) => got.push(piece));
    const text = numberEvents(Buffer.from(`data: ${'é'.repeat(200)}\n\n`), 1).frames.toString('latin1');
    expect(await store.appendLatin1!('live', 1, text, 1)).toBe(true);
    await store.end('live');
    reading.unsubscribe();
    for (let i = 0; i < 16; i++) {
      await store.create(`n${i}`, 'user:u1');
      await store.appendLatin1!(`n${i}`, 1, `id: 1\ndata: ${String(i).repeat(480)}\n\n`, 1);
      await store.end(`n${i}`);
    }
    expect(await store.read('live', 'user:u1', 0)).toBeUndefined();
    expect(got).toHaveLength(1);
    expect(Buffer.from(got[0]!).toString('latin1')).toBe(text);
  });
});

describe('memoryStreamStore: its bounds', () => {
  const frames = (first: number, bytes: number) => numberEvents(Buffer.from(`data: ${'x'.repeat(bytes - 20)}\n\n`), first);

  it('forgets the streams that ended first, oldest end first, to keep maxBytes; a live stream that still does not fit is dropped', async () => {
    const store = memoryStreamStore({ maxBytes: 1_000, maxStreamBytes: 2_000 });
    for (const id of ['a', 'b', 'c']) {
      await store.create(id, 'user:u1');
      const chunk = frames(1, 300);
      expect(await store.append(id, 1, chunk.frames, 1)).toBe(true);
      await store.end(id);
    }
    await store.create('d', 'user:u1');
    expect(await store.append('d', 1, frames(1, 300).frames, 1)).toBe(true);
    // 1 200 bytes: a, the oldest ended, went.
    expect(await store.read('a', 'user:u1', 0)).toBeUndefined();
    expect(await store.read('b', 'user:u1', 0)).toBeDefined();
    expect(await store.read('c', 'user:u1', 0)).toBeDefined();
    expect(await store.append('d', 2, frames(2, 600).frames, 1)).toBe(true);
    expect(await store.read('b', 'user:u1', 0)).toBeUndefined();
    expect(await store.read('c', 'user:u1', 0)).toBeUndefined();
    // d alone holds 900 bytes, live: another 300 cannot be kept, and d is dropped.
    expect(await store.append('d', 3, frames(3, 300).frames, 1)).toBe(false);
    expect(await store.read('d', 'user:u1', 0)).toBeUndefined();
  });

  it('keeps a copy of the frames it was given, and gives each reader a copy of its own', async () => {
    const store = memoryStreamStore();
    await store.create('s', 'user:u1');
    const chunk = frames(1, 100);
    const original = Buffer.from(chunk.frames);
    await store.append('s', 1, chunk.frames, 1);
    chunk.frames.fill(0x20); // The holder's buffer changing later does not change what was kept.
    await store.end('s');
    const [first] = await lastValueFrom((await store.read('s', 'user:u1', 0))!.pipe(toArray()));
    expect(Buffer.from(first!).equals(original)).toBe(true);
    first!.fill(0x21); // Nor does a reader's copy.
    const [second] = await lastValueFrom((await store.read('s', 'user:u1', 0))!.pipe(toArray()));
    expect(Buffer.from(second!).equals(original)).toBe(true);
  });

  it('counts the memory its buffers take: a sixteenth of maxBytes each, so sixteen small streams at most', async () => {
    const store = memoryStreamStore({ maxBytes: 16 * 1024 });
    for (let i = 0; i < 17; i++) {
      await store.create(`s${i}`, 'user:u1');
      expect(await store.append(`s${i}`, 1, frames(1, 100).frames, 1)).toBe(true);
      await store.end(`s${i}`);
    }
    // The seventeenth buffer made the store forget the stream that ended first, and only it.
    expect(await store.read('s0', 'user:u1', 0)).toBeUndefined();
    for (let i = 1; i < 17; i++) expect(await store.read(`s${i}`, 'user:u1', 0)).toBeDefined();
  });

  it('reuses the memory of a forgotten stream for the next, and what a reader already got stays whole', async () => {
    const store = memoryStreamStore({ maxBytes: 16 * 1024 });
    await store.create('old', 'user:u1');
    const oldFrames = frames(1, 500).frames;
    await store.append('old', 1, oldFrames, 1);
    await store.end('old');
    const [got] = await lastValueFrom((await store.read('old', 'user:u1', 0))!.pipe(toArray()));
    // Sixteen more streams: 'old' is forgotten and its buffer filled with theirs.
    for (let i = 0; i < 16; i++) {
      await store.create(`n${i}`, 'user:u1');
      await store.append(`n${i}`, 1, numberEvents(Buffer.from(`data: ${String(i).repeat(480)}\n\n`), 1).frames, 1);
      await store.end(`n${i}`);
    }
    expect(await store.read('old', 'user:u1', 0)).toBeUndefined();
    expect(Buffer.from(got!).equals(oldFrames)).toBe(true);
    for (let i = 0; i < 16; i++) {
      const [read] = await lastValueFrom((await store.read(`n${i}`, 'user:u1', 0))!.pipe(toArray()));
      expect(Buffer.from(read!).toString('utf8')).toBe(`id: 1\ndata: ${String(i).repeat(480)}\n\n`);
    }
  });

  it('refuses options that are not positive numbers', () => {
    for (const options of [{ ttlMs: 0 }, { leaseMs: -1 }, { maxBytes: Number.NaN }, { maxStreamBytes: Infinity }]) {
      expect(() => memoryStreamStore(options)).toThrow(InvalidArgumentError);
    }
  });
});
