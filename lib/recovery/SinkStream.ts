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
    // Where a text or tool delta goes (see deltaSinkOf): found again after each event of another type.
    let deltas: EventSink | undefined;
    const subscription = send(params).subscribe({
      next: (event) => {
        const type = event.type;
        if (type === 'content_block_delta' && deltas !== undefined) return deltas.next(event, type);
        sink.next(event, type);
        deltas = deltaSinkOf(sink);
      },
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
  /**
   * @param outer The next sink out.
   * @param next, error, complete The recovery's handlers.
   * @param passesDeltas Whether a `content_block_delta` given to this sink now would go on to
   *   `outer` as it came, with nothing else done (see {@link deltaSinkOf}); never, when left out.
   *   Once true, it must stay true for as long as the stream feeding this sink runs.
   */
  constructor(
    private readonly outer: EventSink,
    readonly next: (event: RawMessageStreamEvent, type: EventType) => void,
    readonly error: (error: unknown) => void,
    readonly complete: () => void,
    private readonly passesDeltas: () => boolean = never,
  ) {}

  get closed(): boolean {
    return this.outer.closed;
  }

  /** Where a `content_block_delta` given to this sink now ends up as it came: see {@link deltaSinkOf}. */
  deltaSink(): EventSink {
    return this.passesDeltas() ? deltaSinkOf(this.outer) : this;
  }
}

const never = (): boolean => false;

/**
 * The first sink from `sink` outwards that does anything with a `content_block_delta` but pass
 * it on as it came: `sink` itself, or past the recoveries that have nothing left to do with one (a
 * hedge that was won, a first-token clock that stopped, a fallback request that delivered and is
 * not spliced), at the end the consumer's subscriber. Whoever gives a stream's events to `sink`
 * may give its deltas, nearly all of them, straight to that sink, and look again after each event
 * of another type: a recovery stops passing deltas on only when a request ends or starts, never
 * in the middle of one. Through every recovery, each delta cost a call per recovery; right after
 * a full collection, every one of them runs unoptimised until it warms up again (bench/NOTES.md,
 * "The recovery options").
 *
 * ## Example
 * ```ts
 * let deltas: EventSink | undefined;
 * const next = (event: RawMessageStreamEvent, type: EventType): void => {
 *   if (type === 'content_block_delta' && deltas !== undefined) return deltas.next(event, type);
 *   sink.next(event, type);
 *   deltas = deltaSinkOf(sink);
 * };
 * ```
 *
 * @param sink Where the events go.
 * @return Where a delta may go instead, as it came.
 */
export function deltaSinkOf(sink: EventSink): EventSink {
  return sink instanceof RecoverySink ? sink.deltaSink() : sink;
}
