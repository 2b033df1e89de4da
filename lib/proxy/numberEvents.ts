import { blankLineEnd } from './wholeEvents';
import { bufferView } from './bufferView';

const LF = 0x0a;
const CR = 0x0d;
const BLANK_LINE = Buffer.from('\n\n');

/** A chunk of SSE frames, each starting with its `id:` line: the events `first` to `first + count - 1` of a stream. */
export interface NumberedChunk {
  readonly first: number;
  readonly count: number;
  readonly frames: Buffer;
}

/**
 * {@link NumberedChunk}'s frames as a Latin-1 string: one character per byte of their UTF-8, so
 * that writing it back as Latin-1 (to a socket, into a store's buffer) gives the same bytes,
 * without a buffer made for each chunk on the way.
 */
export interface NumberedText {
  readonly first: number;
  readonly count: number;
  readonly text: string;
}

/** Where an event ends (after its blank line), searched from `from`; `-1` when no blank line ends one. */
type EventEnd = (bytes: Buffer, from: number) => number;

/** `\n\n` only: what the API sends, found with one native search per event. */
const endWithoutCR: EventEnd = (bytes, from) => {
  const at = bytes.indexOf(BLANK_LINE, from);
  return at < 0 ? -1 : at + 2;
};

/** Any blank line: a line end (`\n` or `\r\n`) followed by another, as `wholeEvents` cuts. */
const endWithCR: EventEnd = blankLineEnd;

const eventEndFor = (bytes: Buffer): EventEnd => (bytes.indexOf(CR) < 0 ? endWithoutCR : endWithCR);

/** Past the line ends that stand before an event: empty lines carry nothing, and an `id:` line must start the frame. */
function skipLineEnds(bytes: Buffer, at: number): number {
  while (at < bytes.length && (bytes[at] === LF || bytes[at] === CR)) at += 1;
  return at;
}

/** How many bytes `id: <n>\n` takes. */
const idLineLength = (n: number): number => 5 + (n < 10 ? 1 : n < 100 ? 2 : n < 1000 ? 3 : n < 10000 ? 4 : String(n).length);

/** Writes `id: <n>\n` at `at`, byte by byte (a string per event, and a native call to write it, cost as much as the rest); returns where it ends. */
function writeIdLine(frames: Buffer, at: number, n: number): number {
  frames[at] = 0x69; // 'id: '
  frames[at + 1] = 0x64;
  frames[at + 2] = 0x3a;
  frames[at + 3] = 0x20;
  at += 4;
  const end = at + idLineLength(n) - 5;
  for (let position = end - 1, rest = n; position >= at; position -= 1, rest = Math.floor(rest / 10)) frames[position] = 0x30 + (rest % 10);
  frames[end] = LF;
  return end + 1;
}

// Reused between calls: the event boundaries of the chunk being numbered (start, end, start, end, …).
let bounds: number[] = [];

/**
 * Gives each event of a chunk of whole events (`wholeEvents()`'s) its `id: <n>\n` line, `n`
 * counting from `first`: the frames written once into one new buffer, the chunk's bytes copied
 * once. Empty lines before an event are left out; an event without its blank line (the unfinished
 * tail of a stream that ended) is numbered too, and stays unfinished.
 */
export function numberEvents(chunk: Uint8Array, first: number): NumberedChunk {
  const bytes = bufferView(chunk);
  const withCR = bytes.indexOf(CR) >= 0;
  if (!withCR) {
    const numbered = numberLFEvents(bytes, first);
    return { first, count: numbered.count, frames: Buffer.from(numbered.text, 'latin1') };
  }
  bounds.length = 0;
  let length = 0;
  let n = first;
  for (let start = skipLineEnds(bytes, 0); start < bytes.length; n += 1) {
    // The API's `\n\n`, inline: this loop runs once per event of every stream.
    const blank = withCR ? endWithCR(bytes, start) : bytes.indexOf(BLANK_LINE, start);
    const end = blank < 0 ? bytes.length : withCR ? blank : blank + 2;
    bounds.push(start, end);
    length += idLineLength(n) + end - start;
    start = end < bytes.length && (bytes[end] === LF || bytes[end] === CR) ? skipLineEnds(bytes, end) : end;
  }
  const frames = Buffer.allocUnsafe(length);
  let at = 0;
  for (let index = 0, id = first; index < bounds.length; index += 2, id += 1) {
    at = writeIdLine(frames, at, id);
    at += bytes.copy(frames, at, bounds[index] as number, bounds[index + 1] as number);
  }
  if (bounds.length > 2048) bounds = [];
  return { first, count: (n - first) as number, frames };
}

