import { memoize, type ToolInputBuffer } from './ToolInputBuffer';

/** A content block as the accumulator handles it: any object with a `type`. */
export type AnyBlock = { readonly type: string } & Readonly<Record<string, unknown>>;
/** A delta as the accumulator handles it. */
export type AnyDelta = { readonly type: string } & Readonly<Record<string, unknown>>;

/**
 * Applies one `content_block_delta` to a block, returning the new block, or the same block
 * when the delta's kind does not apply to that kind of block (nothing to fold).
 *
 * Only the fields that change are rebuilt: text grows by concatenation (a rope in V8),
 * citations get a new array, tool input becomes a lazy snapshot of the block's input buffer.
 */
export function applyContentDelta(block: AnyBlock, delta: AnyDelta, input: ToolInputBuffer | undefined, startBlock: AnyBlock | undefined): AnyBlock {
  switch (delta.type) {
    case 'text_delta':
      return block.type === 'text' ? { ...block, text: `${stringOr(block['text'])}${stringOr(delta['text'])}` } : block;
    case 'citations_delta':
      return block.type === 'text'
        ? { ...block, citations: [...((block['citations'] as unknown[] | null | undefined) ?? []), delta['citation']] }
        : block;
    case 'thinking_delta':
      return block.type === 'thinking' ? { ...block, thinking: `${stringOr(block['thinking'])}${stringOr(delta['thinking'])}` } : block;
    case 'signature_delta':
      return block.type === 'thinking' ? { ...block, signature: delta['signature'] } : block;
    case 'compaction_delta':
      return block.type === 'compaction' ? applyCompactionDelta(block, delta) : block;
    case 'input_json_delta': {
      if (!input || !startBlock) return block;
      input.push(stringOr(delta['partial_json']));
      // Built from the start block, not spread from the previous one: spreading would run its lazy getter.
      const read = memoize(input.snapshotThunk());
      return {
        ...startBlock,
        get input() {
          return read();
        },
      };
    }
    default:
      return block;
  }
}

/** A compaction delta carries the block's value, not an addition to it (null content = a failed compaction), as the TS SDK reads it. */
function applyCompactionDelta(block: AnyBlock, delta: AnyDelta): AnyBlock {
  const next: Record<string, unknown> = { ...block };
  if ('content' in delta) next['content'] = delta['content'];
  if ('encrypted_content' in delta) next['encrypted_content'] = delta['encrypted_content'];
  return next as AnyBlock;
}

function stringOr(value: unknown): string {
  return typeof value === 'string' ? value : '';
}
