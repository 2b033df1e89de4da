import type { Message, MessageParam, RawMessageStreamEvent } from '../schema';
import type { ToolResultContent } from './RunnableTool';

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
  content: ToolResultContent;
  is_error: boolean;
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
 * Why a tool loop stopped: the last message's `stop_reason` when it asked for no tool
 * (`end_turn`, `max_tokens`, `stop_sequence`, `pause_turn`, …), `refusal` (tools not run), or
 * `max_iterations` when the request budget was spent.
 *
 * ## Example
 * ```ts
 * const done = (reason: ToolLoopStopReason) => reason === 'end_turn' || reason === 'stop_sequence';
 * ```
 */
export type ToolLoopStopReason = 'end_turn' | 'max_iterations' | 'refusal' | 'pause_turn' | 'max_tokens' | 'stop_sequence' | (string & {});

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
  /** The request's messages followed by every assistant turn and tool-result turn of the loop. */
  messages: MessageParam[];
  /** The last assistant message. */
  message: Message;
  /** How many requests the loop sent. */
  iterations: number;
}

/**
 * What `toolLoop` emits: the raw events of every turn, tool progress and results, and the end.
 *
 * ## Example
 * ```ts
 * client.messages.toolLoop(params, { tools }).subscribe((event: ToolLoopEvent) => console.log(event.type));
 * ```
 */
export type ToolLoopEvent = RawMessageStreamEvent | ToolResultEvent | ToolProgressEvent | ToolLoopEndEvent;
