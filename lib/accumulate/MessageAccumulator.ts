import { StreamDecodeError, ToolInputParseError } from '../errors';
import type { AnyBlock, AnyDelta } from './applyContentDelta';
import { ContentBlockState } from './ContentBlockState';
import { deepFreeze, freezeValue } from './freezeValue';
import { mergeMessageDelta } from './mergeMessageDelta';
import { outputReaderOf, type OutputReader } from './outputReader';
import { PartialJsonSyntaxError } from './partialJson/PartialJsonSyntaxError';

/** A message snapshot as the accumulator builds it: the API's `Message` shape, content blocks of any type. */
export type AnyMessage = { readonly content: readonly AnyBlock[] } & Readonly<Record<string, unknown>>;

/** An event as the accumulator takes it: any object with a `type`. */
export type AnyEvent = { readonly type: string } & Readonly<Record<string, unknown>>;

/**
 * Folds the raw events of a stream into a message: private, mutable state that each event
 * changes in place, and immutable snapshots built only when they are read.
 *
 * An event costs what it changes (a text delta appends to one block's text, a tool delta queues
 * its chunk), never a copy of the message. {@link message} builds the snapshot, sharing every
 * block that did not change since the last one and the snapshot of each block until that block
 * changes; a snapshot is never changed afterwards. A `message_start` always begins a new
 * message, so one accumulator follows the turns of a tool loop. Events it does not fold (pings,
 * the derived events of `messageStreamEvents()`, unknown events) change nothing; the enriched
 * `content_block_stop` and `message_stop` of `messageStreamEvents()` output give their finished
 * block and message, which are taken as they are.
 *
 * ## Example
 *
 * ```ts
 * const accumulator = new MessageAccumulator();
 * for (const event of events) accumulator.fold(event); // throws StreamDecodeError / ToolInputParseError
 * if (accumulator.stopped) console.log(accumulator.message().content);
 * ```
 *
 * @see ContentBlockState
 */
export class MessageAccumulator {
  /** The message's fields from `message_start` on; `content` only holds its place (blocks are in `blocks`). */
  private fields: Record<string, unknown> | undefined;
  private blocks: ContentBlockState[] = [];
  private content: readonly AnyBlock[] | undefined;
  private snapshot: AnyMessage | undefined;
  /** The reader of a structured output that the `message_start` carried (see `outputReader.ts`). */
  private readOutput: OutputReader | undefined;
  /** The finished message with `parsed_output`, once read. */
  private parsed: AnyMessage | undefined;
  private stop = false;
  private folded = 0;

  /** Whether the current message has received its `message_stop`. */
  get stopped(): boolean {
    return this.stop;
  }

  /**
   * Folds one event into the message.
   *
   * @return Whether the event belongs to the message (false for events it does not fold).
   * @throws {StreamDecodeError} For a block event before `message_start`, a block index that was
   *   never started, or a block started past the next index.
   * @throws {ToolInputParseError} At the `input_json_delta` after which a tool-use block's input
   *   is no longer the beginning of any JSON value, or at the block's stop when its input is
   *   unfinished; `raw` is the text received up to there.
   */
  fold(event: AnyEvent): boolean {
    // What a snapshot takes from an event (a block as it started, the usage of message_start, a
    // citation) is shared with every other consumer of the event: frozen in place, at once (a
    // decoded event is frozen already, and this costs one check).
    deepFreeze(event);
    switch (event.type) {
      case 'message_start':
        this.startMessage(event['message'] as AnyMessage);
        this.readOutput = outputReaderOf(event);
        return true;
      case 'content_block_start':
        this.started(event).startBlock(event);
        return true;
      case 'content_block_delta': {
        const block = this.started(event).blockAt(event);
        let applied: boolean;
        try {
          applied = block.apply(event['delta'] as AnyDelta);
        } catch (error) {
          throw toolInputError(block, event, error);
        }
        if (applied) this.changed();
        return true;
      }
      case 'content_block_stop':
        this.started(event).stopBlock(event);
        return true;
      case 'message_delta':
        mergeMessageDelta(this.started(event).fields as Record<string, unknown>, event);
        this.snapshot = undefined;
        return true;
      case 'input_json':
        // messageStreamEvents() output: the deltas of this block were checked before they got here.
        this.blocks[event['index'] as number]?.toolInput?.checkedUpstream();
        return false;
      case 'message_stop': {
        this.started(event).stop = true;
        const carried = event['message'];
        // messageStreamEvents() output carries the finished message: take it rather than build an equal one.
        if (isObject(carried)) this.snapshot = carried as AnyMessage;
        // A structured output is read here, so that a bad one fails the fold (the operator's error), once.
        else if (this.readOutput !== undefined) this.parsed = deepFreeze(this.readOutput(this.message() as never) as AnyMessage);
        return true;
      }
      default:
        return false;
    }
  }

