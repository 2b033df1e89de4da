import type { InputMessage, Message, RawMessageStreamEvent } from '../schema';
import type { ToolResultContent } from './RunnableTool';
import type { ToolLoopUsage } from './ToolLoopState';

/**
 * A tool has run: its result, as sent back to the model in the next request.
 *
 * ## Example
 * ```ts
 * client.messages.toolLoop(params, { tools }).subscribe((event) => {
 *   if (event.type === 'tool_result') console.log(event.name, event.is_error, event.content);
 * });
 * ```
 */
export interface ToolResultEvent {
  type: 'tool_result';
  tool_use_id: string;
  name: string;
  /** What the model reads. */
  content: ToolResultContent;
  is_error: boolean;
  /**
   * Why the result is an error, for the app rather than the model: the value the tool threw or
   * errored with (a `ToolError` included), or an `UnknownToolError` naming the tools that could
   * run. Absent when the tool succeeded, and for other errors (invalid input, a denial), whose
   * `content` says it all.
   */
  error?: unknown;
}

/**
 * A running tool reported progress (a value it emitted through `toolProgress()`).
 *
 * ## Example
 * ```ts
 * client.messages.toolLoop(params, { tools }).subscribe((event) => {
 *   if (event.type === 'tool_progress') console.log(event.name, event.progress);
 * });
 * ```
 */
export interface ToolProgressEvent {
  type: 'tool_progress';
  tool_use_id: string;
  name: string;
  progress: unknown;
}

/**
 * A tool that needs approval is about to be asked about: the loop calls `approve` with this same
 * object right after emitting it, and runs the tool only once the answer approves it.
 *
 * ## Example
 * ```ts
 * client.messages.toolLoop(params, { tools, approve: (request) => dialog.ask(request) }).subscribe((event) => {
 *   if (event.type === 'tool_approval_request') console.log(`asking about ${event.name}(${JSON.stringify(event.input)})`);
 * });
 * ```
 */
export interface ToolApprovalRequest {
  type: 'tool_approval_request';
  tool_use_id: string;
  name: string;
  /** The input the model sent, as it sent it. */
  input: unknown;
}

/**
 * Why a tool loop stopped: the last message's `stop_reason` when it asked for no tool
 * (`end_turn`, `max_tokens`, `stop_sequence`, …), `refusal` (tools not run), `pause_turn` when
 * the loop was told not to resume paused turns, `max_iterations` when the request budget was
 * spent, or `stop_when` when the `stopWhen` option said so.
 *
 * ## Example
 * ```ts
 * const done = (reason: ToolLoopStopReason) => reason === 'end_turn' || reason === 'stop_sequence';
 * ```
 */
export type ToolLoopStopReason = 'end_turn' | 'max_iterations' | 'stop_when' | 'refusal' | 'pause_turn' | 'max_tokens' | 'stop_sequence' | (string & {});

/**
 * The last event of a loop: the whole conversation to continue with, and why it stopped.
 *
 * ## Example
 * ```ts
 * client.messages.toolLoop(params, { tools }).pipe(filter((e): e is ToolLoopEndEvent => e.type === 'tool_loop_end'))
 *   .subscribe(({ stop_reason, iterations, messages }) => console.log(stop_reason, iterations, messages.length));
 * ```
 */
export interface ToolLoopEndEvent {
  type: 'tool_loop_end';
  stop_reason: ToolLoopStopReason;
  /** The conversation to continue with: the last request's messages, its reply and, when its tools ran, their results. */
  messages: InputMessage[];
  /** The last assistant message. */
  message: Message;
  /** How many requests the loop sent. */
  iterations: number;
  /** The tokens of every turn of the loop, added up. */
  usage: ToolLoopUsage;
}

/**
 * What `toolLoop` emits: the raw events of every turn, approval requests, tool progress and results, and the end.
 *
 * ## Example
 * ```ts
 * client.messages.toolLoop(params, { tools }).subscribe((event: ToolLoopEvent) => console.log(event.type));
 * ```
 */
export type ToolLoopEvent = RawMessageStreamEvent | ToolApprovalRequest | ToolResultEvent | ToolProgressEvent | ToolLoopEndEvent;
