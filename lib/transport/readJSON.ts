import { Observable, type OperatorFunction } from 'rxjs';
import { StreamDecodeError } from '../errors';

/** Collects a response body's chunks and parses them as one JSON value, failing with `StreamDecodeError` if they are not JSON. */
export function readJSON(): OperatorFunction<Uint8Array, unknown> {
  return (source) =>
    new Observable<unknown>((subscriber) => {
      const decoder = new TextDecoder();
      const parts: string[] = [];
      return source.subscribe({
        next: (chunk) => parts.push(decoder.decode(chunk, { stream: true })),
        error: (error: unknown) => subscriber.error(error),
        complete: () => {
          parts.push(decoder.decode());
          const text = parts.join('');
          let value: unknown;
          try {
            value = JSON.parse(text);
          } catch (cause) {
            subscriber.error(new StreamDecodeError('the response body is not valid JSON', { data: text, cause }));
            return;
          }
          subscriber.next(value);
          subscriber.complete();
        },
      });
    });
}