/**
 * {@link numberEvents}, its frames as a Latin-1 string ({@link NumberedText}): what the relay
 * writes to the browser and into a store that copies it, each without a buffer of its own. A
 * buffer made for each chunk and dropped once written was V8 external memory that the collector
 * answered with full collections: with them the tee's relay ran 13 to 16 more of them on the
 * bench's text stream than the relay without it (bench/NOTES.md).
 */
export function numberEventsAsLatin1(chunk: Uint8Array, first: number): NumberedText {
  const bytes = bufferView(chunk);
  if (bytes.indexOf(CR) < 0) return numberLFEvents(bytes, first);
  const numbered = numberEvents(bytes, first);
  return { first, count: numbered.count, text: numbered.frames.toString('latin1') };
}

/** The `id:` lines of the first events of every stream, made once each, as streams reach them. */
const ID_LINES: string[] = [];
/** How many {@link ID_LINES} there are at most: some 1.3 MB of strings, kept for the process's life. */
const CACHED_ID_LINES = 32_768;

/** `id: <n>\n`. Numbering made the string three times per event (the number, then two joins), a quarter of its cost. */
const idLineText = (n: number): string => (n < CACHED_ID_LINES ? (ID_LINES[n] ??= `id: ${n}\n`) : `id: ${n}\n`);

/**
 * {@link numberEventsAsLatin1} for a chunk whose lines end with `\n` alone (what the API sends):
 * the chunk read as a Latin-1 string (one byte, one character, so that any UTF-8 goes back
 * unchanged), its events found with the string's own `indexOf` and joined with their `id:` lines.
 * A native `Buffer` search and copy per event cost twice as much: at some 20,000 events a
 * stream, the calls themselves were most of the tee's cost.
 */
function numberLFEvents(bytes: Buffer, first: number): NumberedText {
  const text = bytes.toString('latin1');
  const length = text.length;
  let frames = '';
  let n = first;
  let start = 0;
  while (start < length && text.charCodeAt(start) === LF) start += 1;
  while (start < length) {
    const blank = text.indexOf('\n\n', start);
    const end = blank < 0 ? length : blank + 2;
    frames += idLineText(n) + text.slice(start, end);
    n += 1;
    start = end;
    while (start < length && text.charCodeAt(start) === LF) start += 1;
  }
  return { first, count: n - first, text: frames };
}

/**
 * The frames of `chunk` from its event `from` on (`from` between `chunk.first` and the end): a
 * view, found by walking its blank lines. The frames are {@link numberEvents}', so each event
 * starts right after the blank line of the one before.
 */
export function framesFrom(chunk: NumberedChunk, from: number): Buffer {
  const skip = from - chunk.first;
  if (skip <= 0) return chunk.frames;
  if (skip >= chunk.count) return chunk.frames.subarray(chunk.frames.length);
  const eventEnd = eventEndFor(chunk.frames);
  let at = 0;
  for (let skipped = 0; skipped < skip; skipped += 1) {
    const end = eventEnd(chunk.frames, at);
    if (end < 0) return chunk.frames.subarray(chunk.frames.length);
    at = end;
  }
  return chunk.frames.subarray(at);
}

/**
 * A stream store's chunk: the events `first` to `first + count - 1`, as numbered frames
 * (`numbered`, each with its `id:` line) or as the upstream's events, numbered when read.
 */
export interface KeptChunk {
  readonly first: number;
  readonly count: number;
  readonly frames: Buffer;
  readonly numbered: boolean;
}

/**
 * The numbered frames of a kept chunk from its event `from` on: a view of the chunk's own bytes
 * when they are numbered frames, or of the frames numbered now when they are the upstream's events.
 */
export function keptFramesFrom(chunk: KeptChunk, from: number): Buffer {
  return framesFrom(chunk.numbered ? chunk : numberEvents(chunk.frames, chunk.first), from);
}

/** The relay's own SSE `error` frame, with its `id:` line: the body is the API's error shape. */
export function errorFrame(id: number, body: unknown): Buffer {
  return Buffer.from(`id: ${id}\n${errorFrameBody(body)}`);
}

/** An SSE `error` frame without its `id:` line (which a store adds where it knows the id). */
export function errorFrameBody(body: unknown): string {
  return `event: error\ndata: ${JSON.stringify(body)}\n\n`;
}

/** What a reader appends when the relay instance that held a stream stopped renewing its lease. */
export const HOLDER_GONE_ERROR = {
  type: 'error',
  error: { type: 'api_error', message: 'The relay instance that held this stream stopped before it ended.' },
} as const;
