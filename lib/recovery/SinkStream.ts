import { Observable } from 'rxjs';
import type { MessageCreateParams, RawMessageStreamEvent } from '../schema';
import type { SendStream } from './SendStream';

/**
 * Where a recovery passes a stream's events on: the next recovery out, or at the end the
 * consumer's subscriber (which is one). `closed` says whether the consumer has left.
 *
 * ## Example
 * ```ts
 * const sink: EventSink = { next: (event, type) => console.log(type), error: console.error, complete: () => undefined, closed: false };
 * ```
 */
export interface EventSink {
  /**
   * An event, with its `type` as the innermost sink read it: each recovery compares that instead
   * of reading the event again. A read of `type` costs little once warm, but every place that reads
   * it has its cache to fill again after a full collection, with every shape of event.
   */
  next(event: RawMessageStreamEvent, type: EventType): void;
  error(error: unknown): void;
  complete(): void;
  readonly closed: boolean;
}

/** The `type` of a stream's event. */
export type EventType = RawMessageStreamEvent['type'];

/** Stops what a {@link SinkStream} started: its requests aborted, its timers cleared. Calling it twice does nothing more. */
export type StopStream = () => void;

/**
 * One streamed request whose events go straight into `sink`: the form the recoveries take
 * between one another, so that an event crosses each of them in one function call. Wrapped as
 * Observables, each recovery cost a subscriber of its own on every event (four RxJS calls and a
 * `try`), most of what a stream paid for the recoveries when nothing went wrong (bench/NOTES.md,
 * "The recovery options"). Only the request itself (`SendStream`) and the stream the consumer
 * subscribes to are Observables.
 *
 * A recovery that ends its sink (`error`, `complete`) has stopped everything it started first,
 * as an Observable's teardown would; the stop it returns may still be called, and does nothing.
 *
 * ## Example
 * ```ts
 * const stream: SinkStream = sinkStreamOf((params) => client.messages.stream(params));
 * const stop = stream(params, { next: console.log, error: console.error, complete: () => undefined, closed: false });
 * stop(); // aborts the request
 * ```
 */
export type SinkStream = (params: MessageCreateParams, sink: EventSink) => StopStream;

/**
 * The request `send` as a {@link SinkStream}: subscribed once, its events into the sink, each
 * error shown to `beforeError` first (the idle timeouts' report: see `idleTimeoutReport`).
 *
 * ## Example
 * ```ts
 * const stream = sinkStreamOf((params) => client.messages.stream(params));
 * ```
 *
 * @param send Sends one request.
 * @param beforeError Called with each error of a request before it goes into the sink.
 * @return The request, its events into a sink.
 */
export function sinkStreamOf(send: SendStream, beforeError?: (error: unknown) => void): SinkStream {
  return (params, sink) => {
    const subscription = send(params).subscribe({
      next: (event) => sink.next(event, event.type),
      error: (error: unknown) => {
        beforeError?.(error);
        sink.error(error);
      },
      complete: () => sink.complete(),
    });
    return () => subscription.unsubscribe();
  };
}

/**
 * A {@link SinkStream} as the cold Observable the consumer subscribes to: each subscription
 * starts it with the subscriber as its sink; unsubscribing stops it.
 *
 * ## Example
 * ```ts
 * const send: SendStream = sendStreamOf(continueOnDropSink(sinkStreamOf(send), context));
 * ```
 *
 * @param stream The stream, recoveries and all.
 * @return It as a `SendStream`.
 */
export function sendStreamOf(stream: SinkStream): SendStream {
  return (params) => new Observable<RawMessageStreamEvent>((subscriber) => stream(params, subscriber));
}

/**
 * A recovery written over sinks, as one over `SendStream`s: what its specs and single uses call.
 * A recovery that its options leave out gives its stream back, and `send` comes back itself.
 *
 * ## Example
 * ```ts
 * export const hedge = overSendStream(hedgeSink);
 * ```
 *
 * @param recovery The recovery over sinks.
 * @return The same recovery over `SendStream`s.
 */
export function overSendStream<C>(recovery: (stream: SinkStream, context: C) => SinkStream): (send: SendStream, context: C) => SendStream {
  return (send, context) => {
    const inner = sinkStreamOf(send);
    const recovered = recovery(inner, context);
    return recovered === inner ? send : sendStreamOf(recovered);
  };
}

/**
 * A sink of a recovery's own over the next one out (`outer`): its handlers are the recovery's,
 * and it is closed when `outer` is. A class, so that every such sink has one shape: an object
 * literal with a `closed` getter got a shape of its own per stream, and every call through it
 * went the slow way.
 *
 * ## Example
 * ```ts
 * const attemptSink = new RecoverySink(sink, (event, type) => sink.next(event, type), (error) => sink.error(error), () => sink.complete());
 * ```
 */
export class RecoverySink implements EventSink {
  constructor(
    private readonly outer: EventSink,
    readonly next: (event: RawMessageStreamEvent, type: EventType) => void,
    readonly error: (error: unknown) => void,
    readonly complete: () => void,
  ) {}

  get closed(): boolean {
    return this.outer.closed;
  }
}
