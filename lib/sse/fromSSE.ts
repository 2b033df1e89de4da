import { createParser, type ParseError } from 'eventsource-parser';
import { Observable, type OperatorFunction } from 'rxjs';
import { StreamDecodeError } from '../errors';
import type { ServerSentEvent } from './ServerSentEvent';

/**
 * Options of {@link fromSSE}.
 *
 * ## Example
 * ```ts
 * const options: FromSSEOptions = { maxEventSize: 1024 * 1024 };
 * bytes$.pipe(fromSSE(options), decodeEvents());
 * ```
 */
export interface FromSSEOptions {
  /**
   * The largest single event, in characters, that is buffered before the stream fails with a
   * `StreamDecodeError`; it bounds memory against a peer that never ends a line. Default 32 MiB.
   */
  maxEventSize?: number;
}

/**
 * The default of {@link FromSSEOptions.maxEventSize}.
 *
 * ## Example
 * ```ts
 * bytes$.pipe(fromSSE({ maxEventSize: DEFAULT_MAX_EVENT_SIZE / 4 })); // 8 MiB instead of 32
 * ```
 */
export const DEFAULT_MAX_EVENT_SIZE = 32 * 1024 * 1024;

/**
 * Parses a stream of bytes (or text) into server-sent events.
 *
 * Built on `eventsource-parser`, so CR, LF and CRLF line ends, multi-line `data:` fields,
 * comments and a leading BOM follow the SSE specification. Bytes are decoded as UTF-8 in
 * streaming mode, so a character split across chunks survives; invalid UTF-8 fails the stream
 * with a `StreamDecodeError` instead of turning into replacement characters. An event left
 * without its closing blank line when the body ends is still dispatched, so a stream cut in the
 * middle of its last event fails to decode loudly rather than losing that event in silence.
 *
 * ## Example
 * ```ts
 * bytes$.pipe(fromSSE(), decodeEvents(), textDeltas()).subscribe((text) => process.stdout.write(text));
 * ```
 *
 * @param options `maxEventSize`, the bound on one event's size.
 * @return An operator from `Uint8Array | string` chunks to `ServerSentEvent`s.
 * @see decodeEvents
 * @see toSSE
 */
export function fromSSE(options: FromSSEOptions = {}): OperatorFunction<Uint8Array | string, ServerSentEvent> {
  const maxEventSize = options.maxEventSize ?? DEFAULT_MAX_EVENT_SIZE;
  return (source) =>
    new Observable<ServerSentEvent>((subscriber) => {
      const decoder = new TextDecoder('utf-8', { fatal: true });
      let failure: StreamDecodeError | undefined;
      const parser = createParser({
        maxBufferSize: maxEventSize,
        onEvent: (message) => {
          if (!subscriber.closed) subscriber.next({ event: message.event, data: message.data, id: message.id });
        },
        onError: (error: ParseError) => {
          // Unknown fields and bad `retry:` values are ignored, as the SSE specification says.
          if (error.type === 'max-buffer-size-exceeded') {
            failure ??= new StreamDecodeError(`an event is larger than the limit of ${maxEventSize} characters (maxEventSize)`, {});
          }
        },
      });

      const feed = (text: string): boolean => {
        parser.feed(text);
        if (failure) subscriber.error(failure);
        return !failure;
      };

      const decode = (chunk: Uint8Array | undefined): string | undefined => {
        try {
          return chunk === undefined ? decoder.decode() : decoder.decode(chunk, { stream: true });
        } catch (cause) {
          subscriber.error(new StreamDecodeError('the body is not valid UTF-8', { cause }));
          return undefined;
        }
      };

      return source.subscribe({
        next: (chunk) => {
          // A synchronous source keeps calling after an error until its subscription is returned.
          if (failure || subscriber.closed) return;
          const text = typeof chunk === 'string' ? chunk : decode(chunk);
          if (text !== undefined) feed(text);
        },
        error: (error: unknown) => subscriber.error(error),
        complete: () => {
          if (failure || subscriber.closed) return;
          const rest = decode(undefined);
          if (rest === undefined || !feed(rest)) return;
          // Two line ends close a last event that the body did not terminate.
          if (feed('\n\n')) subscriber.complete();
        },
      });
    });
}
