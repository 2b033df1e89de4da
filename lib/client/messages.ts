import { defer, map, type Observable } from 'rxjs';
import type { Message, MessageCountTokensParams, MessageCreateParams, RawMessageStreamEvent } from '../schema';
import { deepFreeze } from '../accumulate/freezeValue';
import { decodeEvents } from '../schema/decodeEvents';
import type { HttpRequest, RequestOptions, ResponseInfo, TransportConfig } from '../transport/HttpRequest';
import { readJSON } from '../transport/readJSON';
import { sendRequest } from '../transport/sendRequest';
import { withoutTotalMs } from '../transport/timeoutOption';
import { InvalidArgumentError } from '../errors';
import { formatOfParams, type OutputOfParams } from '../output/formatOfParams';
import { outputHooksOf } from '../output/outputHooks';
import type { ParsedMessage } from '../output/ParsedMessage';
import { lazyModule, whenLoaded } from './whenLoaded';
import { assertParamsObject } from './assertParamsObject';
import { relayedEvents } from './relayedEvents';
import { stopOnUnsubscribe } from './stopOnUnsubscribe';
import { warnDeprecatedModel, type WarningListener } from './warnDeprecatedModel';
import type { Telemetry, TracedRequest } from '../telemetry/Telemetry';
import { traceScope } from '../telemetry/traceScope';
import { recoveryContext, recoveryOptionsOf } from '../recovery/RecoveryContext';
import { asksForRecovery, recoverStream } from '../recovery/recoverStream';
import { toSSE } from '../sse/toSSE';
import type { SendStream } from '../recovery/SendStream';

/**
 * The token count that `countTokens` answers.
 *
 * ## Example
 * ```ts
 * client.messages
 *   .countTokens({ model: 'claude-sonnet-4-6', messages: [{ role: 'user', content: 'Hello' }] })
 *   .subscribe((count: MessageTokensCount) => console.log(count.input_tokens));
 * ```
 */
export interface MessageTokensCount {
  input_tokens: number;
  [key: string]: unknown;
}

/**
 * `client.messages`: the Messages API, each call a cold Observable.
 *
 * ## Example
 * ```ts
 * const messages: Messages = client.messages;
 * messages.create({ model: 'claude-sonnet-4-6', max_tokens: 1024, messages: [{ role: 'user', content: 'Hi' }] })
 *   .subscribe((message) => console.log(message.content));
 * ```
 */
