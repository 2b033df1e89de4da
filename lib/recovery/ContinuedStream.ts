import { deepFreeze } from '../accumulate/freezeValue';
import type { MessageCreateParams, RawMessageStreamEvent } from '../schema';
import { sumUsage } from './sumUsage';
import { withAssistantPrefill } from './withAssistantPrefill';
import { mergeUsage } from '../accumulate/mergeUsage';

/**
 * What `continueOnDrop` does about a drop: send the same params again (`retry`: no content block
 * had begun), go on from the text received so far (`continue`: the params carry it as an
 * assistant prefill), or give up (`refuse`: why the answer so far cannot be continued).
 *
 * ## Example
 * ```ts
 * const plan: ContinuationPlan = stream.plan(error);
 * if (plan.kind === 'refuse') console.warn(`not continued: ${plan.reason}`);
 * ```
 */
export type ContinuationPlan =
  | { readonly kind: 'retry' | 'continue'; readonly params: MessageCreateParams; readonly reason: string }
  | { readonly kind: 'refuse'; readonly reason: string };

/** A content block of the stream the consumer sees. */
interface BlockState {
  readonly type: string;
  open: boolean;
}

/** Gives the consumer an event; `type` is the event's, when it has been read already. */
type Emit = (event: RawMessageStreamEvent, type?: RawMessageStreamEvent['type']) => void;
type EventOf<T extends RawMessageStreamEvent['type']> = Extract<RawMessageStreamEvent, { type: T }>;
type Usage = Record<string, unknown>;

/** The index of the continuation's first block while it is held back (see `deferFirst`). */
const DEFERRED = -1;

/** Block types whose cut leaves half a JSON input, which no prefill can carry. */
const INPUT_BLOCKS = new Set(['tool_use', 'mcp_tool_use', 'server_tool_use']);

const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/**
 * The one message a consumer sees while `continueOnDrop` sends a request again after drops: it
 * keeps what the consumer has been given (whether the message began, its content blocks, their
 * text, the usage the cut requests reported), decides what to do at a drop ({@link plan}), and
 * splices the events of each later request into the stream ({@link accept}).
 *
 * Until the first drop every event goes on as it came (the same object); only what the
 * consumer saw is noted. After it, the later request's events are rewritten into the consumer's
 * message:
 *
 * - its `message_start` is left out (the consumer has one); its usage is kept;
 * - going on from a text block that was cut open, its first text block is that block: its
 *   `content_block_start` is left out and its deltas take the cut block's index; its other blocks
 *   take the indices after the consumer's last, so indices stay consecutive. When it opens with
 *   something other than text, the cut block is closed first (so it is when it has no block);
 * - going on after a text block that had finished, its first text block is a new block, held
 *   back until it has text: one that stays empty is left out;
 * - the cut text's trailing whitespace, which the prefill leaves out, was already given to the
 *   consumer: the continuation's text gives it again, so as much of it as the continuation
 *   starts with is taken off (a continuation that starts otherwise goes on after it as it is);
 * - each `message_delta`'s usage is the sum of what the cut requests reported and what this
 *   one reports ({@link sumUsage}), so that an accumulated message counts both.
 *
 * ## Example
 * ```ts
 * const stream = new ContinuedStream(params);
 * send(params).subscribe({
 *   next: (event) => stream.accept(event, (out) => subscriber.next(out)),
 *   error: (error) => {
 *     const plan = stream.plan(error);
 *     if (plan.kind !== 'refuse') {
 *       stream.prepare(plan);
 *       send(plan.params).subscribe(…);
 *     }
 *   },
 * });
 * ```
 */
export class ContinuedStream {
  /** The consumer has had its `message_start`. */
  private started = false;
  /** The consumer has had its `message_stop`: the message is whole. */
  private stopped = false;
  /** The consumer's content blocks, by their index. */
  private readonly blocks: BlockState[] = [];
  /** The text of the consumer's blocks, joined (kept while every block is text). */
  /**
   * The text so far, piece by piece, joined only when a continuation needs it: a pointer a delta,
   * where `+=` made a rope node (32 bytes) a delta that lived as long as the stream.
   */
  private readonly pieces: string[] = [];
  private onlyText = true;
  /** The usage the requests cut so far reported, summed; `undefined` before the first drop. */
  private carried: Usage | undefined;
  /** The usage the current request has reported, merged as an accumulator merges it. */
  private usage: Usage | undefined;
  /** Events after a drop are rewritten into the consumer's message. */
  private spliced = false;
  /** The current request's block indices → the consumer's (or DEFERRED). */
  private indices: number[] = [];
  /** The consumer's cut open text block that the current request's first text block goes on, or -1. */
  private mergeInto = -1;
  /** The current request's first block, if text, is held back until it has text. */
  private deferFirst = false;
  private deferred: RawMessageStreamEvent | undefined;
  /** Trailing whitespace of the cut text, given already and left out of the prefill: taken off the continuation's text. */
  private whitespace = '';

