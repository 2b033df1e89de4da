import { Observable, type MonoTypeOperatorFunction } from 'rxjs';
import { MessageAccumulator, type AnyEvent } from '../accumulate/MessageAccumulator';
import { subscribeWhileOpen } from '../operators/withAccumulator';
import type { Message, RawMessageStreamEvent } from '../schema';
import { parsedMessageOf, type ReadOutput } from './parsedMessageOf';

/** What a `message_stop`'s lazy `message` reads: the finished message, then its parse or its error. */
interface LazyParse {
  message: Message | undefined;
  result: { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly error: unknown } | undefined;
  readonly read: ReadOutput<unknown>;
}

const PARSE: unique symbol = Symbol('rx-anthropic lazy parsed message');

function readParsedMessage(this: { readonly [PARSE]: LazyParse }): unknown {
  const lazy = this[PARSE];
  if (lazy.result === undefined) {
    try {
      lazy.result = { ok: true, value: parsedMessageOf(lazy.message as Message, lazy.read) };
    } catch (error) {
      lazy.result = { ok: false, error };
    }
    lazy.message = undefined;
  }
  if (lazy.result.ok) return lazy.result.value;
  throw lazy.result.error;
}

/** One descriptor for every lazy `message`: not enumerable, so the raw event serialises and compares as it came. */
const LAZY_MESSAGE: PropertyDescriptor = Object.freeze({ get: readParsedMessage, enumerable: false, configurable: true });

/**
 * What `client.messages.stream()` does, through the format's hooks, to a request whose
 * `output_config.format` was made by `outputFormat`: every raw event passes unchanged, and each
 * `message_stop` gets a `message` property, not enumerable, holding the finished message with
 * `parsed_output`.
 *
 * The operators that follow the message (`finalMessage()`, `accumulateMessage()`,
 * `messageStreamEvents()`, the tool loop) take a `message_stop`'s carried message as the finished
 * one, so theirs has `parsed_output`. The output is parsed when `message` is first read, not
 * before: a pipeline that never reads it (`textDeltas()`, `partialOutput()`) pays only for the
 * folding of the events; a read that finds the output invalid throws the typed error, which the
 * reading operator delivers as its error. A stream whose events cannot be folded (a block never
 * started) is passed on without `message`: the operators downstream report that themselves.
 *
 * @param read How the format turns the output's parsed JSON into its value.
 * @return An operator that passes raw events on, `message_stop` with its lazy `message`.
 */
export function attachParsedOutput(read: ReadOutput<unknown>): MonoTypeOperatorFunction<RawMessageStreamEvent> {
  return (source) =>
    new Observable<RawMessageStreamEvent>((subscriber) => {
      const accumulator = new MessageAccumulator();
      let folding = true;
      return subscribeWhileOpen(source, subscriber, {
        next: (event) => {
          if (folding) {
            try {
              accumulator.fold(event as unknown as AnyEvent);
            } catch {
              folding = false;
            }
          }
          if (!folding || event.type !== 'message_stop' || 'message' in event) {
            subscriber.next(event);
            return;
          }
          const enriched = { ...event };
          const lazy: LazyParse = { message: accumulator.message() as unknown as Message, result: undefined, read };
          Object.defineProperty(enriched, PARSE, { value: lazy });
          Object.defineProperty(enriched, 'message', LAZY_MESSAGE);
          subscriber.next(enriched);
        },
        error: (error: unknown) => subscriber.error(error),
        complete: () => subscriber.complete(),
      });
    });
}
