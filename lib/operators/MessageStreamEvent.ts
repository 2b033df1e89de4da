import type {
  ContentBlock,
  Message,
  RawContentBlockDeltaEvent,
  RawContentBlockStartEvent,
  RawMessageDeltaEvent,
  RawMessageStartEvent,
  TextCitation,
} from '../schema';

/** After a `text_delta` on a text block: the delta and the block's whole text so far. */
export interface TextEvent {
  type: 'text';
  index: number;
  text: string;
  snapshot: string;
}

/** After a `citations_delta` on a text block: the new citation and all of the block's citations so far. */
export interface CitationEvent {
  type: 'citation';
  index: number;
  citation: TextCitation;
  snapshot: TextCitation[];
}

/** After a `thinking_delta` on a thinking block: the delta and the block's thinking so far. */
export interface ThinkingEvent {
  type: 'thinking';
  index: number;
  thinking: string;
  snapshot: string;
}

/** After a `signature_delta` on a thinking block. */
export interface SignatureEvent {
  type: 'signature';
  index: number;
  signature: string;
}

/**
 * After an `input_json_delta` on a tool-use block (`tool_use`, `server_tool_use`,
 * `mcp_tool_use`): the delta and the input object parsed so far. `snapshot` is computed when
 * first read, by an incremental parser, so reading it on every event stays linear overall.
 */
export interface InputJsonEvent {
  type: 'input_json';
  index: number;
  partial_json: string;
  readonly snapshot: unknown;
}

/** After a `compaction_delta` on a compaction block: the block's content so far. */
export interface CompactionEvent {
  type: 'compaction';
  index: number;
  content: string | null;
  encrypted_content: string | null;
}

/** Replaces the raw `content_block_stop`: the finished block, tool input parsed. */
export interface ContentBlockStopEvent {
  type: 'content_block_stop';
  index: number;
  content_block: ContentBlock;
}

/** Replaces the raw `message_stop`: the finished message. */
export interface MessageStopEvent {
  type: 'message_stop';
  message: Message;
}

/** The events `messageStreamEvents()` derives from the raw ones. */
export type DerivedEvent = TextEvent | CitationEvent | ThinkingEvent | SignatureEvent | InputJsonEvent | CompactionEvent;

/** The SDKs' stream event union: raw events passed through, derived events, and the enriched stops. */
export type MessageStreamEvent =
  | RawMessageStartEvent
  | RawMessageDeltaEvent
  | RawContentBlockStartEvent
  | RawContentBlockDeltaEvent
  | DerivedEvent
  | ContentBlockStopEvent
  | MessageStopEvent;

/**
 * What the operators take: any event with a `type`. Raw events and `messageStreamEvents()`
 * output are folded; anything else (a tool loop's `tool_result`, future events) is skipped.
 */
export interface StreamEventLike {
  readonly type: string;
}

/** The `type`s of the derived events, which operators fed their own output skip. */
export const DERIVED_EVENT_TYPES: ReadonlySet<string> = new Set(['text', 'citation', 'thinking', 'signature', 'input_json', 'compaction']);
