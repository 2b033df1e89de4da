import type { OperatorFunction } from 'rxjs';
import type { ContentBlock, RawMessageStreamEvent } from '../schema';
import type { StreamEventLike } from './MessageStreamEvent';
import { withAccumulator } from './withAccumulator';

/**
 * Emits each content block once, when it is finished (at its `content_block_stop`), with its
 * text complete and its tool input parsed. Blocks are frozen, their input included, when
 * `NODE_ENV` is not `production`: every subscriber of a shared stream gets the same objects.
 *
 * A block whose streamed tool input is not valid JSON fails the stream with
 * `ToolInputParseError`, which carries the raw text: at the delta where the input stops being
 * JSON, or at the block's stop when it is unfinished.
 *
 * ## Example
 * ```ts
 * client.messages.stream(params).pipe(
 *   contentBlocks(),
 *   filter((block) => block.type === 'tool_use'),
 * ).subscribe((toolUse) => console.log(toolUse.name, toolUse.input));
 * ```
 *
 * @return An operator from raw (or `messageStreamEvents()`) events to finished `ContentBlock`s.
 * @see messageStreamEvents
 */
export function contentBlocks<E extends StreamEventLike = RawMessageStreamEvent>(): OperatorFunction<E, ContentBlock> {
  return withAccumulator<E, ContentBlock>((event, folded, accumulator, subscriber) => {
    if (!folded || event.type !== 'content_block_stop') return;
    const block = accumulator.block((event as unknown as { index: number }).index);
    if (block) subscriber.next(block.snapshot() as unknown as ContentBlock);
  });
}
