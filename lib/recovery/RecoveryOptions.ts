import type { APIError } from '../errors';

/**
 * What makes a request go to the next of `fallback.models`: a `refusal` stop reason, or an
 * overloaded answer (529, `overloaded_error`) before the first byte of the body.
 *
 * ## Example
 * ```ts
 * const on: readonly FallbackTrigger[] = ['overloaded'];
 * ```
 */
export type FallbackTrigger = 'refusal' | 'overloaded';

/**
 * The models a request falls back to, in order, and on what (default both triggers).
 *
 * ## Example
 * ```ts
 * const fallback: FallbackOptions = { models: ['claude-opus-4-5'], on: ['refusal', 'overloaded'] };
 * client.messages.stream(params, { fallback });
 * ```
 */
export interface FallbackOptions {
  readonly models: readonly string[];
  readonly on?: readonly FallbackTrigger[];
}

/**
 * When no content has arrived `afterMs` after a request went out, an identical request (or one to
 * `model`) starts; the first to deliver content wins and the other is aborted.
 *
 * ## Example
 * ```ts
 * const hedge: HedgeOptions = { afterMs: 2_000, model: 'claude-haiku-4-5' };
 * client.messages.stream(params, { hedge });
 * ```
 */
export interface HedgeOptions {
  readonly afterMs: number;
  readonly model?: string;
}

/**
 * Timeouts by phase of a request, each in milliseconds (above 0, at most 2^31 - 1) and each
 * optional. Each fires `APITimeoutError` naming its phase, and for a stream is reported to
 * `onRecovery` and the request's span as a `timeout` recovery.
 *
 * - `firstTokenMs`: from the subscription (the request going out; time waiting in the client's
 *   request queue counts) to the first content event of a stream, `content_block_start` or
 *   `content_block_delta`, whatever happened in between (retries, a hedge, a fallback). Streams
 *   only: a request that is not streamed has no content before its whole answer (see `totalMs`).
 * - `idleMs`: nothing received for this long. It is watched on each HTTP attempt, from its
 *   request going out to the first chunk of its body and then between two chunks, so every
 *   server-sent event, `ping` included, keeps it alive (the response headers do not). As the
 *   plain number, a firing before the first byte of the body is retried (`maxRetries`); after it,
 *   the request fails (and `continueOnDrop` may go on from there).
 * - `totalMs`: the whole request, to its end: for a stream from the subscription, its retries,
 *   continuations, hedge and fallbacks included; for a call that does not stream (and
 *   `streamBody()`) from its first attempt going out, its retries included. Never retried.
 *
 * A phase left out has no bound of its own; without `idleMs`, the default wait of 10 minutes
 * for the response and between two chunks (the plain number's) stays, so a dead connection
 * cannot hang a request forever.
 *
 * ## Example
 * ```ts
 * const timeout: PhaseTimeouts = { firstTokenMs: 10_000, idleMs: 30_000, totalMs: 300_000 };
 * client.messages.stream(params, { timeout });
 * ```
 */
export interface PhaseTimeouts {
  readonly firstTokenMs?: number;
  readonly idleMs?: number;
  readonly totalMs?: number;
}

/**
 * The phase of a request whose timeout fired.
 *
 * ## Example
 * ```ts
 * const phase: TimeoutPhase = 'firstToken';
 * ```
 */
export type TimeoutPhase = 'firstToken' | 'idle' | 'total';

/**
 * One recovery of a request, as `onRecovery` receives it and the request's span records it:
 * what happened (`kind`), when (`at`, milliseconds since the epoch on the client's scheduler),
 * and why.
 *
 * - `continuation`: the stream dropped after content began and was sent again with what had
 *   arrived as an assistant prefill (`attempt` counts from 1; `retried` when no content had
 *   begun, an ordinary retry).
 * - `fallback`: the request went to the next model (`from`, `to`) on `reason`.
 * - `hedge`: the hedged request started (`outcome: 'started'`), then `'won'` or `'lost'`.
 * - `timeout`: a phase's timeout fired.
 *
 * ## Example
 * ```ts
 * const onRecovery = (event: RecoveryEvent) => console.warn(`${event.kind}: ${event.reason}`);
 * client.messages.stream(params, { continueOnDrop: 2, onRecovery });
 * ```
 */
export type RecoveryEvent =
  | { readonly kind: 'continuation'; readonly at: number; readonly reason: string; readonly attempt: number; readonly retried: boolean; readonly error: unknown }
  | { readonly kind: 'fallback'; readonly at: number; readonly reason: FallbackTrigger; readonly from: string; readonly to: string; readonly error?: APIError }
  | { readonly kind: 'hedge'; readonly at: number; readonly reason: string; readonly outcome: 'started' | 'won' | 'lost'; readonly model: string }
  | { readonly kind: 'timeout'; readonly at: number; readonly reason: string; readonly phase: TimeoutPhase; readonly ms: number };

/**
 * The recovery options, per client (`createClient`) and per request (`RequestOptions`, which
 * override the client's). All are off by default.
 *
 * ## Example
 * ```ts
 * const recovery: RecoveryOptions = { continueOnDrop: 3, fallback: { models: ['claude-opus-4-5'] }, hedge: { afterMs: 2_000 } };
 * const client = createClient({ ...recovery, onRecovery: (event) => console.warn(event) });
 * ```
 */
export interface RecoveryOptions {
  /**
   * Attempts to go on after the connection drops (or the idle timeout fires): the request is sent
   * again with the text received so far as an assistant prefill, and the continuation goes on in
   * the same Observable. Before any content block has begun it is an ordinary retry. Default 0.
   */
  readonly continueOnDrop?: number;
  /** Models to fall back to on a refusal or an overloaded answer. */
  readonly fallback?: FallbackOptions;
  /** A second request when the first is slow to deliver content. */
  readonly hedge?: HedgeOptions;
  /**
   * Called with every recovery (continuation, fallback, hedge, timeout), after the request's
   * trace hears of it. What it throws does not change the stream: the recovery goes on as if it
   * had returned (the continuation is sent, the timeout's stream fails with its
   * `APITimeoutError`), and the error is reported as RxJS reports one thrown by a subscriber's
   * callback, on a later task: to `config.onUnhandledError` from 'rxjs' when set, else thrown
   * there as an uncaught error. The same holds for the trace's `recovery`, and one of the two
   * throwing does not keep the other from being called.
   */
  readonly onRecovery?: (event: RecoveryEvent) => void;
  /**
   * Milliseconds to wait for the response and then between two chunks of its body (a plain
   * number), or timeouts by phase ({@link PhaseTimeouts}). See `ClientOptions.timeout`.
   */
  readonly timeout?: number | PhaseTimeouts;
}
