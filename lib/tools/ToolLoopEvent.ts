import type { Message, MessageParam, RawMessageStreamEvent } from '../schema';
import type { ToolResultContent } from './RunnableTool';

/** A tool has run: its result, as sent back to the model in the next request. */
export interface ToolResultEvent {
  type: 'tool_result';
  tool_use_id: string;
  name: string;
  content: ToolResultContent;
  is_error: boolean;
}

/** A running tool reported progress (a value it emitted through `toolProgress()`). */
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
 */
export type ToolLoopStopReason = 'end_turn' | 'max_iterations' | 'refusal' | 'pause_turn' | 'max_tokens' | 'stop_sequence' | (string & {});

/** The last event of a loop: the whole conversation to continue with, and why it stopped. */
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

/** What `toolLoop` emits: the raw events of every turn, tool progress and results, and the end. */
export type ToolLoopEvent = RawMessageStreamEvent | ToolResultEvent | ToolProgressEvent | ToolLoopEndEvent;
