export { defineTool, type ToolDefinition } from './defineTool';
export { decodeToolInput, type DecodedToolInput } from './decodeToolInput';
export { toApiTool } from './toApiTool';
export { toolLoop } from './toolLoop';
export type { ToolLoopClient } from './ToolLoopClient';
export type { HookResult, StopCondition, ToolApprovalDecision, ToolLoopOptions, TurnParams } from './ToolLoopOptions';
export type { ToolLoopState, ToolLoopUsage } from './ToolLoopState';
export { turnMessages } from './turnMessages';
export { toolCalled } from './toolCalled';
export { tokenBudget } from './tokenBudget';
export { costBudget } from './costBudget';
export {
  isRunnableTool,
  isToolProgress,
  toolProgress,
  type LoopTool,
  type RunnableTool,
  type ToolContext,
  type ToolInputValidator,
  type ToolOutput,
  type ToolProgress,
  type ToolResultValue,
  type ToolRunResult,
} from './RunnableTool';
export type {
  ToolApprovalRequest,
  ToolLoopEndEvent,
  ToolLoopEvent,
  ToolLoopStopReason,
  ToolProgressEvent,
  ToolResultEvent,
} from './ToolLoopEvent';
