import type { RawMessageStreamEvent } from '../schema';

/**
 * Whether an event of a stream is content: a `content_block_start` or a `content_block_delta`.
 * The first one is a stream's "first token" for `timeout.firstTokenMs` and what makes a contender
 * of `hedge` win: a block has begun (text, a tool call, thinking), whatever its first delta holds.
 *
 * ## Example
 * ```ts
 * client.messages.stream(params).pipe(first(isContentEvent)).subscribe(() => console.log('content has begun'));
 * ```
 *
 * @param event An event of the stream.
 * @return `true` for a content block's start or delta.
 */
export function isContentEvent(event: RawMessageStreamEvent): boolean {
  return isContentType(event.type);
}

/**
 * {@link isContentEvent} for an event's `type` read already.
 *
 * ## Example
 * ```ts
 * const sink: EventSink = { next: (event, type) => isContentType(type) && console.log('content'), error: console.error, complete: () => undefined, closed: false };
 * ```
 *
 * @param type The `type` of an event of the stream.
 * @return `true` for a content block's start or delta.
 */
export function isContentType(type: RawMessageStreamEvent['type']): boolean {
  return type === 'content_block_start' || type === 'content_block_delta';
}
