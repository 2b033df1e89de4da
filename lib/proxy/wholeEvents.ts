import { Observable, type OperatorFunction } from 'rxjs';
import { StreamDecodeError } from '../errors';

const BLANK_LINE = Buffer.from('\n\n');
const BLANK_LINE_CRLF = Buffer.from('\r\n\r\n');

/**
 * The bytes of an event stream cut at event boundaries: each chunk it gives ends with a blank
 * line, the rest waits for the next chunk; whatever is left when the stream completes follows.
 *
 * The relay passes the API's bytes on as they came; were the upstream to fail mid-event, the
 * browser would get half an event and then the relay's `event: error` frame glued to it. Cut
 * here, a failure drops only the unfinished event, and the error frame that follows stands alone.
 * An event that grows past `maxEventBytes` fails the stream with `StreamDecodeError`.
 */
export function wholeEvents(maxEventBytes: number): OperatorFunction<Uint8Array, Uint8Array> {
  return (source) =>
    new Observable<Uint8Array>((subscriber) => {
      let rest: Buffer | undefined;
      return source.subscribe({
        next: (chunk) => {
          if (chunk.byteLength === 0) return;
          const bytes = rest ? Buffer.concat([rest, chunk]) : Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
          const end = eventsEnd(bytes);
          if (end === 0) {
            rest = bytes;
          } else {
            // A copy of the unfinished event, not a view: a view would keep the whole chunk alive.
            rest = end < bytes.length ? Buffer.from(bytes.subarray(end)) : undefined;
            subscriber.next(end < bytes.length ? bytes.subarray(0, end) : bytes);
          }
          if (rest && rest.length > maxEventBytes) {
            subscriber.error(new StreamDecodeError(`An event of the stream grew past ${maxEventBytes} bytes without ending.`, { data: rest.subarray(0, 200).toString('utf8') }));
          }
        },
        error: (error: unknown) => subscriber.error(error),
        complete: () => {
          if (rest) subscriber.next(rest);
          subscriber.complete();
        },
      });
    });
}

/** Where the last whole event of `bytes` ends (after its blank line), or 0 when none does. */
function eventsEnd(bytes: Buffer): number {
  const lf = bytes.lastIndexOf(BLANK_LINE);
  const crlf = bytes.lastIndexOf(BLANK_LINE_CRLF);
  return Math.max(lf < 0 ? 0 : lf + BLANK_LINE.length, crlf < 0 ? 0 : crlf + BLANK_LINE_CRLF.length);
}
