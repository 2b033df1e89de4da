import * as fs from 'fs';
import * as path from 'path';

/**
 * The conformance fixtures, kept in the project (`spec/fixtures`). See the README of each set for
 * where the streams come from and what their expectations mean.
 */
export const FIXTURES_DIR = path.resolve(__dirname, '../fixtures');

/** The two sets of recorded streams. */
export type FixtureSet = 'sdk-sse' | 'real-world';

/** One recorded stream and what a correct client makes of it. */
export interface Fixture {
  /** The file name without `.sse` (`text-basic.py`, `vercel-error-overloaded-mid-stream`). */
  name: string;
  set: FixtureSet;
  /** The stream's bytes, exactly as stored. */
  sse: Buffer;
  /** The parsed sibling `<name>.expected.json`, `undefined` when there is none. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- its shape is each set's README's
  expected: any | undefined;
}

/**
 * Every `.sse` file of a set, in file-name order, with its expectation.
 *
 * ## Example
 * ```ts
 * describe.each(loadFixtures('real-world').map((f) => [f.name, f] as const))('%s', (_, fixture) => { … });
 * ```
 */
export function loadFixtures(set: FixtureSet): Fixture[] {
  const dir = path.join(FIXTURES_DIR, set);
  return fs
    .readdirSync(dir)
    .filter((file) => file.endsWith('.sse'))
    .sort()
    .map((file) => {
      const name = file.slice(0, -'.sse'.length);
      const expectedPath = path.join(dir, `${name}.expected.json`);
      return {
        name,
        set,
        sse: fs.readFileSync(path.join(dir, file)),
        expected: fs.existsSync(expectedPath) ? JSON.parse(fs.readFileSync(expectedPath, 'utf8')) : undefined,
      };
    });
}

/**
 * The data of each event of a fixture, read without `fromSSE`: each frame's `data:` lines joined,
 * frames without data left out. Every fixture uses LF line ends.
 *
 * ## Example
 * ```ts
 * for (const data of eventData(fixture)) JSON.parse(data);
 * ```
 */
export function eventData(fixture: Fixture): string[] {
  return fixture.sse
    .toString('utf8')
    .split('\n\n')
    .map((frame) =>
      frame
        .split('\n')
        .filter((line) => line.startsWith('data:'))
        .map((line) => line.slice(line.startsWith('data: ') ? 6 : 5))
        .join('\n'),
    )
    .filter((data) => data !== '');
}

/** One decoded event of an SSE decoder case: the SDKs assert `data`, `json` or both. */
export interface DecodedEventExpectation {
  event: string | null;
  data?: string;
  json?: unknown;
}

/** A byte stream of `sdk-sse/sse-decoder/`, the chunking the SDK test feeds it in, and its events. */
export interface DecoderCase {
  name: string;
  bytes: Buffer;
  /** The byte length of each chunk; they add up to `bytes.length`. */
  chunkByteLengths: number[];
  decodedEvents: DecodedEventExpectation[];
  /** For `error-event-overloaded`: what the message-stream layer does with the event. */
  streamOutcome?: string;
  note?: string;
}

/** Every case of `sdk-sse/sse-decoder/`, in file-name order. */
export function loadDecoderCases(): DecoderCase[] {
  const dir = path.join(FIXTURES_DIR, 'sdk-sse', 'sse-decoder');
  return fs
    .readdirSync(dir)
    .filter((file) => file.endsWith('.sse'))
    .sort()
    .map((file) => {
      const name = file.slice(0, -'.sse'.length);
      const expected = JSON.parse(fs.readFileSync(path.join(dir, `${name}.expected.json`), 'utf8')) as Omit<DecoderCase, 'name' | 'bytes'>;
      return { ...expected, name, bytes: fs.readFileSync(path.join(dir, file)) };
    });
}

/**
 * Cuts bytes at the given offsets (in any order; duplicates and offsets outside `(0, length)`
 * are ignored), giving chunks that add up to the input.
 *
 * ## Example
 * ```ts
 * splitAt(Buffer.from('abcdef'), [4, 2]); // 'ab', 'cd', 'ef'
 * ```
 */
export function splitAt(bytes: Uint8Array, cuts: readonly number[]): Uint8Array[] {
  const offsets = [...new Set(cuts)].filter((cut) => cut > 0 && cut < bytes.length).sort((a, b) => a - b);
  const chunks: Uint8Array[] = [];
  let start = 0;
  for (const offset of [...offsets, bytes.length]) {
    chunks.push(new Uint8Array(bytes.subarray(start, offset)));
    start = offset;
  }
  return chunks;
}

/** The cut offsets that give chunks of the given byte lengths, for {@link splitAt}. */
export function cutsForLengths(lengths: readonly number[]): number[] {
  const cuts: number[] = [];
  let offset = 0;
  for (const length of lengths) cuts.push((offset += length));
  return cuts;
}

/** Each byte as its own chunk. */
export function byteByByte(bytes: Uint8Array): Uint8Array[] {
  return Array.from(bytes, (byte) => Uint8Array.of(byte));
}

/**
 * Cuts bytes into chunks of random lengths from 1 to `maxChunk`, drawn from `rng` (a function
 * returning numbers in `[0, 1)`, such as {@link seededRandom}).
 */
export function randomChunks(bytes: Uint8Array, rng: () => number, maxChunk = 64): Uint8Array[] {
  const cuts: number[] = [];
  for (let offset = 0; offset < bytes.length; ) cuts.push((offset += 1 + Math.floor(rng() * maxChunk)));
  return splitAt(bytes, cuts);
}

/** A deterministic random number generator (mulberry32), for reproducible chunkings. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 15), z | 1);
    z ^= z + Math.imul(z ^ (z >>> 7), z | 61);
    return ((z ^ (z >>> 14)) >>> 0) / 4294967296;
  };
}