  /**
   * The message as it stands: the same object until an event changes it. Blocks that did not
   * change are the same objects as in the snapshot before. Frozen, with everything in it.
   *
   * @param renew Build a new object even if nothing changed (the content array is still shared),
   *   for an operator that emits one new snapshot per event.
   */
  message(renew = false): AnyMessage {
    const parsed = this.parsed;
    if (parsed !== undefined) return renew ? freezeValue({ ...parsed }) : parsed;
    if (renew || this.snapshot === undefined) {
      this.content ??= freezeValue(this.blocks.map((block) => block.snapshot()));
      this.snapshot = freezeValue({ ...(this.fields as Record<string, unknown>), content: this.content } as AnyMessage);
    }
    return this.snapshot;
  }

  /** The state of the block at `index`, if it has started. */
  block(index: number): ContentBlockState | undefined {
    return this.blocks[index];
  }

  /** A one-line account of what the message received, for `IncompleteStreamError`; `events` counts every event seen. */
  describeProgress(events: number): string {
    if (this.fields === undefined) return events === 0 ? 'no events' : `${events} event(s) but no message_start`;
    const blocks = this.blocks.map((block) => block.type).join(', ');
    const stop = this.fields['stop_reason'];
    return `message_start and ${this.folded - 1} event(s) after it; content blocks: ${blocks || 'none'}; stop_reason: ${stop ?? 'none'}`;
  }

  private startMessage(message: AnyMessage): void {
    this.fields = { ...message, content: undefined };
    this.blocks = (message.content ?? []).map((block) => new ContentBlockState(block, false));
    this.stop = false;
    this.parsed = undefined;
    this.folded = 1;
    this.changed();
  }

  /** This accumulator, once a message has started; counts the event. */
  private started(event: AnyEvent): this {
    if (this.fields === undefined) throw new StreamDecodeError('it came before any message_start', { eventType: event.type, data: JSON.stringify(event) });
    this.folded += 1;
    return this;
  }

  private startBlock(event: AnyEvent): void {
    const index = event['index'] as number;
    const block = event['content_block'] as AnyBlock;
    const started = this.blocks.length;
    // Past the end, the snapshot's content would get holes (or, negative, a property no one reads).
    if (!Number.isInteger(index) || index < 0 || index > started) {
      throw new StreamDecodeError(`content block ${index} cannot start when ${started} block(s) have started (the next index is ${started})`, {
        eventType: event.type,
        path: 'index',
        data: JSON.stringify(event),
      });
    }
    this.blocks[index] = new ContentBlockState(block, true);
    // A fallback block says another model answers from here on: the snapshot is relabelled (Python SDK).
    const to = block.type === 'fallback' ? (block['to'] as { model?: unknown } | undefined) : undefined;
    if (typeof to?.model === 'string') (this.fields as Record<string, unknown>)['model'] = to.model;
    this.changed();
  }

  private stopBlock(event: AnyEvent): void {
    const block = this.blockAt(event);
    const carried = event['content_block'];
    if (isObject(carried)) {
      // messageStreamEvents() output carries the finished block: take it rather than parse its input again.
      block.adopt(carried as AnyBlock);
      this.changed();
      return;
    }
    if (block.toolInput === undefined) return;
    try {
      block.finish();
    } catch (error) {
      throw toolInputError(block, event, error);
    }
    this.changed();
  }

  private blockAt(event: AnyEvent): ContentBlockState {
    const index = event['index'] as number;
    const block = this.blocks[index];
    if (block === undefined) {
      throw new StreamDecodeError(`content block ${index} was never started (${this.blocks.length} started)`, {
        eventType: event.type,
        path: 'index',
        data: JSON.stringify(event),
      });
    }
    return block;
  }

  private changed(): void {
    this.content = undefined;
    this.snapshot = undefined;
  }
}

/** A tool input's syntax error as the user gets it: with the text received and the block's index. */
function toolInputError(block: ContentBlockState, event: AnyEvent, error: unknown): unknown {
  if (!(error instanceof PartialJsonSyntaxError) || block.toolInput === undefined) return error;
  return new ToolInputParseError(block.toolInput.raw, error.message, event['index'] as number);
}

function isObject(value: unknown): value is object {
  return typeof value === 'object' && value !== null;
}
