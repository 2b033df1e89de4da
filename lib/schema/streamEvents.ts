import * as t from 'io-ts';
import { ContentBlock } from './contentBlocks';
import { nullable, struct } from './combinators';
import { RawContentBlockDelta } from './deltas';
import { Container, ContextManagement, Message, StopDetails, StopReason } from './message';
import { openUnion } from './openUnion';
import { MessageDeltaUsage } from './usage';

const RawMessageStartEventCodec = struct('RawMessageStartEvent', { type: t.literal('message_start'), message: Message });
/**
 * `message_start`: a new message begins; `message` has empty `content` and the input usage.
 *
 * ## Example
 * ```ts
 * client.messages.stream(params).subscribe((event) => {
 *   if (event.type === 'message_start') console.log(event.message.id, event.message.usage.input_tokens);
 * });
 * ```
 */
export interface RawMessageStartEvent extends t.TypeOf<typeof RawMessageStartEventCodec> {}
/** The io-ts codec of {@link RawMessageStartEvent}. */
export const RawMessageStartEvent: t.Type<RawMessageStartEvent> = RawMessageStartEventCodec;

const RawContentBlockStartEventCodec = struct('RawContentBlockStartEvent', {
  type: t.literal('content_block_start'),
  index: t.number,
  content_block: ContentBlock,
});
/**
 * `content_block_start`: the block at `index` begins, as `content_block`.
 *
 * ## Example
 * ```ts
 * const event: RawContentBlockStartEvent = { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } };
 * RawContentBlockStartEvent.is(event); // true
 * ```
 */
export interface RawContentBlockStartEvent extends t.TypeOf<typeof RawContentBlockStartEventCodec> {}
/** The io-ts codec of {@link RawContentBlockStartEvent}. */
export const RawContentBlockStartEvent: t.Type<RawContentBlockStartEvent> = RawContentBlockStartEventCodec;

const RawContentBlockDeltaEventCodec = struct('RawContentBlockDeltaEvent', {
  type: t.literal('content_block_delta'),
  index: t.number,
  delta: RawContentBlockDelta,
});
/**
 * `content_block_delta`: `delta` adds to the block at `index`.
 *
 * ## Example
 * ```ts
 * const event: RawContentBlockDeltaEvent = { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'Hi' } };
 * RawContentBlockDeltaEvent.is(event); // true
 * ```
 */
export interface RawContentBlockDeltaEvent extends t.TypeOf<typeof RawContentBlockDeltaEventCodec> {}
/** The io-ts codec of {@link RawContentBlockDeltaEvent}. */
export const RawContentBlockDeltaEvent: t.Type<RawContentBlockDeltaEvent> = RawContentBlockDeltaEventCodec;

const RawContentBlockStopEventCodec = struct('RawContentBlockStopEvent', { type: t.literal('content_block_stop'), index: t.number });
/**
 * `content_block_stop`: the block at `index` is finished.
 *
 * ## Example
 * ```ts
 * const event: RawContentBlockStopEvent = { type: 'content_block_stop', index: 0 };
 * RawContentBlockStopEvent.decode(JSON.parse(sse.data)); // right(event)
 * ```
 */
export interface RawContentBlockStopEvent extends t.TypeOf<typeof RawContentBlockStopEventCodec> {}
/** The io-ts codec of {@link RawContentBlockStopEvent}. */
export const RawContentBlockStopEvent: t.Type<RawContentBlockStopEvent> = RawContentBlockStopEventCodec;

const MessageDeltaCodec = struct(
  'MessageDelta',
  { stop_reason: nullable(StopReason) },
  { stop_sequence: nullable(t.string), stop_details: nullable(StopDetails), container: nullable(Container) },
);
/**
 * The message-level changes a `message_delta` carries.
 *
 * ## Example
 * ```ts
 * const delta: MessageDelta = { stop_reason: 'end_turn', stop_sequence: null };
 * MessageDelta.is(delta); // true
 * ```
 */
export interface MessageDelta extends t.TypeOf<typeof MessageDeltaCodec> {}
/** The io-ts codec of {@link MessageDelta}. */
export const MessageDelta: t.Type<MessageDelta> = MessageDeltaCodec;

const RawMessageDeltaEventCodec = struct(
  'RawMessageDeltaEvent',
  { type: t.literal('message_delta'), delta: MessageDelta, usage: MessageDeltaUsage },
  { context_management: nullable(ContextManagement) },
);
/**
 * `message_delta`: the stop reason and the cumulative usage, near the end of a message.
 *
 * ## Example
 * ```ts
 * const event: RawMessageDeltaEvent = {
 *   type: 'message_delta', delta: { stop_reason: 'max_tokens', stop_sequence: null }, usage: { output_tokens: 1024 },
 * };
 * ```
 */