export interface Messages {
  /**
   * Streams a message: a cold Observable of the raw server-sent events. Nothing is sent before
   * subscribe; each subscription sends its own request; unsubscribing aborts it (and, through a
   * relay with resumable streams, asks it to stop: see `resumeStreams`, which also makes a
   * dropped stream resume where it broke off). With an
   * `outputFormat(codec)` as `output_config.format`, the finished message that `finalMessage()`
   * and the other operators give has `parsed_output` (read when they finish the message).
   */
  stream(params: MessageCreateParams, options?: RequestOptions): Observable<RawMessageStreamEvent>;
  /**
   * Streams a message as the bytes of the response body, the API's event stream as it came:
   * `streamBody(params).pipe(fromSSE(), decodeEvents())` gives the events of
   * {@link Messages.stream}. For a server that passes the stream on unchanged (`rx-anthropic/proxy`
   * does), where decoding each event only to write it again would be work for nothing. Sending,
   * retries before the first byte, HTTP errors and aborts are those of `stream()`; the bytes are
   * not read, so an `event: error` inside them passes as it came, and a dropped stream is not
   * resumed (`resumeStreams` does not apply: the events' numbers are not read either); leaving
   * before the end stops a relay's stream as `stream()` does. With a recovery asked for by the
   * client or the request (`continueOnDrop`, `fallback`, `hedge`, or `timeout` by phase), whose
   * work is on the events, the body is `stream()`'s recovered events written again as SSE frames.
   */
  streamBody(params: MessageCreateParams, options?: RequestOptions): Observable<Uint8Array>;
  /** With `stream: true`, the same raw events as {@link Messages.stream}. */
  create(params: MessageCreateParams & { stream: true }, options?: RequestOptions): Observable<RawMessageStreamEvent>;
  /** Creates a message without streaming: one `Message` when the response is complete. */
  create(params: MessageCreateParams & { stream?: false | null }, options?: RequestOptions): Observable<Message>;
  /** Either of the above, when whether `stream` is set is known only at run time. */
  create(params: MessageCreateParams, options?: RequestOptions): Observable<Message | RawMessageStreamEvent>;
  /** Counts the input tokens of a request without creating a message. */
  countTokens(params: MessageCountTokensParams, options?: RequestOptions): Observable<MessageTokensCount>;
  /**
   * Creates a message without streaming and reads its structured output: one `ParsedMessage`
   * whose `parsed_output` is the text decoded by `output_config.format` (typed by the codec of an
   * `outputFormat(codec)`; only JSON-parsed for a plain JSON Schema; `null` without a format, and
   * for a refusal, a `max_tokens` cut or a tool-use turn). Fails with `OutputParseError` or
   * `OutputValidationError` when a finished answer is not JSON or not what the codec accepts,
   * and with `InvalidArgumentError` for params with `stream: true`. The format may be made from
   * a Standard Schema too (zod, Valibot, ArkType: typed by its output type); one that validates
   * asynchronously fails with `AsyncValidationError`.
   */
  parse<P extends MessageCreateParams>(params: P, options?: RequestOptions): Observable<ParsedMessage<OutputOfParams<P>>>;
}

/** The shell that reads a plain JSON Schema format's output, loaded at the first `parse()` that needs it. */
const parsedMessageModule = lazyModule(() => import('../output/parsedMessageOf'));

/** How a plain JSON Schema format reads its output: the JSON as it is. */
const asJSON = (_raw: string, value: unknown): unknown => value;

const encoder = new TextEncoder();

/**
 * The `messages` resource over a transport configuration.
 *
 * Params that are not an object fail each subscription with `InvalidArgumentError` before
 * anything is sent; what they hold is left to the API to judge. A deprecated model warns on
 * `onWarning` (default `console.warn`) at the first subscription that names it. With a
 * `telemetry`, each subscription starts a trace of the request that ends with it.
 */
