import type { Observable } from 'rxjs';
import type { MessageCreateParams, ToolUseBlock } from '../schema';
import type { RequestOptions } from '../transport/HttpRequest';
import type { LoopTool, ToolResultContent } from './RunnableTool';
import type { ToolApprovalRequest } from './ToolLoopEvent';
import type { ToolLoopState } from './ToolLoopState';

/**
 * What a hook of the tool loop may return: a value, a Promise of it, or an Observable whose first
 * value is taken (and which is unsubscribed when the loop is), so that a dialog, a timer or
 * another stream can answer.
 *
 * ## Example
 * ```ts
 * const now: HookResult<boolean> = true;
 * const later: HookResult<boolean> = timer(1000).pipe(map(() => true));
 * ```
 */
export type HookResult<T> = T | PromiseLike<T> | Observable<T>;

/**
 * What `prepareTurn` returns for the next request: any request params to change (they stay
 * changed for the requests after it), and tools to offer or withdraw from this turn on.
 *
 * Return only what changes. `messages` replaces the conversation: start from `state.messages`
 * to add to it (not from `state.params.messages`, the last request's, without its reply); `tools`
 * replaces the tools sent (runnable ones are run). `addTools` and `removeTools` leave `tools`
 * alone, which keeps the prompt cache: they go in a `system` message of `tool_addition` and
 * `tool_removal` blocks at the end of the conversation.
 *
 * ## Example
 * ```ts
 * const prepareTurn = ({ iteration }: ToolLoopState): TurnParams | undefined =>
 *   iteration === 1 ? { removeTools: ['web_search'], addTools: [getWeather], max_tokens: 2048 } : undefined;
 * ```
 */
export interface TurnParams extends Partial<Omit<MessageCreateParams, 'tools' | 'stream'>> {
  /** The tools of the request from now on: tools the loop runs and plain API definitions, as in `ToolLoopOptions.tools`. */
  readonly tools?: readonly LoopTool[];
  /** Tools offered from this turn on, each in a `tool_addition` block holding its definition; runnable ones are run. */
  readonly addTools?: readonly LoopTool[];
  /** Names of tools withdrawn from this turn on, each in a `tool_removal` block; the loop stops running them. */
  readonly removeTools?: readonly string[];
}

/**
 * An answer of `approve`: run the tool, do not run it (the model reads the reason), or answer
 * with a result instead of running it.
 *
 * ## Example
 * ```ts
 * const allow: ToolApprovalDecision = { approved: true };
 * const deny: ToolApprovalDecision = { approved: false, reason: 'The user wants to keep that file.' };
 * const answer: ToolApprovalDecision = { result: 'The user typed the value in: 42' };
 * ```
 */
export type ToolApprovalDecision =
  | { readonly approved: true }
  | { readonly approved: false; readonly reason?: string }
  | { readonly result: ToolResultContent; readonly is_error?: boolean };

/**
 * A stop condition of the tool loop: whether to stop after this turn's tools have run.
 *
 * ## Example
 * ```ts
 * const twoSearches: StopCondition = ({ messages }) => messages.filter((m) => m.role === 'assistant').length >= 2;
 * ```
 */
export type StopCondition = (state: ToolLoopState) => HookResult<boolean>;

/**
 * Options of {@link toolLoop}.
 *
 * ## Example
 * ```ts
 * const options: ToolLoopOptions = {
 *   tools: [getWeather, deleteFile],
 *   maxIterations: 5,
 *   stopWhen: toolCalled('final_answer'),
 *   approve: (request) => (request.name === 'delete_file' ? of({ approved: false, reason: 'Not today.' }) : of({ approved: true })),
 * };
 * of(params).pipe(toolLoop(client, options), textDeltas()).subscribe((text) => process.stdout.write(text));
 * ```
 */
export interface ToolLoopOptions {
  /** Tools the loop runs (`defineTool`, `mcpTool`) and plain API tool definitions (server tools), mixed. */
  tools: readonly LoopTool[];
  /** The most requests one loop sends (resumed paused turns included). Default 10. */
  maxIterations?: number;
  /** The most tools of one turn running (or waiting for approval) at once. Default unbounded. */
  concurrency?: number;
  /**
   * Options of every request of the loop (`headers`, `betas`, `timeout`, …). Aborting `signal`
   * aborts the request in flight and every running tool, and fails the loop with `APIUserAbortError`.
   */
  requestOptions?: RequestOptions;
  /**
   * Called before every request, the first included, with the loop's state; returns the params to
   * change for it (see {@link TurnParams}), nothing to send it as it is, or a Promise or an
   * Observable of either. The request waits for the answer.
   */
  prepareTurn?: (state: ToolLoopState) => HookResult<TurnParams | undefined | void>;
  /**
   * Called after each turn whose tools have run (or that paused), before the next request; the
   * loop ends with `stop_reason: 'stop_when'` when it answers true. See `toolCalled`,
   * `tokenBudget`, `costBudget`. Not called after a turn that ends the loop anyway.
   */
  stopWhen?: StopCondition;
  /**
   * Asked about each tool use whose tool needs approval (its `needsApproval`, or the loop's),
   * right after the `tool_approval_request` event; the tool waits for the first answer. An
   * Observable that completes without one denies. Tools that need no approval are not asked about.
   */
  approve?: (request: ToolApprovalRequest, context: { readonly signal: AbortSignal }) => HookResult<ToolApprovalDecision>;
  /**
   * Approval for every tool the loop runs, besides each tool's own `needsApproval`: `true`, or a
   * function of the tool use.
   */
  needsApproval?: boolean | ((toolUse: ToolUseBlock) => boolean);
  /**
   * What to do with a turn the API paused (`pause_turn`, a server tool's long turn; also
   * `compaction`): send it back so that the model continues (`'continue'`, the default; each
   * resumption counts against `maxIterations`), or end the loop with that stop reason (`'stop'`).
   */
  pauseTurn?: 'continue' | 'stop';
}