  /** @param params The request as the consumer sent it: every continuation is built from it. */
  constructor(private readonly params: MessageCreateParams) {}

  /** The text of the answer so far, in one string (its pieces joined into one, which stays). */
  private text(): string {
    if (this.pieces.length > 1) this.pieces.splice(0, this.pieces.length, this.pieces.join(''));
    return this.pieces[0] ?? '';
  }

  /**
   * Takes one event of the current request and gives the events the consumer sees for it
   * (none, one, or the cut block's stop and then one). Until a request is sent again, that is the
   * event as it came, {@link note}d. `type` is the event's, when it has been read already.
   */
  accept(event: RawMessageStreamEvent, emit: Emit, type: RawMessageStreamEvent['type'] = event.type): void {
    if (!this.spliced) {
      this.note(event, type);
      emit(event, type);
      return;
    }
    switch (event.type) {
      case 'message_start':
        this.usage = { ...(event.message.usage as unknown as Usage) };
        return;
      case 'content_block_start':
        return this.startBlock(event, emit);
      case 'content_block_delta':
        return this.delta(event, emit);
      case 'content_block_stop':
        return this.stopBlock(event, emit);
      case 'message_delta': {
        this.closeMerged(emit);
        this.usage = mergeUsage(this.usage, event.usage);
        const usage = this.carried === undefined ? this.usage : sumUsage(this.carried, this.usage ?? {});
        emit(deepFreeze({ ...event, usage } as RawMessageStreamEvent));
        return;
      }
      case 'message_stop':
        this.closeMerged(emit);
        this.stopped = true;
        emit(event);
        return;
      default:
        emit(event);
    }
  }

  /**
   * Notes a `content_block_delta` that the consumer is given as it came, before any drop: what
   * {@link accept} does with one then, but for passing it on (the caller gives it to the next
   * sink, or to one further out: see `deltaSinkOf`). After a drop, does nothing and gives false:
   * the delta must go through `accept` to be rewritten.
   *
   * @return Whether the delta was noted, to be passed on as it came.
   */
  noteDelta(event: RawMessageStreamEvent): boolean {
    if (this.spliced) return false;
    const { delta } = event as EventOf<'content_block_delta'>;
    if (this.onlyText && delta.type === 'text_delta') this.pieces.push(delta.text);
    return true;
  }

  /** Whether the consumer has had the message's `message_stop`: a drop after it loses nothing. */
  get finished(): boolean {
    return this.stopped;
  }

  /**
   * What to do about a drop of the current request, from what the consumer has seen: `retry`
   * before any content block, `continue` when every block so far is text (and extended thinking
   * is off), `refuse` otherwise, with the reason. Changes nothing: see {@link prepare}.
   */
  plan(error: unknown): ContinuationPlan {
    const why = messageOf(error);
    if (!this.started) return { kind: 'retry', params: this.params, reason: `the connection dropped before the stream began (${why})` };
    if (this.blocks.length === 0) return { kind: 'retry', params: this.params, reason: `the connection dropped before any content block began (${why})` };
    const last = this.blocks[this.blocks.length - 1] as BlockState;
    if (last.open && last.type !== 'text') {
      return { kind: 'refuse', reason: `the stream was cut inside a ${last.type} ${INPUT_BLOCKS.has(last.type) ? 'input' : 'block'}` };
    }
    const thinking = (this.params as { thinking?: { type?: unknown } | null }).thinking;
    if (thinking != null && thinking.type !== 'disabled') {
      return { kind: 'refuse', reason: `extended thinking is on (thinking.type '${String(thinking.type)}'), and the API takes no assistant prefill with it` };
    }
    if (!this.onlyText) {
      const other = this.blocks.find((block) => block.type !== 'text') as BlockState;
      return { kind: 'refuse', reason: `the answer so far has a ${other.type} block, and a prefill carries only text` };
    }
    return {
      kind: 'continue',
      params: withAssistantPrefill(this.params, this.text()),
      reason: `the connection dropped after ${this.text().length} characters of text (${why})`,
    };
  }

  /** Gets ready for the events of the request that `plan` (a `retry` or a `continue`) sends. */
  prepare(plan: ContinuationPlan): void {
    if (!this.started) return;
    this.carried = this.carried === undefined ? { ...this.usage } : sumUsage(this.carried, this.usage ?? {});
    this.usage = undefined;
    this.spliced = true;
    this.indices = [];
    this.deferred = undefined;
    const last = this.blocks[this.blocks.length - 1];
    const continuing = plan.kind === 'continue' && last !== undefined;
    this.mergeInto = continuing && last.open ? this.blocks.length - 1 : -1;
    this.deferFirst = continuing && !last.open;
    const text = this.text();
    this.whitespace = continuing ? text.slice(text.trimEnd().length) : '';
  }

