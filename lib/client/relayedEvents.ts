import { Observable, tap, type Subscription } from 'rxjs';
import { APIConnectionError, APIError, APIUserAbortError, type AnthropicError } from '../errors';
import { fromSSE } from '../sse/fromSSE';
import type { ServerSentEvent } from '../sse/ServerSentEvent';
import type { HttpRequest, RequestObserver, RequestOptions, ResponseInfo, TransportConfig } from '../transport/HttpRequest';
import { retryDelayMs } from '../transport/retryPolicy';
import { sendRequest } from '../transport/sendRequest';
import { relayStreamPath, STREAM_ID_HEADER, stopRelayStream } from './stopRelayStream';
import { logs } from '../logging/Logger';

/**
 * How many times in a row a dropped stream is reconnected without receiving a new event before
 * it fails: with the waits of `retryDelayMs` (0.5, 1, 2, 4 and 8 s, each shortened by up to a
 * quarter at random), about 15 s in all.
 */
export const MAX_RESUME_ATTEMPTS = 5;

/**
 * The sequence number in an event's `id:` field: a whole number of 1 to 15 digits, or `undefined`
 * for anything else. Read digit by digit: it runs for every event of a relayed stream, where a
 * regular expression and `Number()` cost a tenth of what the client spends on the event.
 */
export function sequenceNumberOf(id: string | undefined): number | undefined {
  if (id === undefined) return undefined;
  const length = id.length;
  if (length === 0 || length > 15) return undefined;
  let value = 0;
  for (let index = 0; index < length; index += 1) {
    const digit = id.charCodeAt(index) - 48;
    if (digit < 0 || digit > 9) return undefined;
    value = value * 10 + digit;
  }
  return value;
}

/**
 * The drop that could not be resumed, its message saying why and its `cause` the resume's own
 * failure. It is the error the consumer would have got without `resumeStreams`, so the class
 * (`APIConnectionError`, `APITimeoutError`) and what code tests on it stay the same.
 */
function notResumed(drop: AnthropicError, reason: string, cause: unknown): AnthropicError {
  const before = drop.message;
  drop.message = `${before} The stream was not resumed: ${reason}.`;
  if (typeof drop.stack === 'string') drop.stack = drop.stack.replace(before, drop.message);
  if (cause !== undefined) Object.defineProperty(drop, 'cause', { value: cause, enumerable: false, writable: true, configurable: true });
  return drop;
}

const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/**
 * The server-sent events of a streamed request (`POST /v1/messages`), resumed through a relay
 * when the connection drops, and stopped at the relay when nobody reads them any more.
 *
 * A response from a relay with resumable streams (`rx-anthropic/proxy`) names its stream in an
 * `x-stream-id` header and numbers its events (`id: 1`, `id: 2`, …). Without that header this is
 * `sendRequest(…).pipe(fromSSE())`. With it:
 *
 * - **Stop.** When the Observable ends before the stream did (unsubscribed, aborted, failed on the
 *   client's side), `DELETE /streams/{id}` tells the relay to abort its request upstream
 *   ({@link stopRelayStream}). The stream has ended, and nothing is sent, once the body ended or
 *   a `message_stop` or `error` event came.
 * - **Resume** (with `resumeStreams`). When the body breaks off (`APIConnectionError`, or
 *   `APITimeoutError` between two chunks), the same subscription reconnects to
 *   `GET /streams/{id}` with `Last-Event-ID:` the number of the last event received whole, and
 *   goes on with the events after it. An event cut in half is not emitted (`fromSSE` drops it when
 *   its connection fails) and comes again whole; an event whose number is not above the last one
 *   is dropped, so none is repeated. Attempts wait `retryDelayMs(n)` on the client's scheduler;
 *   after {@link MAX_RESUME_ATTEMPTS} in a row that bring no new event, or at once when the relay
 *   answers anything but 2xx (404: the stream expired, is unknown or is not the caller's), the
 *   Observable fails with the original drop, its message saying why it was not resumed and its
 *   `cause` the resume's failure. A stream that sent an event without a number is not resumed:
 *   the relay's replay could repeat it.
 *
 * The whole of it, resumes included, holds one place of the client's request gate
 * (`maxConcurrentRequests`, `limiter`), taken before the `POST`; only the `POST`'s responses are
 * reported to it and to `sendRequest`'s retries. Each resume, and a stream given up, is logged at
 * `'info'` on the client's log.
 *
 * ## Example
 * ```ts
 * relayedEvents(config, { method: 'POST', path: '/v1/messages', body, expect: 'event-stream' }, { resumeStreams: true })
 *   .pipe(decodeEvents())
 *   .subscribe((event) => console.log(event.type));
 * ```
 *
 * @param config The client's transport configuration; its `resumeStreams` is the default.
 * @param request The streamed request.
 * @param options The request's options; `resumeStreams` overrides the client's.
 * @param observer Hears of the attempts of the `POST` and of each resume (a trace span).
 * @return A cold Observable of the stream's events, each once, in order.
 * @see stopRelayStream
 */
