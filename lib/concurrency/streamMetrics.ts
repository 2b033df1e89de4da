import { asyncScheduler, Observable, type OperatorFunction, type SchedulerLike } from 'rxjs';
import type { StreamEventLike } from '../operators/MessageStreamEvent';
import { subscribeWhileOpen } from '../operators/withAccumulator';

/**
 * Live figures of one stream, as {@link streamMetrics} emits them.
 *
 * ## Example
 * ```ts
 * client.messages.stream(params).pipe(streamMetrics()).subscribe((m: StreamMetrics) => console.log(m.ttftMs, m.tokensPerSecond));
 * ```
 */
export interface StreamMetrics {
  /** Milliseconds from subscription (the request being sent) to this update. */
  readonly elapsedMs: number;
  /** Time to first token: milliseconds from subscription to the first `content_block_delta`; `undefined` before it. */
  readonly ttftMs: number | undefined;
  /**
   * Output tokens so far: the API's count (`usage.output_tokens`) where it has given the final
   * one, an estimate from the characters streamed for a message still in progress.
   */
  readonly outputTokens: number;
  /** Whether `outputTokens` includes an estimate (a message whose `message_delta` has not come yet). */
  readonly estimated: boolean;
  /** `outputTokens` per second since the first token; 0 until time has passed after it. */
  readonly tokensPerSecond: number;
  /** `true` on the last update, emitted when the stream completes. */
  readonly done: boolean;
}

/**
 * Options of {@link streamMetrics}.
 *
 * ## Example
 * ```ts
 * const options: StreamMetricsOptions = { estimateTokens: (characters) => Math.ceil(characters / 3) };
 * client.messages.stream(params).pipe(streamMetrics(options));
 * ```
 */
export interface StreamMetricsOptions {
  /** Whose `now()` times the stream (a `TestScheduler` in marble tests). Default `asyncScheduler`. */
  scheduler?: SchedulerLike;
  /** Estimated tokens of the characters streamed so far in a message. Default: ceil(characters / 4). */
  estimateTokens?: (characters: number) => number;
}

/** The raw events an update follows; derived and tool-loop events change no figure. */
const RAW_EVENT_TYPES: ReadonlySet<string> = new Set([
  'message_start',
  'content_block_start',
  'content_block_delta',
  'content_block_stop',
  'message_delta',
  'message_stop',
]);

interface MessageProgress {
  /** The last `usage.output_tokens` the API sent for the message. */
  reported: number;
  /** Characters of text, thinking and tool input streamed in the message. */
  characters: number;
  /** A `message_delta` gave the final count. */
  final: boolean;
}

/**
 * Live figures of a stream for a dashboard: time to first token, output tokens, tokens per
 * second, and whether it is done, updated with every raw event and once more at completion.
 *
 * Time is read from the scheduler's `now()`, from the moment of subscription, which for a cold
 * `client.messages.stream()` is when the request is sent: put the operator right after the
 * stream (before any `share()`). The API gives a message's output token count only in its
 * `message_delta` near the end, so while a message streams `outputTokens` is an estimate from
 * the characters of its deltas (never below what the API last reported), then the exact count.
 * A tool loop's turns add up; its TTFT is that of the first turn and its rate includes the time
 * its tools ran. An error passes through without a `done` update.
 *
 * ## Example
 * ```ts
 * import { auditTime } from 'rxjs';
 * import { streamMetrics } from 'rx-anthropic';
 *
 * client.messages.stream(params).pipe(streamMetrics(), auditTime(250)).subscribe(({ ttftMs, outputTokens, tokensPerSecond, done }) =>
 *   console.log(`ttft ${ttftMs ?? '…'} ms, ${outputTokens} tokens, ${tokensPerSecond.toFixed(0)} tok/s${done ? ' (done)' : ''}`),
 * );
 * ```
 *
 * @param options The scheduler to time with, the token estimate.
 * @return An operator from raw events (or `messageStreamEvents()` / tool-loop events) to figures.
 * @see aggregateUsage
 */
export function streamMetrics(options: StreamMetricsOptions = {}): OperatorFunction<StreamEventLike, StreamMetrics> {
  const { scheduler = asyncScheduler, estimateTokens = (characters: number) => Math.ceil(characters / 4) } = options;
  return (source) =>
    new Observable<StreamMetrics>((subscriber) => {
      const startedAt = scheduler.now();
      let firstTokenAt: number | undefined;
      let finishedTokens = 0;
      let message: MessageProgress | undefined;

      const update = (done: boolean): StreamMetrics => {
        const now = scheduler.now();
        const estimate = message && !message.final ? estimateTokens(message.characters) : 0;
        const current = message ? Math.max(message.reported, estimate) : 0;
        const outputTokens = finishedTokens + current;
        const generating = firstTokenAt === undefined ? 0 : now - firstTokenAt;
        return {
          elapsedMs: now - startedAt,
          ttftMs: firstTokenAt === undefined ? undefined : firstTokenAt - startedAt,
          outputTokens,
          estimated: estimate > (message?.reported ?? 0),
          tokensPerSecond: generating > 0 ? (outputTokens * 1000) / generating : 0,
          done,
        };
      };

      return subscribeWhileOpen(source, subscriber, {
        next: (event) => {
          if (!RAW_EVENT_TYPES.has(event.type)) return;
          if (event.type === 'message_start') {
            if (message) finishedTokens += Math.max(message.reported, message.final ? 0 : estimateTokens(message.characters));
            const usage = (event as { message?: { usage?: { output_tokens?: unknown } } }).message?.usage;
            message = { reported: typeof usage?.output_tokens === 'number' ? usage.output_tokens : 0, characters: 0, final: false };
          } else if (event.type === 'content_block_delta') {
            firstTokenAt ??= scheduler.now();
            if (message) message.characters += deltaCharacters((event as { delta?: Record<string, unknown> }).delta);
          } else if (event.type === 'message_delta') {
            const reported = (event as { usage?: { output_tokens?: unknown } }).usage?.output_tokens;
            if (message && typeof reported === 'number') {
              message.reported = reported;
              message.final = true;
            }
          }
          subscriber.next(update(false));
        },
        error: (error: unknown) => subscriber.error(error),
        complete: () => {
          subscriber.next(update(true));
          subscriber.complete();
        },
      });
    });
}

function deltaCharacters(delta: Record<string, unknown> | undefined): number {
  const text = delta?.['text'] ?? delta?.['thinking'] ?? delta?.['partial_json'];
  return typeof text === 'string' ? text.length : 0;
}
