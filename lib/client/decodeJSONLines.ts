import { Observable, type OperatorFunction } from 'rxjs';
import { StreamDecodeError } from '../errors';

/**
 * Splits a body of JSON Lines, arriving in byte chunks, into one parsed value per line, as the
 * chunks arrive.
 *
 * The bytes are decoded as UTF-8 in streaming mode (a character cut between two chunks is kept
 * until its end arrives), and only the unfinished last line is held between chunks, so memory
 * stays flat whatever the body's size. Lines end with `\n` or `\r\n`; empty lines are skipped;
 * the last line needs no line end. A line that is not JSON fails the Observable with a
 * `StreamDecodeError` naming its line number (from 1) with an excerpt of it. Unsubscribing
 * unsubscribes the source (which aborts a download).
 *
 * ## Example
 * ```ts
 * sendRequest(config, { method: 'GET', path, expect: 'bytes' }, options)
 *   .pipe(decodeJSONLines())
 *   .subscribe((value) => console.log(value));
 * ```
 *
 * @return An operator from `Uint8Array` chunks to the JSON value of each line.
 */
export function decodeJSONLines(): OperatorFunction<Uint8Array, unknown> {
  return (source) =>
    new Observable<unknown>((subscriber) => {
      const decoder = new TextDecoder('utf-8');
      let partial = '';
      let lineNumber = 0;
      const emit = (line: string): boolean => {
        lineNumber += 1;
        const text = line.endsWith('\r') ? line.slice(0, -1) : line;
        if (text.trim() === '') return true;
        let value: unknown;
        try {
          value = JSON.parse(text);
        } catch (cause) {
          subscriber.error(new StreamDecodeError(`line ${lineNumber} is not JSON (${cause instanceof Error ? cause.message : String(cause)})`, { path: `line ${lineNumber}`, data: text, cause }));
          return false;
        }
        subscriber.next(value);
        return !subscriber.closed;
      };
      return source.subscribe({
        next: (chunk) => {
          const text = partial + decoder.decode(chunk, { stream: true });
          let start = 0;
          for (let end = text.indexOf('\n'); end !== -1; end = text.indexOf('\n', start)) {
            if (!emit(text.slice(start, end))) return;
            start = end + 1;
          }
          partial = text.slice(start);
        },
        error: (error: unknown) => subscriber.error(error),
        complete: () => {
          const rest = partial + decoder.decode();
          partial = '';
          if (rest !== '' && !emit(rest)) return;
          subscriber.complete();
        },
      });
    });
}