export function createMessages(config: TransportConfig, onWarning?: WarningListener, telemetry?: Telemetry): Messages {
  const streamRequest = (params: MessageCreateParams): HttpRequest => ({ method: 'POST', path: '/v1/messages', body: JSON.stringify({ ...params, stream: true }), expect: 'event-stream' });

  /** The trace of a request about to be sent, started in the context current at its subscription. */
  const startTrace = (operation: TracedRequest['operation'], params: object, path: string, stream: boolean, raw = false) =>
    telemetry?.startRequest({ operation, params: params as TracedRequest['params'], stream, raw, baseURL: config.baseURL, path });

  const streamBody = (params: MessageCreateParams, options: RequestOptions = {}): Observable<Uint8Array> =>
    defer(() => {
      assertParamsObject(params, 'messages.streamBody');
      // The recoveries work on events: with one asked for (by the client or the request), the body is the recovered stream's events written again.
      if (asksForRecovery(recoveryOptionsOf(config.recovery ?? {}, options))) {
        return stream(params, options).pipe(toSSE(), map((frame) => encoder.encode(frame)));
      }
      warnDeprecatedModel(params, onWarning);
      const request = streamRequest(params);
      const trace = startTrace('chat', params, request.path, true, true);
      return stopOnUnsubscribe(config, options, (withStreamId) => sendRequest(config, request, withStreamId, trace)).pipe(traceScope(trace));
    });

  const stream = (params: MessageCreateParams, options: RequestOptions = {}): Observable<RawMessageStreamEvent> =>
    defer(() => {
      assertParamsObject(params, 'messages.stream');
      warnDeprecatedModel(params, onWarning);
      const trace = startTrace('chat', params, '/v1/messages', true);
      // A stream's totalMs is watched once, over all its requests, by phaseTimeouts (recoverStream): not again by each request.
      const timeout = options.timeout ?? config.timeout;
      const attemptTimeout = withoutTotalMs(timeout);
      const attemptOptions = attemptTimeout === timeout ? options : { ...options, timeout: attemptTimeout };
      // One attempt; the recoveries (continuation, fallback, hedge) may send it again with other params.
      // The events' ids are seen here, below decodeEvents: where a dropped stream is resumed, and stopped when left.
      const send: SendStream = (attemptParams) =>
        defer(() => {
          // Filled when the attempt's response arrives, so that an `event: error` carries its own request id and headers.
          const headers: Record<string, string> = {};
          const onResponse = (info: ResponseInfo) => {
            Object.assign(headers, info.headers);
            options.onResponse?.(info);
          };
          return relayedEvents(config, streamRequest(attemptParams), { ...attemptOptions, onResponse }, trace).pipe(decodeEvents({ headers }));
        });
      const context = recoveryContext(config.recovery ?? {}, options, config.scheduler, trace);
      const events = recoverStream(send, params, context).pipe(traceScope(trace));
      // Only a format made by outputFormat costs anything, and it brings the code itself: its final message gets parsed_output.
      const hooks = outputHooksOf(formatOfParams(params));
      return hooks === undefined ? events : events.pipe(hooks.attachParsedOutput);
    });

  const postJSON = <T>(caller: string, path: string, params: unknown, options: RequestOptions = {}): Observable<T> =>
    defer(() => {
      assertParamsObject(params, caller);
      warnDeprecatedModel(params, onWarning);
      const trace = startTrace(caller === 'messages.countTokens' ? 'count_tokens' : 'chat', params, path, false);
      return sendRequest(config, { method: 'POST', path, body: JSON.stringify(params), expect: 'json' }, options, trace).pipe(readJSON(), traceScope(trace));
    }).pipe(
      // Frozen (outside production) as every message the library hands out: see freezeValue.
      map((value) => deepFreeze(value) as T),
    );

  function create(params: MessageCreateParams, options?: RequestOptions): Observable<Message | RawMessageStreamEvent> {
    // `params?.`: params that are not an object must fail at subscribe, not here.
    return (params as Partial<MessageCreateParams> | null | undefined)?.stream === true
      ? stream(params, options)
      : postJSON<Message>('messages.create', '/v1/messages', params, options);
  }

  const parse = (params: MessageCreateParams, options?: RequestOptions): Observable<ParsedMessage<unknown>> =>
    defer(() => {
      assertParamsObject(params, 'messages.parse');
      if ((params as { stream?: unknown }).stream === true) {
        throw new InvalidArgumentError('params', 'client.messages.parse() does not stream; for a streamed answer use client.messages.stream(params).pipe(finalMessage()) or finalOutput(format). Nothing was sent.');
      }
      const format = formatOfParams(params);
      const hooks = outputHooksOf(format);
      if (hooks !== undefined) return postJSON<Message>('messages.parse', '/v1/messages', params, options).pipe(map(hooks.parsedMessageOf));
      // A plain { type, schema } format (no hooks) is only JSON-parsed, by the small shell every format shares, loaded at first use.
      return whenLoaded(
        parsedMessageModule,
        ({ parsedMessageOf }) => postJSON<Message>('messages.parse', '/v1/messages', params, options).pipe(map((message) => parsedMessageOf(message, format === undefined ? null : asJSON))),
      );
    });

  return {
    stream,
    streamBody,
    create: create as Messages['create'],
    parse: parse as Messages['parse'],
    countTokens: (params, options) => postJSON<MessageTokensCount>('messages.countTokens', '/v1/messages/count_tokens', params, options),
  };
}