export function relayedEvents(config: TransportConfig, request: HttpRequest, options: RequestOptions, observer?: RequestObserver): Observable<ServerSentEvent> {
  const { gate, ...direct } = config;
  const resume = options.resumeStreams ?? config.resumeStreams ?? false;
  const events = new Observable<ServerSentEvent>((subscriber) => {
    let streamId: string | undefined;
    /** The number of the last event received whole; 0 before the first. */
    let lastId = 0;
    /** An event without a number went on: a replay could not tell it from a new one. */
    let unnumbered = false;
    /** The relay's stream is over (or the relay does not know it): there is nothing to stop. */
    let ended = false;
    let connection: Subscription | undefined;
    let pendingResume: Subscription | undefined;
    /** The drop being resumed: the error the Observable fails with if it cannot be. */
    let drop: AnthropicError | undefined;
    /** Resumes since the last new event. */
    let attempts = 0;

    const fail = (error: unknown): void => subscriber.error(error);
    const giveUp = (reason: string, cause?: unknown): void => {
      if (logs(config.log, 'info')) config.log.logger.info(`stream ${streamId ?? '(unnamed)'} not resumed: ${reason}`);
      fail(notResumed(drop!, reason, cause));
    };
    const path = (): string => relayStreamPath(streamId!);

    const onPostResponse = (info: ResponseInfo): void => {
      gate?.observeResponse(info);
      const id = info.status >= 200 && info.status < 300 ? info.headers[STREAM_ID_HEADER] : undefined;
      if (id) {
        // A retried POST (its first response broke before any byte): that first stream is nobody's now.
        if (streamId !== undefined && streamId !== id) stopRelayStream(config, options, streamId);
        streamId = id;
      }
      options.onResponse?.(info);
    };

    const scheduleResume = (lastFailure: unknown): void => {
      if (attempts >= MAX_RESUME_ATTEMPTS) {
        giveUp(`${MAX_RESUME_ATTEMPTS} attempts to reconnect to GET ${path()} brought no new event (the last: ${messageOf(lastFailure)})`, lastFailure);
        return;
      }
      const delay = retryDelayMs(attempts);
      attempts += 1;
      if (logs(config.log, 'info')) {
        config.log.logger.info(
          `stream ${streamId} dropped after event ${lastId} (${messageOf(lastFailure)}) - resuming through GET ${path()} in ${Math.round(delay)}ms (attempt ${attempts} of ${MAX_RESUME_ATTEMPTS})`,
        );
      }
      pendingResume = config.scheduler.schedule(() => {
        pendingResume = undefined;
        const resumeRequest: HttpRequest = { method: 'GET', path: path(), headers: { 'last-event-id': String(lastId) }, expect: 'event-stream' };
        connect(sendRequest(direct, resumeRequest, { ...options, maxRetries: 0 }, observer), true);
      }, delay);
    };

    const onDrop = (error: unknown): void => {
      if (!resume || streamId === undefined || !(error instanceof APIConnectionError)) return fail(error);
      if (attempts === 0) drop = error;
      if (unnumbered) return giveUp('its events carry no id to resume after');
      scheduleResume(error);
    };

    /** A resume that failed before its body began. */
    const onResumeFailure = (error: unknown): void => {
      if (error instanceof APIConnectionError) return scheduleResume(error);
      if (error instanceof APIUserAbortError) return fail(error);
      if (error instanceof APIError) {
        // 404: expired, unknown or another caller's; in every case not running for us any more.
        if (error.status === 404) ended = true;
        return giveUp(`GET ${path()} answered ${error.status ?? 'an error'}: ${error.message}`, error);
      }
      giveUp(`GET ${path()} failed: ${messageOf(error)}`, error);
    };

    const connect = (bytes: Observable<Uint8Array>, resuming: boolean): void => {
      let opened = false;
      connection = bytes
        .pipe(
          tap(() => (opened = true)),
          fromSSE({ maxEventSize: config.maxEventSize }),
        )
        .subscribe({
          next: (sse) => {
            const sequence = sequenceNumberOf(sse.id);
            if (sequence !== undefined) {
              if (sequence <= lastId) return;
              lastId = sequence;
              attempts = 0;
            } else if (sse.event !== 'ping') {
              unnumbered = true;
            }
            if (sse.event === 'message_stop' || sse.event === 'error') ended = true;
            subscriber.next(sse);
          },
          error: (error: unknown) => (resuming && !opened ? onResumeFailure(error) : onDrop(error)),
          complete: () => {
            ended = true;
            subscriber.complete();
          },
        });
    };

    // Waiting to resume, nothing listens to the signal: sendAttempt does while a request is open.
    const onAbort = (): void => {
      if (pendingResume === undefined) return;
      pendingResume.unsubscribe();
      pendingResume = undefined;
      fail(new APIUserAbortError());
    };
    options.signal?.addEventListener('abort', onAbort);

    connect(sendRequest(direct, request, { ...options, onResponse: onPostResponse }, observer), false);

    return () => {
      options.signal?.removeEventListener('abort', onAbort);
      connection?.unsubscribe();
      pendingResume?.unsubscribe();
      if (streamId !== undefined && !ended) stopRelayStream(config, options, streamId);
    };
  });
  return gate ? gate.limit(events) : events;
}
