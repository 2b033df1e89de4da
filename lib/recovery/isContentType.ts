import type { RawMessageStreamEvent } from '../schema';

/**
 * Whether an event of a stream, known by its `type`, is content: a `content_block_start` or a
 * `content_block_delta`. The first one is a stream's "first token" for `timeout.firstTokenMs` and
 * what makes a contender of `hedge` win: a block has begun (text, a tool call, thinking), whatever
 * its first delta holds.
 *
 * ## Example
 * ```ts
 * client.messages.stream(params).pipe(first((event) => isContentType(event.type))).subscribe(() => console.log('content has begun'));
 * ```
 *
 * @param type The `type` of an event of the stream.
 * @return `true` for a content block's start or delta.
 */
export function isContentType(type: RawMessageStreamEvent['type']): boolean {
  return type === 'content_block_start' || type === 'content_block_delta';
}
