import { Observable, type OperatorFunction } from 'rxjs';
import { StreamDecodeError } from '../errors';

const LINE_FEED = 0x0a;

/**
 * Splits a body of JSON Lines, arriving in byte chunks, into one parsed value per line, as the
 * chunks arrive.
 *
 * Lines are cut on the bytes (a line feed is never part of a multi-byte UTF-8 character) and each
 * is decoded once, whole; only the bytes of the unfinished last line are held between chunks:
 * memory stays flat whatever the body's size. Lines end with `\n` or `\r\n`;
 * empty lines are skipped; the last line needs no line end. A line that is not JSON fails the
 * Observable with a `StreamDecodeError` naming its line number (from 1) with an excerpt of it;
 * bytes that are not UTF-8 fail it with one naming the line they are on and where it starts in
 * the body. With `decodeLine`, each parsed value goes through it with its line number, and what
 * it throws fails the Observable. Unsubscribing unsubscribes the source (which aborts a download).
 *
 * ## Example
 * ```ts
 * sendRequest(config, { method: 'GET', path, expect: 'bytes' }, options)
 *   .pipe(decodeJSONLines())
 *   .subscribe((value) => console.log(value));
 * ```
 *
 * @return An operator from `Uint8Array` chunks to the value of each line.
 */
export function decodeJSONLines(): OperatorFunction<Uint8Array, unknown>;
/**
 * {@link decodeJSONLines} with a check of each line: `decodeLine` gets each parsed value with its
 * line number (from 1) and gives what is emitted; what it throws fails the Observable.
 *
 * ## Example
 * ```ts
 * const isRow = (value: unknown, line: number): Row => {
 *   if (!Row.is(value)) throw new Error(`line ${line} is not a row`);
 *   return value;
 * };
 * bytes$.pipe(decodeJSONLines(isRow)).subscribe((row) => console.log(row));
 * ```
 *
 * @param decodeLine Checks or converts the value of each line, given its line number.
 * @return An operator from `Uint8Array` chunks to what `decodeLine` gives for each line.
 */
export function decodeJSONLines<T>(decodeLine: (value: unknown, line: number) => T): OperatorFunction<Uint8Array, T>;
export function decodeJSONLines<T>(decodeLine?: (value: unknown, line: number) => T): OperatorFunction<Uint8Array, T | unknown> {
  return (source) =>
    new Observable<T | unknown>((subscriber) => {
      // Fatal, and never in streaming mode: Node decodes UTF-8 in one native pass only for a
      // decoder that has never streamed, and a whole line needs no state between calls. Each line
      // is decoded on its own, which makes a line of ASCII a one-byte string that JSON.parse reads
      // faster than a slice of a chunk's two-byte string. The BOM is kept here and dropped from the
      // first line only, as a streaming decoder would.
      const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
      /** The bytes of the line not ended yet (a copy: the source may reuse its buffers), and where it starts in the body. */
      let held: Uint8Array | undefined;
      let heldOffset = 0;
      /** Bytes of the chunks before this one. */
      let consumed = 0;
      /** The number of the last line read. */
      let lineNumber = 0;
      let failed = false;

      const fail = (error: unknown): false => {
        failed = true;
        subscriber.error(error);
        return false;
      };

      /** Decodes, parses and emits the line `bytes[start, end)` (its line feed left out), which starts at `offset` in the body. */
      const emitLine = (bytes: Uint8Array, start: number, end: number, offset: number): boolean => {
        lineNumber += 1;
        if (end > start && bytes[end - 1] === 13) end -= 1;
        if (end === start) return true;
        let text: string;
        try {
          text = decoder.decode(bytes.subarray(start, end));
        } catch (cause) {
          const shown = new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes.subarray(start, end));
          return fail(new StreamDecodeError(`line ${lineNumber} is not valid UTF-8 (the line starts at byte ${offset} of the body)`, { path: `line ${lineNumber}`, data: shown, cause }));
        }
        if (lineNumber === 1 && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
        let value: unknown;
        try {
          value = JSON.parse(text);
        } catch (cause) {
          if (text.trim() === '') return true;
          return fail(new StreamDecodeError(`line ${lineNumber} is not JSON (${cause instanceof Error ? cause.message : String(cause)})`, { path: `line ${lineNumber}`, data: text, cause }));
        }
        if (decodeLine !== undefined) {
          try {
            value = decodeLine(value, lineNumber);
          } catch (error) {
            return fail(error);
          }
        }
        subscriber.next(value);
        return !subscriber.closed;
      };

      return source.subscribe({
        next: (chunk) => {
          // A synchronous source keeps calling after an error until its subscription is returned.
          if (failed || subscriber.closed) return;
          const offset = consumed;
          consumed += chunk.length;
          let end = chunk.indexOf(LINE_FEED);
          if (end === -1) {
            if (held === undefined) heldOffset = offset;
            held = held === undefined ? chunk.slice() : concat(held, chunk, chunk.length);
            return;
          }
          let start = 0;
          if (held !== undefined) {
            const line = concat(held, chunk, end);
            held = undefined;
            if (!emitLine(line, 0, line.length, heldOffset)) return;
            start = end + 1;
            end = chunk.indexOf(LINE_FEED, start);
          }
          for (; end !== -1; end = chunk.indexOf(LINE_FEED, start)) {
            if (!emitLine(chunk, start, end, offset + start)) return;
            start = end + 1;
          }
          if (start < chunk.length) {
            held = chunk.slice(start);
            heldOffset = offset + start;
          }
        },
        error: (error: unknown) => subscriber.error(error),
        complete: () => {
          if (failed || subscriber.closed) return;
          const rest = held;
          held = undefined;
          if (rest !== undefined && !emitLine(rest, 0, rest.length, heldOffset)) return;
          subscriber.complete();
        },
      });
    });
}

/** `head` followed by the first `length` bytes of `tail`, in a new array. */
function concat(head: Uint8Array, tail: Uint8Array, length: number): Uint8Array {
  const joined = new Uint8Array(head.length + length);
  joined.set(head);
  joined.set(tail.subarray(0, length), head.length);
  return joined;
}
