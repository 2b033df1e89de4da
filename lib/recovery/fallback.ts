import { deepFreeze } from '../accumulate/freezeValue';
import { APIError, APIUserAbortError } from '../errors';
import type { MessageCreateParams, RawMessageStreamEvent } from '../schema';
import { checkFallbackOptions, FALLBACK_TRIGGERS } from './checkFallbackOptions';
import { backfillUsage, iterationUsage, type FallbackIteration, type UsageFields } from './fallbackUsage';
import type { RecoveryContext } from './RecoveryContext';
import type { FallbackOptions, FallbackTrigger } from './RecoveryOptions';
import type { SendStream } from './SendStream';
import { overSendStream, RecoverySink, type EventSink, type EventType, type SinkStream, type StopStream } from './SinkStream';
import { withoutFallbackBlocks } from './withoutFallbackBlocks';

/** An event read loosely: the fields the splice looks at. */
type LooseEvent = { readonly type: string; readonly index?: number } & Readonly<Record<string, unknown>>;

/** What the splice knows of one request of the chain. */
interface Hop {
  /** The model the request was sent to, as the options spell it. */
  readonly model: string;
  /** Added to the request's block indices: where its blocks go in the consumer's message. */
  readonly base: number;
  /** The request's own `message_start` is not passed on: the consumer has one already. */
  readonly spliced: boolean;
  /** The model and usage its `message_start` gave. */
  startModel?: string;
  startUsage?: UsageFields;
  /** Whether the consumer got anything from this request (a suppressed `message_start` does not count). */
  delivered: boolean;
}

/** The refusal a splice is going on from, surfaced as it came if no fallback can answer. */
interface HeldRefusal {
  readonly details: Readonly<Record<string, unknown>> | undefined;
  readonly usage: UsageFields;
}

const isOverloaded = (error: unknown): error is APIError => error instanceof APIError && (error.status === 529 || error.type === 'overloaded_error');

/**
 * Falls back to other models: wraps one streamed request so that, on a trigger listed in the
 * request's `fallback.on` (default both), the request goes to the next of `fallback.models`.
 *
 * - `overloaded`: the request failed with an overloaded error (HTTP 529 once the transport's own
 *   retries are used up, or an `overloaded_error` event) before the consumer got any event of it.
 *   The consumer sees nothing of the failed request: the next model's stream is its stream.
 * - `refusal`: the stream says `stop_reason: 'refusal'`. As the official SDKs' refusal-fallback
 *   middleware does, the request (same params, the next model) is sent again and its events are
 *   spliced into the open stream: blocks left open are closed, the refusal's `message_delta` and
 *   `message_stop` are not passed on, a `fallback` block (`{ from, to, trigger }`) marks where
 *   the model changed, the fallback's `message_start` is not passed on, its block indices follow
 *   on, and its final `message_delta` has `usage.iterations`, one entry per request (`message`
 *   for the refused ones, `fallback_message` for the one that answered). The refused text stays
 *   in the message. The accumulated message's `model` is the model that answered (the
 *   accumulator takes it from the `fallback` block). A fallback that refuses too goes on to the
 *   next model the same way; a fallback request that fails before its first event is skipped,
 *   and when none is left the refusal that started the splice ends the stream, with
 *   `stop_details.recommended_model` the last model tried.
 *
 * With no model left, the refusal or the error passes as it came. Every change of model is
 * reported to `context.report` as `{ kind: 'fallback', from, to, reason }` (with the `error` of an
 * overloaded request). `fallback` blocks in the params' history are left out of every request
 * (the API refuses them without its own server-side fallback beta). Unsubscribing aborts the
 * request in flight. With no `fallback` option, `stream` itself.
 *
 * ## Example
 * ```ts
 * const send: SendStream = (params) => client.messages.stream(params);
 * const withFallback = fallback(send, { ...context, options: { fallback: { models: ['claude-opus-4-5'] } } });
 * withFallback(params).pipe(finalMessage()).subscribe((message) => console.log(message.model));
 * ```
 *
 * @param stream One attempt of a streamed request (the recoveries inside this one).
 * @param context The request's recovery options, scheduler and report.
 * @return A `SinkStream` that falls back.
 * @throws InvalidArgumentError (at subscribe, with `argument` `'fallback'`) when the option is not valid.
 * @see recoverStream
 */
