export { defineTool, type ToolDefinition } from './defineTool';
export { described, descriptionOf } from './described';
export { decodeToolInput, describeInputErrors, type DecodedToolInput, type InputFailure } from './describeInputErrors';
export { jsonSchemaOf } from './jsonSchemaOf';
export type { JsonSchema, JsonSchemaType, JsonPrimitive } from './JsonSchema';
export { toApiTool } from './toApiTool';
export { toolLoop, type ToolLoopOptions } from './toolLoop';
export {
  isRunnableTool,
  isToolProgress,
  toolProgress,
  type LoopTool,
  type RunnableTool,
  type ToolContext,
  type ToolOutput,
  type ToolProgress,
  type ToolResultValue,
  type ToolRunResult,
} from './RunnableTool';
export type { ToolLoopEndEvent, ToolLoopEvent, ToolLoopStopReason, ToolProgressEvent, ToolResultEvent } from './ToolLoopEvent';
