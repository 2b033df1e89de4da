import { Observable, type OperatorFunction } from 'rxjs';
import { StreamDecodeError } from '../errors';
import { bufferView } from './bufferView';

const LF = 0x0a;
const CR = 0x0d;

/**
 * The bytes of an event stream cut at event boundaries: each chunk it gives ends with a blank
 * line, the rest waits for the next chunk; whatever is left when the stream completes follows.
 *
 * The relay passes the API's bytes on as they came; were the upstream to fail mid-event, the
 * browser would get half an event and then the relay's `event: error` frame glued to it. Cut
 * here, a failure drops only the unfinished event, and the error frame that follows stands alone.
 * An event that grows past `maxEventBytes` fails the stream with `StreamDecodeError`.
 *
 * A chunk is not copied: when an unfinished event waits from the chunk before, it is joined to the
 * head of this chunk (up to its first blank line) and given first, then the rest of the chunk's
 * whole events as a view of it. Only the two ends of a chunk are searched, from the ends inwards.
 * A blank line is a line end (`\n` or `\r\n`) followed by another.
 */
export function wholeEvents(maxEventBytes: number): OperatorFunction<Uint8Array, Uint8Array> {
  return (source) =>
    new Observable<Uint8Array>((subscriber) => {
      let rest: Buffer | undefined;
      return source.subscribe({
        next: (chunk) => {
          if (chunk.byteLength === 0) return;
          const bytes = bufferView(chunk);
          let from = 0;
          if (rest) {
            const first = firstEventEnd(rest, bytes);
            if (first === 0) {
              rest = Buffer.concat([rest, bytes]);
              if (rest.length > maxEventBytes) tooLong(rest);
              return;
            }
            const joined = Buffer.concat([rest, bytes.subarray(0, first)]);
            rest = undefined;
            subscriber.next(joined);
            if (subscriber.closed) return;
            from = first;
          }
          const end = lastEventEnd(bytes, from);
          if (end > from) subscriber.next(from === 0 && end === bytes.length ? bytes : bytes.subarray(from, end));
          if (end < bytes.length) {
            // A copy of the unfinished event, not a view: a view would keep the whole chunk alive.
            rest = Buffer.from(bytes.subarray(end));
            if (rest.length > maxEventBytes) tooLong(rest);
          }
        },
        error: (error: unknown) => subscriber.error(error),
        complete: () => {
          if (rest) subscriber.next(rest);
          subscriber.complete();
        },
      });

      function tooLong(unfinished: Buffer): void {
        subscriber.error(new StreamDecodeError(`An event of the stream grew past ${maxEventBytes} bytes without ending.`, { data: unfinished.subarray(0, 200).toString('utf8') }));
      }
    });
}

/** Whether the `\n` at `bytes[at]` ends a blank line (`\n\n` or `\n\r\n`) that lies at or after `from`. */
function endsBlankLine(bytes: Buffer, at: number, from: number): boolean {
  if (at - 1 >= from && bytes[at - 1] === LF) return true;
  return at - 2 >= from && bytes[at - 1] === CR && bytes[at - 2] === LF;
}

/** Where the last whole event of `bytes` at or after `from` ends (after its blank line), or `from` when none does. */
function lastEventEnd(bytes: Buffer, from: number): number {
  // Backwards from the end, one native search per line end: a chunk's last event ends near its end.
  for (let at = bytes.length - 1; at > from; ) {
    const lf = bytes.lastIndexOf(LF, at);
    if (lf <= from) return from;
    if (endsBlankLine(bytes, lf, from)) return lf + 1;
    at = lf - 1;
  }
  return from;
}

/**
 * Where, in `bytes`, the first blank line ends whose line ends began in `rest` (which holds no
 * blank line) or in `bytes`: 0 when there is none.
 */
function firstEventEnd(rest: Buffer, bytes: Buffer): number {
  // A blank line across the seam starts in the last two bytes of `rest` and ends in the first two of `bytes`.
  const tail = rest.subarray(Math.max(0, rest.length - 2));
  const seam = Buffer.concat([tail, bytes.subarray(0, 2)]);
  for (let at = tail.length; at < seam.length; at++) {
    if (seam[at] === LF && endsBlankLine(seam, at, 0)) return at + 1 - tail.length;
  }
  return Math.max(0, blankLineEnd(bytes, 0));
}

/**
 * Where the first blank line (a line end, `\n` or `\r\n`, followed by another) that lies at or
 * after `from` ends, just after it: `-1` when there is none. One native search per line end.
 */
export function blankLineEnd(bytes: Buffer, from: number): number {
  for (let at = bytes.indexOf(LF, from); at >= 0; at = bytes.indexOf(LF, at + 1)) {
    if (endsBlankLine(bytes, at, from)) return at + 1;
  }
  return -1;
}
