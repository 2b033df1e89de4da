import { applyContentDelta, stringOr, type AnyBlock, type AnyDelta } from './applyContentDelta';
import { defineLazyInput } from './defineLazyInput';
import { deepFreeze, freezeValue } from './freezeValue';
import { ToolInputBuffer } from './ToolInputBuffer';

/**
 * One content block of the message being accumulated: private, mutable state that deltas change
 * in place, and an immutable snapshot built when it is read and kept until the block changes.
 *
 * Until a delta changes it, the block's snapshot is the block `content_block_start` gave. A delta
 * changes the block's own copy of its fields (one copy, made by the first delta), never a
 * snapshot already handed out. A tool-use block (one that starts with an `input`) streams its
 * input into a {@link ToolInputBuffer}; its snapshot's `input` is computed only when read.
 *
 * ## Example
 *
 * ```ts
 * const block = new ContentBlockState({ type: 'text', text: '' }, true);
 * block.apply({ type: 'text_delta', text: 'Hi' }); // true
 * const first = block.snapshot(); // { type: 'text', text: 'Hi' }
 * block.apply({ type: 'text_delta', text: '!' });
 * block.snapshot(); // { type: 'text', text: 'Hi!' }, a new object; `first` is unchanged
 * ```
 */
export class ContentBlockState {
  /** What the block's fields start from: the `content_block_start` block, or a finished block adopted as is. */
  private base: AnyBlock;
  /** The block's own fields once a delta or the end of its tool input changed them. */
  private fields: Record<string, unknown> | undefined;
  /** The snapshot handed out, until the block changes. */
  private current: AnyBlock | undefined;
  /** The input of a tool-use block while it streams. */
  private input: ToolInputBuffer | undefined;
  /** The block without its `input`, for the snapshots of a tool-use block while its input streams. */
  private withoutInput: AnyBlock | undefined;

  /**
   * @param start The block as `content_block_start` (or `message_start`'s content) gave it.
   * @param streamsInput Whether `input_json_delta`s stream into it: a block from
   *   `content_block_start` that has an `input`.
   */
  constructor(start: AnyBlock, streamsInput: boolean) {
    // The event's own block: frozen in place, as the accumulator freezes every event it folds.
    this.base = deepFreeze(start);
    this.current = start;
    if (streamsInput && Object.prototype.hasOwnProperty.call(start, 'input')) this.input = new ToolInputBuffer(start['input']);
  }

  get type(): string {
    return this.base.type;
  }

  /** The input of a tool-use block still streaming, for events that read it lazily. */
  get toolInput(): ToolInputBuffer | undefined {
    return this.input;
  }

  /** A field as it stands now (`text`, `thinking`, `citations`, …), without building a snapshot. */
  field(name: string): unknown {
    return (this.fields ?? this.base)[name];
  }

  /** The text of a text block as it stands now (the `text` event's snapshot). */
  get text(): string {
    return stringOr((this.fields ?? this.base)['text']);
  }

  /** The thinking of a thinking block as it stands now (the `thinking` event's snapshot). */
  get thinking(): string {
    return stringOr((this.fields ?? this.base)['thinking']);
  }

  /**
   * Applies a `content_block_delta`'s delta; false (and nothing changed) when its kind does not
   * apply to this block.
   *
   * @throws {PartialJsonSyntaxError} When an `input_json_delta` makes the tool input stop being
   *   the beginning of any JSON value.
   */
  apply(delta: AnyDelta): boolean {
    if (delta.type === 'input_json_delta') {
      if (this.input === undefined) return false;
      this.input.push(stringOr(delta['partial_json']));
    } else {
      const fields = applyContentDelta(this.base, this.fields, delta);
      if (fields === undefined) return false;
      this.fields = fields;
    }
    this.current = undefined;
    return true;
  }

  /**
   * Ends the block at its `content_block_stop`: a tool-use block's input becomes the full parse.
   *
   * @throws {PartialJsonSyntaxError} When the tool input is not valid JSON.
   */
  finish(): void {
    const input = this.input;
    if (input === undefined) return;
    // `JSON.parse`'s value (the parser's is frozen already, node by node).
    const value = deepFreeze(input.finish());
    this.input = undefined;
    this.withoutInput = undefined;
    this.fields = { ...(this.fields ?? this.base), input: value };
    this.current = undefined;
  }

  /**
   * Ends the block with `block` as its final value: a `content_block_stop` of
   * `messageStreamEvents()` output carries the finished block, so it is taken as is rather than
   * parsed a second time.
   */
  adopt(block: AnyBlock): void {
    this.base = deepFreeze(block);
    this.fields = undefined;
    this.input = undefined;
    this.withoutInput = undefined;
    this.current = block;
  }

  /** The block as it stands, frozen with everything in it: the same object until the block changes. */
  snapshot(): AnyBlock {
    return (this.current ??= this.build());
  }

  private build(): AnyBlock {
    const fields = this.fields ?? this.base;
    if (this.input === undefined) return freezeValue({ ...fields } as AnyBlock);
    this.withoutInput ??= withoutKey(fields, 'input');
    // Frozen with its accessor: the input is computed on the first read all the same, and frozen when built.
    return freezeValue(defineLazyInput({ ...this.withoutInput }, 'input', this.input));
  }
}

/** A copy of `source` without `key`, built without `delete` (which would leave the copy in dictionary mode). */
function withoutKey(source: Readonly<Record<string, unknown>>, key: string): AnyBlock {
  const copy: Record<string, unknown> = {};
  for (const name of Object.keys(source)) {
    if (name === key) continue;
    // An own `__proto__` (JSON.parse makes one) stays a property, as spread keeps it.
    if (name === '__proto__') Object.defineProperty(copy, name, { value: source[name], writable: true, enumerable: true, configurable: true });
    else copy[name] = source[name];
  }
  return copy as AnyBlock;
}