export function fallbackSink(stream: SinkStream, context: RecoveryContext): SinkStream {
  const options = context.options.fallback;
  if (options === undefined) return stream;
  return (params, sink) => {
    try {
      checkFallbackOptions(options);
    } catch (error) {
      sink.error(error);
      return () => undefined;
    }
    return fallbackChain(stream, params, options, context, sink);
  };
}

/** {@link fallbackSink} over `SendStream`s. */
export const fallback: (send: SendStream, context: RecoveryContext) => SendStream = overSendStream(fallbackSink);

function fallbackChain(stream: SinkStream, params: MessageCreateParams, options: FallbackOptions, context: RecoveryContext, sink: EventSink): StopStream {
  const on = new Set<FallbackTrigger>(options.on ?? FALLBACK_TRIGGERS);
  const models = options.models;
  const body = withoutFallbackBlocks(params);
  let next = 0;
  /** Stops the request in flight; `undefined` once the chain is over. */
  let stopCurrent: StopStream | undefined;
  let over = false;
  /** One past the highest block index the consumer has seen. */
  let nextIndex = 0;
  /** Set once a refusal has been spliced: the consumer's message is open, and this is the refusal it came from. */
  let held: HeldRefusal | undefined;
  /** The model the last output came from: the `from` of the next `fallback` block. */
  let fromModel = '';
  const openBlocks = new Set<number>();
  const iterations: FallbackIteration[] = [];

  const emit = (event: object): void => {
    const frozen = deepFreeze(event) as RawMessageStreamEvent;
    sink.next(frozen, frozen.type);
  };
  const report = (reason: FallbackTrigger, from: string, to: string, error?: unknown): void =>
    context.report({ kind: 'fallback', at: context.scheduler.now(), reason, from, to, ...(error instanceof APIError ? { error } : {}) });

  const end = (): void => {
    over = true;
    stopCurrent?.();
  };
  const fail = (error: unknown): void => {
    end();
    sink.error(error);
  };

  const start = (model: string): void => {
    stopCurrent?.();
    stopCurrent = undefined;
    const spliced = held !== undefined;
    if (spliced) {
      // Placed before the request goes out, as the official middleware does: a request that fails leaves its mark.
      const index = nextIndex++;
      const category = held?.details?.['category'] ?? null;
      emit({ type: 'content_block_start', index, content_block: { type: 'fallback', from: { model: fromModel }, to: { model }, trigger: { type: 'refusal', category } } });
      emit({ type: 'content_block_stop', index });
      // The consumer may leave on the fallback block: nothing more is sent then.
      if (sink.closed) return;
    }
    const hop: Hop = { model, base: spliced ? nextIndex : 0, spliced, delivered: false };
    let stopped = false;
    const stop = stream(model === params.model ? body : { ...body, model }, new RecoverySink(
      sink,
      (event, type) => stopped || onEvent(hop, event as unknown as LooseEvent, type),
      (error: unknown) => {
        if (stopped) return;
        stopped = true;
        onError(hop, error);
      },
      () => {
        if (stopped) return;
        stopped = true;
        end();
        sink.complete();
      },
      // A delta of a request that is not spliced, once it delivered, only goes on.
      () => !stopped && !hop.spliced && hop.delivered,
    ));
    const stopThis = (): void => {
      stopped = true;
      stop();
    };
    // A request that ended at once (and may have started the next) has nothing left to stop.
    if (stopped || over) stop();
    else stopCurrent = stopThis;
  };

  const onEvent = (hop: Hop, event: LooseEvent, type: EventType): void => {
    // What a stream is mostly made of, passed on as it came unless spliced.
    if (type === 'content_block_delta' && !hop.spliced) {
      hop.delivered = true;
      return sink.next(event as unknown as RawMessageStreamEvent, type);
    }
    switch (type) {
      case 'message_start': {
        const message = event['message'] as { model?: unknown; usage?: UsageFields } | undefined;
        hop.startModel = typeof message?.model === 'string' ? message.model : undefined;
        hop.startUsage = message?.usage;
        if (hop.spliced) return;
        break;
      }
      case 'content_block_start':
      case 'content_block_delta':
      case 'content_block_stop': {
        const index = (event.index ?? 0) + hop.base;
        if (type === 'content_block_start') openBlocks.add(index);
        if (type === 'content_block_stop') openBlocks.delete(index);
        if (type !== 'content_block_delta' && index >= nextIndex) nextIndex = index + 1;
        hop.delivered = true;
        if (hop.spliced) return emit({ ...event, index });
        break;
      }
      case 'message_delta': {
        const delta = event['delta'] as { stop_reason?: unknown; stop_details?: Readonly<Record<string, unknown>> | null } | undefined;
        const usage = backfillUsage(event['usage'] as UsageFields | undefined, hop.startUsage);
        if (delta?.stop_reason === 'refusal' && on.has('refusal') && next < models.length) return refused(hop, delta.stop_details ?? undefined, usage);
        if (hop.spliced) {
          hop.delivered = true;
          return emit({ ...event, usage: { ...usage, iterations: [...iterations, iterationUsage('fallback_message', hop.model, usage)] } });
        }
        break;
      }
    }
    hop.delivered = true;
    sink.next(event as unknown as RawMessageStreamEvent, type);
  };

  const refused = (hop: Hop, details: Readonly<Record<string, unknown>> | undefined, usage: UsageFields): void => {
    for (const index of openBlocks) emit({ type: 'content_block_stop', index });
    openBlocks.clear();
    // The first request is named as its message_start names it, a fallback as the options do (the official middleware's labels).
    const model = hop.spliced ? hop.model : (hop.startModel ?? hop.model);
    iterations.push(iterationUsage('message', model, usage));
    held = { details: details?.['type'] === 'refusal' ? details : undefined, usage };
    fromModel = model;
    const to = models[next++] as string;
    report('refusal', hop.model, to);
    start(to);
  };

  const onError = (hop: Hop, error: unknown): void => {
    if (!hop.delivered && !(error instanceof APIUserAbortError)) {
      if (held !== undefined) return skip(hop, error);
      if (isOverloaded(error) && on.has('overloaded') && next < models.length) {
        const to = models[next++] as string;
        report('overloaded', hop.model, to, error);
        return start(to);
      }
    }
    fail(error);
  };

  /** A fallback request of a splice failed before its first event: the next model, or the refusal as it came. */
  const skip = (hop: Hop, error: unknown): void => {
    if (next < models.length) {
      const to = models[next++] as string;
      report(isOverloaded(error) ? 'overloaded' : 'refusal', hop.model, to, error);
      return start(to);
    }
    end();
    endWithRefusal(sink, held as HeldRefusal, hop.model);
  };

  start(params.model);
  return end;
}

/** Ends a splice whose fallbacks all failed with the refusal it came from, pointing at the last model tried. */
function endWithRefusal(sink: EventSink, held: HeldRefusal, lastModel: string): void {
  const details = { type: 'refusal', ...held.details, recommended_model: lastModel };
  const delta = { stop_reason: 'refusal', stop_sequence: null, container: null, stop_details: details };
  sink.next(deepFreeze({ type: 'message_delta', context_management: null, delta, usage: held.usage }) as unknown as RawMessageStreamEvent, 'message_delta');
  sink.next(deepFreeze({ type: 'message_stop' }) as unknown as RawMessageStreamEvent, 'message_stop');
  sink.complete();
}