  /**
   * Before the first drop: notes what the consumer is given, the event passed on as it came.
   * `type` is the event's, read already.
   */
  private note(event: RawMessageStreamEvent, type: RawMessageStreamEvent['type']): void {
    // The cases narrow `type`, not `event`: each reads the event as the type it was given says.
    switch (type) {
      case 'content_block_delta':
        this.noteDelta(event);
        return;
      case 'message_start':
        this.started = true;
        this.usage = { ...((event as EventOf<'message_start'>).message.usage as unknown as Usage) };
        return;
      case 'content_block_start': {
        const blockType = (event as EventOf<'content_block_start'>).content_block.type;
        this.blocks.push({ type: blockType, open: true });
        if (blockType !== 'text') this.onlyText = false;
        return;
      }
      case 'content_block_stop': {
        const block = this.blocks[(event as EventOf<'content_block_stop'>).index];
        if (block !== undefined) block.open = false;
        return;
      }
      case 'message_delta':
        this.usage = mergeUsage(this.usage, (event as EventOf<'message_delta'>).usage);
        return;
      case 'message_stop':
        this.stopped = true;
        return;
      default:
    }
  }

  /** A new block of the consumer's message, at the index after its last. */
  private open(index: number, event: Extract<RawMessageStreamEvent, { type: 'content_block_start' }>, emit: Emit): number {
    const consumerIndex = this.blocks.length;
    this.indices[index] = consumerIndex;
    this.blocks.push({ type: event.content_block.type, open: true });
    if (event.content_block.type !== 'text') this.onlyText = false;
    emit(consumerIndex === event.index ? event : deepFreeze({ ...event, index: consumerIndex }));
    return consumerIndex;
  }

  private startBlock(event: Extract<RawMessageStreamEvent, { type: 'content_block_start' }>, emit: Emit): void {
    const first = event.index === 0;
    const text = event.content_block.type === 'text';
    if (first && this.mergeInto >= 0 && text) {
      this.indices[0] = this.mergeInto;
      this.mergeInto = -1;
      return;
    }
    this.closeMerged(emit);
    if (first && this.deferFirst && text) {
      this.deferFirst = false;
      this.indices[0] = DEFERRED;
      this.deferred = event;
      return;
    }
    this.deferFirst = false;
    this.open(event.index, event, emit);
  }

  private delta(event: Extract<RawMessageStreamEvent, { type: 'content_block_delta' }>, emit: Emit): void {
    let out = event;
    if (event.delta.type === 'text_delta' && this.whitespace !== '') {
      const text = this.reconcile(event.delta.text);
      if (text === '') return;
      if (text !== event.delta.text) out = { ...event, delta: { ...event.delta, text } };
    }
    let consumerIndex = this.indices[event.index];
    if (consumerIndex === DEFERRED) {
      if (out.delta.type === 'text_delta' && out.delta.text === '') return;
      consumerIndex = this.open(event.index, this.deferred as Extract<RawMessageStreamEvent, { type: 'content_block_start' }>, emit);
      this.deferred = undefined;
    }
    if (consumerIndex === undefined) {
      // A delta for a block never started: passed on as it came, for the operators to judge.
      emit(event);
      return;
    }
    if (this.onlyText && out.delta.type === 'text_delta') this.pieces.push(out.delta.text);
    emit(consumerIndex === event.index && out === event ? event : deepFreeze({ ...out, index: consumerIndex }));
  }

  private stopBlock(event: Extract<RawMessageStreamEvent, { type: 'content_block_stop' }>, emit: Emit): void {
    const consumerIndex = this.indices[event.index];
    if (consumerIndex === DEFERRED) {
      // The held-back block never had text: the consumer never hears of it.
      this.deferred = undefined;
      return;
    }
    if (consumerIndex === undefined) {
      emit(event);
      return;
    }
    const block = this.blocks[consumerIndex];
    if (block !== undefined) block.open = false;
    emit(consumerIndex === event.index ? event : deepFreeze({ ...event, index: consumerIndex }));
  }

  /** The cut block the continuation did not go on (it opened with another kind of block, or none): closed now. */
  private closeMerged(emit: Emit): void {
    if (this.mergeInto < 0) return;
    const index = this.mergeInto;
    this.mergeInto = -1;
    const block = this.blocks[index];
    if (block !== undefined) block.open = false;
    emit(deepFreeze({ type: 'content_block_stop', index } as RawMessageStreamEvent));
  }

  /** The continuation's text with as much of the held-back whitespace as it starts with taken off. */
  private reconcile(text: string): string {
    const whitespace = this.whitespace;
    let matched = 0;
    while (matched < whitespace.length && matched < text.length && text[matched] === whitespace[matched]) matched += 1;
    if (matched === text.length && matched < whitespace.length) {
      this.whitespace = whitespace.slice(matched);
      return '';
    }
    this.whitespace = '';
    return text.slice(matched);
  }
}