export interface RawMessageDeltaEvent extends t.TypeOf<typeof RawMessageDeltaEventCodec> {}
/** The io-ts codec of {@link RawMessageDeltaEvent}. */
export const RawMessageDeltaEvent: t.Type<RawMessageDeltaEvent> = RawMessageDeltaEventCodec;

const RawMessageStopEventCodec = struct('RawMessageStopEvent', { type: t.literal('message_stop') });
/**
 * `message_stop`: the message is complete.
 *
 * ## Example
 * ```ts
 * const event: RawMessageStopEvent = { type: 'message_stop' };
 * RawMessageStopEvent.is(event); // true
 * ```
 */
export interface RawMessageStopEvent extends t.TypeOf<typeof RawMessageStopEventCodec> {}
/** The io-ts codec of {@link RawMessageStopEvent}. */
export const RawMessageStopEvent: t.Type<RawMessageStopEvent> = RawMessageStopEventCodec;

const RawPingEventCodec = struct('RawPingEvent', { type: t.literal('ping') });
/**
 * `ping`: a keep-alive. `decodeEvents()` drops it.
 *
 * ## Example
 * ```ts
 * const ping: RawPingEvent = { type: 'ping' };
 * RawPingEvent.decode(JSON.parse('{"type":"ping"}')); // right(ping)
 * ```
 */
export interface RawPingEvent extends t.TypeOf<typeof RawPingEventCodec> {}
/** The io-ts codec of {@link RawPingEvent}. */
export const RawPingEvent: t.Type<RawPingEvent> = RawPingEventCodec;

const StreamErrorBodyCodec = struct('StreamErrorBody', { type: t.string }, { message: t.string });
/**
 * The error an `error` event carries: `type` (`overloaded_error`, …) and `message`.
 *
 * ## Example
 * ```ts
 * const body: StreamErrorBody = { type: 'overloaded_error', message: 'Overloaded' };
 * StreamErrorBody.is(body); // true
 * ```
 */
export interface StreamErrorBody extends t.TypeOf<typeof StreamErrorBodyCodec> {}
/** The io-ts codec of {@link StreamErrorBody}. */
export const StreamErrorBody: t.Type<StreamErrorBody> = StreamErrorBodyCodec;

const RawErrorEventCodec = struct('RawErrorEvent', { type: t.literal('error'), error: StreamErrorBody }, { request_id: nullable(t.string) });
/**
 * `error`: the API failed in the middle of the stream. `decodeEvents()` turns it into an `APIError`.
 *
 * ## Example
 * ```ts
 * const event: RawErrorEvent = { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' }, request_id: 'req_1' };
 * RawErrorEvent.is(event); // true
 * ```
 */
export interface RawErrorEvent extends t.TypeOf<typeof RawErrorEventCodec> {}
/** The io-ts codec of {@link RawErrorEvent}. */
export const RawErrorEvent: t.Type<RawErrorEvent> = RawErrorEventCodec;

/**
 * One event of a Messages stream, as the API sends it (`stream: true`).
 *
 * The six events of a message: `message_start`, then per block `content_block_start`,
 * `content_block_delta`s and `content_block_stop`, then `message_delta` and `message_stop`.
 * `ping` and `error` are not part of it: `decodeEvents()` drops the first and fails with the
 * second. An open union on `type`: an event type added later comes through unchanged, so code
 * that switches on `type` needs a default branch.
 *
 * ## Example
 * ```ts
 * client.messages.stream(params).subscribe((event: RawMessageStreamEvent) => {
 *   if (event.type === 'content_block_delta' && event.delta.type === 'text_delta') process.stdout.write(event.delta.text);
 * });
 * ```
 *
 * @see decodeEvents
 * @see Message
 */
export const RawMessageStreamEvent = openUnion('RawMessageStreamEvent', {
  message_start: RawMessageStartEvent,
  content_block_start: RawContentBlockStartEvent,
  content_block_delta: RawContentBlockDeltaEvent,
  content_block_stop: RawContentBlockStopEvent,
  message_delta: RawMessageDeltaEvent,
  message_stop: RawMessageStopEvent,
});
export type RawMessageStreamEvent = t.TypeOf<typeof RawMessageStreamEvent>;
