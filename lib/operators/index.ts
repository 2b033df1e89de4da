export { accumulateMessage } from './accumulateMessage';
export { contentBlocks } from './contentBlocks';
export { finalMessage } from './finalMessage';
export { finalText } from './finalText';
export { messageStreamEvents } from './messageStreamEvents';
export { textDeltas } from './textDeltas';
export { textSnapshots } from './textSnapshots';
export type {
  CitationEvent,
  CompactionEvent,
  ContentBlockStopEvent,
  DerivedEvent,
  InputJsonEvent,
  MessageStopEvent,
  MessageStreamEvent,
  SignatureEvent,
  StreamEventLike,
  TextEvent,
  ThinkingEvent,
} from './MessageStreamEvent';
