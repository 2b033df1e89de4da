import type { MessageCreateParams, ToolUseBlock } from '../schema';
import type { RequestObserver } from '../transport/HttpRequest';
import type { RecoveryEvent } from '../recovery/RecoveryOptions';

/**
 * How an Observable that a trace scope covers ended: completed, failed with `error`, or left by
 * its subscriber before either (`cancelled`, which is no error).
 *
 * ## Example
 * ```ts
 * const outcome: TraceOutcome = { kind: 'error', error: new OverloadedError(529, undefined, 'Overloaded', {}) };
 * ```
 */
export type TraceOutcome = { readonly kind: 'complete' } | { readonly kind: 'error'; readonly error: unknown } | { readonly kind: 'cancelled' };

/**
 * A span of work with a context: what is subscribed `within` it belongs to it (the requests of a
 * tool-loop turn, what a tool does), and it ends once, with the first outcome it is given.
 *
 * ## Example
 * ```ts
 * scope.within(() => source.subscribe(subscriber)); // the spans started during subscribe are its children
 * scope.end({ kind: 'complete' });
 * ```
 */
export interface TraceScope {
  /** Runs `work` with this scope's context current, and returns what it returns. */
  within<T>(work: () => T): T;
  /** Hears each value of the Observable it covers (a stream event, a message, a loop event). */
  observe?(value: unknown): void;
  /** Ends the scope; later calls do nothing. */
  end(outcome: TraceOutcome): void;
}

/**
 * What a request of the Messages API tells its trace when it starts.
 *
 * ## Example
 * ```ts
 * const request: TracedRequest = { operation: 'chat', params, stream: true, baseURL: 'https://api.anthropic.com', path: '/v1/messages' };
 * ```
 */
export interface TracedRequest {
  /** `chat` for `create`, `stream`, `streamBody` and `parse`; `count_tokens` for `countTokens`. */
  readonly operation: 'chat' | 'count_tokens';
  /** The request's params, as given (the body, less `stream`). */
  readonly params: Readonly<Record<string, unknown>>;
  /** Whether the response streams; `streamBody` also sets `raw`, its events are not read. */
  readonly stream: boolean;
  readonly raw?: boolean;
  readonly baseURL: string;
  readonly path: string;
}

/**
 * The trace of one request: a scope that also hears of its attempts (and gives each the trace
 * context's headers), then of the response's events or body through `observe`.
 *
 * ## Example
 * ```ts
 * const trace: RequestTrace | undefined = telemetry.startRequest(request);
 * ```
 */
export interface RequestTrace extends TraceScope, RequestObserver {
  /** Records a recovery of the request (continuation, fallback, hedge, timeout) on its span. */
  recovery?(event: RecoveryEvent): void;
}

/**
 * The trace of one tool run of a tool loop; `observe` hears its `tool_result` event.
 *
 * ## Example
 * ```ts
 * const run: ToolRunTrace = turn.startToolRun(toolUse, 'Looks up the weather');
 * ```
 */
export type ToolRunTrace = TraceScope;

/**
 * The trace of one turn of a tool loop: its request, then the tools its answer asked for.
 *
 * ## Example
 * ```ts
 * const turn: TurnTrace = loop.startTurn(1, request);
 * ```
 */
export interface TurnTrace extends TraceScope {
  /** Starts the trace of one tool run of this turn, as its child. */
  startToolRun(toolUse: ToolUseBlock, description: string | undefined): ToolRunTrace;
}

/**
 * The trace of a whole tool loop; `observe` hears every loop event (it reads `tool_loop_end`).
 *
 * ## Example
 * ```ts
 * const loop: ToolLoopTrace | undefined = telemetry.startToolLoop(params);
 * ```
 */
export interface ToolLoopTrace extends TraceScope {
  /** Starts the trace of turn `iteration` (1 for the first), as its child. */
  startTurn(iteration: number, request: MessageCreateParams): TurnTrace;
}

/**
 * Where a client's traces go: the `telemetry` option of `createClient`. `rx-anthropic/otel`'s
 * `openTelemetry()` gives one that makes OpenTelemetry spans; the main entry only calls these
 * hooks, so it never loads `@opentelemetry/api`. Each start answers `undefined` when nothing is
 * to be recorded (no tracer provider registered, tracing turned off), and the request or the loop
 * then runs untraced, at no cost.
 *
 * A request's trace starts when it is subscribed, as a child of the context current then; a tool
 * loop's turns and tool runs are children of the loop's, and a turn's request a child of the turn.
 *
 * ## Example
 * ```ts
 * import { openTelemetry } from 'rx-anthropic/otel';
 * const telemetry: Telemetry = openTelemetry();
 * const client = createClient({ telemetry });
 * ```
 */
export interface Telemetry {
  /** Starts the trace of a request of the Messages API, at its subscription. */
  startRequest(request: TracedRequest): RequestTrace | undefined;
  /** Starts the trace of a tool loop, at its subscription. */
  startToolLoop(params: MessageCreateParams): ToolLoopTrace | undefined;
}
