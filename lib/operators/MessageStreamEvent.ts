import type {
  ContentBlock,
  Message,
  RawContentBlockDeltaEvent,
  RawContentBlockStartEvent,
  RawMessageDeltaEvent,
  RawMessageStartEvent,
  TextCitation,
} from '../schema';

/**
 * After a `text_delta` on a text block: the delta and the block's whole text so far.
 *
 * ## Example
 * ```ts
 * stream$.pipe(messageStreamEvents()).subscribe((event) => {
 *   if (event.type === 'text') console.log(event.text, event.snapshot.length); // a TextEvent
 * });
 * ```
 */
export interface TextEvent {
  type: 'text';
  index: number;
  text: string;
  snapshot: string;
}

/**
 * After a `citations_delta` on a text block: the new citation and all of the block's citations so far.
 *
 * ## Example
 * ```ts
 * stream$.pipe(messageStreamEvents(), filter((e): e is CitationEvent => e.type === 'citation'))
 *   .subscribe((e) => console.log(e.citation.cited_text));
 * ```
 */
export interface CitationEvent {
  type: 'citation';
  index: number;
  citation: TextCitation;
  snapshot: TextCitation[];
}

/**
 * After a `thinking_delta` on a thinking block: the delta and the block's thinking so far.
 *
 * ## Example
 * ```ts
 * stream$.pipe(messageStreamEvents(), filter((e): e is ThinkingEvent => e.type === 'thinking'))
 *   .subscribe((e) => process.stdout.write(e.thinking));
 * ```
 */
export interface ThinkingEvent {
  type: 'thinking';
  index: number;
  thinking: string;
  snapshot: string;
}

/**
 * After a `signature_delta` on a thinking block.
 *
 * ## Example
 * ```ts
 * stream$.pipe(messageStreamEvents(), filter((e): e is SignatureEvent => e.type === 'signature'))
 *   .subscribe((e) => console.log('signed block', e.index));
 * ```
 */
export interface SignatureEvent {
  type: 'signature';
  index: number;
  signature: string;
}

/**
 * After an `input_json_delta` on a tool-use block (`tool_use`, `server_tool_use`,
 * `mcp_tool_use`): the delta and the input object parsed so far. `snapshot` is computed when
 * first read, by an incremental parser, so reading it on every event stays linear overall.
 *
 * ## Example
 * ```ts
 * stream$.pipe(messageStreamEvents(), filter((e): e is InputJsonEvent => e.type === 'input_json'))
 *   .subscribe((e) => showPartialInput(e.snapshot));
 * ```
 */
export interface InputJsonEvent {
  type: 'input_json';
  index: number;
  partial_json: string;
  readonly snapshot: unknown;
}

/**
 * After a `compaction_delta` on a compaction block: the block's content so far.
 *
 * ## Example
 * ```ts
 * stream$.pipe(messageStreamEvents(), filter((e): e is CompactionEvent => e.type === 'compaction'))
 *   .subscribe((e) => console.log(e.content));
 * ```
 */
export interface CompactionEvent {
  type: 'compaction';
  index: number;
  content: string | null;
  encrypted_content: string | null;
}

/**
 * Replaces the raw `content_block_stop`: the finished block, tool input parsed.
 *
 * ## Example
 * ```ts
 * stream$.pipe(messageStreamEvents(), filter((e): e is ContentBlockStopEvent => e.type === 'content_block_stop'))
 *   .subscribe((e) => console.log(e.index, e.content_block.type));
 * ```
 */
export interface ContentBlockStopEvent {
  type: 'content_block_stop';
  index: number;
  content_block: ContentBlock;
}

/**
 * Replaces the raw `message_stop`: the finished message.
 *
 * ## Example
 * ```ts
 * stream$.pipe(messageStreamEvents(), filter((e): e is MessageStopEvent => e.type === 'message_stop'))
 *   .subscribe((e) => console.log(e.message.stop_reason));
 * ```
 */
export interface MessageStopEvent {
  type: 'message_stop';
  message: Message;
}

/**
 * The events `messageStreamEvents()` derives from the raw ones.
 *
 * ## Example
 * ```ts
 * const isDerived = (e: MessageStreamEvent): e is DerivedEvent =>
 *   ['text', 'citation', 'thinking', 'signature', 'input_json', 'compaction'].includes(e.type);
 * ```
 */
export type DerivedEvent = TextEvent | CitationEvent | ThinkingEvent | SignatureEvent | InputJsonEvent | CompactionEvent;

/**
 * The SDKs' stream event union: raw events passed through, derived events, and the enriched stops.
 *
 * ## Example
 * ```ts
 * client.messages.stream(params).pipe(messageStreamEvents()).subscribe((event: MessageStreamEvent) => {
 *   if (event.type === 'text') process.stdout.write(event.text);
 *   if (event.type === 'message_stop') console.log(event.message.usage);
 * });
 * ```
 */
export type MessageStreamEvent =
  | RawMessageStartEvent
  | RawMessageDeltaEvent
  | RawContentBlockStartEvent
  | RawContentBlockDeltaEvent
  | DerivedEvent
  | ContentBlockStopEvent
  | MessageStopEvent;

/**
 * What the operators take: an event of a stream, and nothing else that has a `type`.
 *
 * A stream may interleave several kinds of event, and every operator takes them all: the raw
 * events of the API (`RawMessageStreamEvent`, and `ping`/`error` from a decoder of your own), the
 * output of `messageStreamEvents()` (`MessageStreamEvent`), and a tool loop's events
 * (`ToolLoopEvent`), which the operators fold or skip as they need. What they refuse is what has
 * a `type` but is no event, above all the whole `Message` that `client.messages.create()` emits
 * (`type: 'message'`): piped into `textDeltas()` it would give nothing, and into `finalText()`
 * an `IncompleteStreamError`. So this is a union discriminated on `type`, restricted to the
 * events' own type literals, rather than any `{ type: string }`. Where an event's type is also
 * a content block's (`text`, `thinking`, `compaction`) or a block param's (`tool_result`), the
 * member also asks for a field the block has not: a derived event's `index`, a tool event's `name`
 * (a `ToolResultBlockParam` has none). A `Message`, a `ContentBlock`, a string, a `FileMetadata`
 * are type errors; for a whole message, use `client.messages.stream()` instead of `create()`.
 *
 * ## Example
 * ```ts
 * const countEvents = (): OperatorFunction<StreamEventLike, number> => scan((n) => n + 1, 0);
 * client.messages.stream(params).pipe(countEvents()); // compiles
 * client.messages.toolLoop(params, { tools }).pipe(messageStreamEvents(), countEvents()); // compiles
 * client.messages.create(params).pipe(countEvents()); // type error: a Message is no event
 * ```
 */
export type StreamEventLike =
  | { readonly type: 'message_start' | 'content_block_start' | 'content_block_delta' | 'content_block_stop' | 'message_delta' | 'message_stop' | 'ping' | 'error' }
  | { readonly type: DerivedEvent['type']; readonly index: number }
  | { readonly type: 'tool_approval_request' | 'tool_progress' | 'tool_result'; readonly tool_use_id: string; readonly name: string }
  | { readonly type: 'tool_loop_end'; readonly stop_reason: string };

/** The `type`s of the derived events, which operators fed their own output skip. */
export const DERIVED_EVENT_TYPES: ReadonlySet<string> = new Set(['text', 'citation', 'thinking', 'signature', 'input_json', 'compaction']);
