import { defer, type OperatorFunction, type Subscriber } from 'rxjs';
import type { ContentBlockState } from '../accumulate/ContentBlockState';
import { freezeValue } from '../accumulate/freezeValue';
import type { RawMessageStreamEvent } from '../schema';
import { DERIVED_EVENT_TYPES, type DerivedEvent, type MessageStreamEvent, type StreamEventLike } from './MessageStreamEvent';
import { InputJsonEvents } from './InputJsonEvents';
import { withAccumulator } from './withAccumulator';

/**
 * Turns raw events into the official SDKs' stream events.
 *
 * `message_start`, `message_delta`, `content_block_start` and `content_block_delta` pass
 * through unchanged; each delta is followed by its derived event when the delta's kind
 * matches the block's (`text`, `citation`, `thinking`, `signature`, `input_json`,
 * `compaction`), carrying the block's snapshot; `content_block_stop` carries the finished
 * block and `message_stop` the finished message. `input_json.snapshot` is computed only when
 * read. Every event it makes is frozen when `NODE_ENV` is not `production` (see
 * `docs/snapshots.md`), with its snapshot, block or message (a raw event it
 * passes on is the one it got: frozen when `decodeEvents()` made it, and in place by this
 * operator otherwise). Events this operator does not know (a tool loop's `tool_result`, future API events)
 * pass through; derived events in its input (its own output fed back) are dropped and derived
 * again, so the operator is idempotent.
 *
 * ## Example
 * ```ts
 * client.messages.stream(params).pipe(messageStreamEvents()).subscribe((event) => {
 *   switch (event.type) {
 *     case 'text': return process.stdout.write(event.text);
 *     case 'content_block_stop': return console.log('\nblock done:', event.content_block.type);
 *     case 'message_stop': return console.log(JSON.stringify(event.message));
 *   }
 * });
 * ```
 *
 * @return An operator from raw events to `MessageStreamEvent`s.
 * @see accumulateMessage
 * @see textDeltas
 */
export function messageStreamEvents<E extends StreamEventLike = RawMessageStreamEvent>(): OperatorFunction<E, MessageStreamEvent | Exclude<E, RawMessageStreamEvent>> {
  // The `input_json` events' way of computing snapshots follows each subscription's reading.
  return (source) => defer(() => source.pipe(deriveEvents<E>(new InputJsonEvents())));
}

function deriveEvents<E extends StreamEventLike>(inputEvents: InputJsonEvents): OperatorFunction<E, MessageStreamEvent | Exclude<E, RawMessageStreamEvent>> {
  return withAccumulator<E, MessageStreamEvent | Exclude<E, RawMessageStreamEvent>>((input, _folded, accumulator, subscriber) => {
    const event = input as unknown as RawMessageStreamEvent | MessageStreamEvent;
    switch (event.type) {
      case 'content_block_delta': {
        subscriber.next(event);
        const derived = deriveEvent(event.index, event.delta as unknown as DeltaLike, accumulator.block(event.index) as ContentBlockState, inputEvents);
        if (derived) subscriber.next(freezeValue(derived));
        return;
      }
      case 'content_block_stop': {
        const block = (accumulator.block(event.index) as ContentBlockState).snapshot();
        subscriber.next(freezeValue({ type: 'content_block_stop', index: event.index, content_block: block as never }));
        return;
      }
      case 'message_stop':
        subscriber.next(freezeValue({ type: 'message_stop', message: accumulator.message() as never }));
        return;
      case 'message_start':
        inputEvents.reset();
        subscriber.next(event);
        return;
      default:
        if (!DERIVED_EVENT_TYPES.has(event.type)) (subscriber as Subscriber<unknown>).next(event);
    }
  });
}

type DeltaLike = { type: string } & Record<string, unknown>;

/** The derived event of a delta just folded into `block`, if its kind applies to the block. */
function deriveEvent(index: number, delta: DeltaLike, block: ContentBlockState, inputEvents: InputJsonEvents): DerivedEvent | undefined {
  switch (delta.type) {
    case 'text_delta':
      return block.type === 'text' ? { type: 'text', index, text: delta['text'] as string, snapshot: block.text } : undefined;
    case 'citations_delta':
      return block.type === 'text'
        ? { type: 'citation', index, citation: delta['citation'] as never, snapshot: block.field('citations') as never }
        : undefined;
    case 'thinking_delta':
      return block.type === 'thinking' ? { type: 'thinking', index, thinking: delta['thinking'] as string, snapshot: block.thinking } : undefined;
    case 'signature_delta':
      return block.type === 'thinking' ? { type: 'signature', index, signature: delta['signature'] as string } : undefined;
    case 'compaction_delta':
      return block.type === 'compaction'
        ? {
            type: 'compaction',
            index,
            content: (block.field('content') as string | null | undefined) ?? null,
            encrypted_content: (block.field('encrypted_content') as string | null | undefined) ?? null,
          }
        : undefined;
    case 'input_json_delta': {
      const input = block.toolInput;
      if (input === undefined) return undefined;
      return inputEvents.create(index, delta['partial_json'] as string, input);
    }
    default:
      return undefined;
  }
}
