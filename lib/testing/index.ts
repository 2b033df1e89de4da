/**
 * `rx-anthropic/testing`: a mock of the Anthropic Messages API on a real loopback HTTP server,
 * the helpers that script its turns, and `fromSSEText` for recorded streams. Node only.
 */
export { createMockServer } from './createMockServer';
export { demoScript } from './demoScript';
export { messageReply, type MessageChunkOptions, type MessageReplyOptions } from './messageReply';
export { textReply, type MessageFieldOptions, type TextReplyOptions } from './textReply';
export { toolUseReply, type MockToolUse, type ToolUseReplyOptions } from './toolUseReply';
export { eventsReply } from './eventsReply';
export { sseReply } from './sseReply';
export { sseFileReply } from './sseFileReply';
export { jsonReply } from './jsonReply';
export { errorReply, type ErrorReplyOptions } from './errorReply';
export { refusalReply, type RefusalReplyOptions } from './refusalReply';
export { byModel } from './byModel';
export { parseMultipart, type MultipartPart } from './parseMultipart';
export type {
  MockBatchOptions,
  MockBatchResult,
  MockBytesTurn,
  MockContentBlock,
  MockErrorTurn,
  MockEventsTurn,
  MockFile,
  MockJSONTurn,
  MockMessage,
  MockMessageDraft,
  MockMessageTurn,
  MockReplyOptions,
  MockScript,
  MockServer,
  MockServerOptions,
  MockSSETurn,
  MockTurn,
  MockTurnFunction,
  MockUsage,
  RecordedRequest,
} from './types';
export { fromSSEText } from './fromSSEText';
