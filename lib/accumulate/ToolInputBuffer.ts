import { JsonPrefixValidator } from './partialJson/JsonPrefixValidator';
import { PartialJsonParser, PartialJsonSyntaxError } from './PartialJsonParser';

/** Chunks read by the parser that the queue keeps before it is emptied. */
const QUEUE_RESET = 256;

/**
 * The streamed input of one tool-use block (its `partial_json` chunks; a structured output's
 * text is kept the same way), read by an incremental parser only when a snapshot is asked for,
 * with snapshots that can be taken long after the fact.
 *
 * Pushing a chunk records it (the text grows as a rope) and runs it through a
 * {@link JsonPrefixValidator}, which builds nothing, so a stream nobody reads snapshots of costs
 * no parsing until the block is finished, and then one `JSON.parse`; yet the chunk that makes the
 * text stop being JSON throws at once. The first snapshot creates the parser and feeds it the
 * text so far; from then on chunks also wait in a queue, and a snapshot feeds the parser the ones
 * it has not read yet, up to the point the snapshot is of. Reading one on every delta therefore
 * parses each character once.
 *
 * ## Example
 *
 * ```ts
 * const buffer = new ToolInputBuffer({});
 * buffer.push('{"city": "Pa');
 * const early = buffer.length;
 * buffer.push('ris"}');
 * buffer.snapshotAt(buffer.length); // { city: 'Paris' }
 * buffer.snapshotAt(early); // { city: 'Pa' }: a late read is still right
 * buffer.finish(); // { city: 'Paris' }
 * buffer.push('}'); // throws PartialJsonSyntaxError: Unexpected "}", expected nothing after the value at position 17 …
 * ```
 */
export class ToolInputBuffer {
  /** Everything received; V8 keeps `+=` as a rope, flattened only when read whole. */
  private text = '';
  /** Chunks received since the parser exists and not yet read by it, from `queueStart` on. */
  private readonly queue: string[] = [];
  private queueStart = 0;
  /** Created by the first snapshot; it has read the first `parsedLength` characters. */
  private parser: PartialJsonParser | undefined;
  private parsedLength = 0;
  /** Whether anything but whitespace has arrived (a tool without arguments sends nothing, or only whitespace). */
  private nonBlank = false;
  /** Sees every chunk: the parser may never run, or run only later, when a snapshot is read. */
  private readonly validator = new JsonPrefixValidator();
  /** Set by {@link checkedUpstream}: the chunks from now on were checked before they got here. */
  private checked = false;
  /** The error of the chunk that made the text stop being JSON. */
  private failure: PartialJsonSyntaxError | undefined;

  /** `initial` is the block's `input` at `content_block_start` (`{}`), kept while nothing has arrived. */
  constructor(private readonly initial: unknown) {}

  /** Characters received so far: what {@link snapshotAt} takes to name a point of the stream. */
  get length(): number {
    return this.text.length;
  }

  /** The whole text received. */
  get raw(): string {
    return this.text;
  }

  /**
   * Records the next chunk of the input.
   *
   * @throws {PartialJsonSyntaxError} When the text, with this chunk, is no longer the beginning of
   *   any JSON value (the chunk is still recorded, see {@link raw}); again for every chunk after.
   */
  push(partialJson: string): void {
    if (partialJson === '') return;
    if (!this.nonBlank) this.nonBlank = /\S/.test(partialJson);
    this.text += partialJson;
    if (this.failure !== undefined) throw this.failure;
    const parser = this.parser;
    if (parser !== undefined && this.parsedLength + partialJson.length === this.text.length) {
      // The parser has read everything before this chunk (snapshots are being read): it reads
      // this one now and is its own check, so the text is not scanned twice. It stays caught up.
      parser.push(partialJson);
      this.parsedLength = this.text.length;
      if (parser.error !== undefined) throw (this.failure = parser.error);
      return;
    }
    if (parser !== undefined) this.queue.push(partialJson);
    if (!this.checked && !this.validator.push(partialJson)) throw (this.failure = this.syntaxError());
  }

  /**
   * Stops checking the chunks pushed from now on, because an accumulator before this one checks
   * them: `messageStreamEvents()` follows each `input_json_delta` it has folded with an
   * `input_json` event, and it fails the stream at a chunk that breaks the text, before passing
   * it on. Text that still turns out not to be JSON fails at {@link finish}.
   */
  checkedUpstream(): void {
    this.checked = true;
  }

  /**
   * The input as it stood when `length` characters had arrived. The parser reads on to that
   * point and memoises its value until it reads more; a point it has already passed (a snapshot
   * read late) is parsed again from the start, so only a late read pays for being late.
   */
  snapshotAt(length: number): unknown {
    if (length < this.parsedLength) {
      const replay = new PartialJsonParser();
      replay.push(this.text.slice(0, length));
      return this.orInitial(replay.snapshot());
    }
    if (this.parser === undefined) {
      this.parser = new PartialJsonParser();
      if (length < this.text.length) this.queue.push(this.text.slice(length));
      this.parser.push(this.text.slice(0, length));
      this.parsedLength = length;
    }
    const parser = this.parser;
    while (this.parsedLength < length) {
      const chunk = this.queue[this.queueStart] as string;
      const wanted = length - this.parsedLength;
      if (chunk.length > wanted) {
        // Only part of the chunk is before the point asked for (a chunk queued by a late first read).
        parser.push(chunk.slice(0, wanted));
        this.queue[this.queueStart] = chunk.slice(wanted);
        this.parsedLength = length;
      } else {
        parser.push(chunk);
        this.parsedLength += chunk.length;
        this.queueStart += 1;
      }
    }
    // Emptied once in a while, not on every read: shortening an array is a call into the runtime.
    if (this.queueStart === this.queue.length && this.queueStart >= QUEUE_RESET) {
      this.queue.length = 0;
      this.queueStart = 0;
    }
    return this.orInitial(parser.snapshot());
  }

  /**
   * The input of the finished block: the full parse, or the initial input when nothing arrived.
   * When snapshots were read to the end the parser already holds it; otherwise `JSON.parse`
   * (native, and the same value) reads the text once, and only invalid text goes through the
   * parser, for its error message.
   *
   * @throws {PartialJsonSyntaxError} When the text is not one valid JSON value.
   */
  finish(): unknown {
    if (this.failure !== undefined) throw this.failure;
    if (!this.nonBlank) return this.initial;
    if (this.parser !== undefined && this.parsedLength === this.text.length) return this.parser.finish();
    try {
      return JSON.parse(this.text) as unknown;
    } catch {
      const parser = new PartialJsonParser();
      parser.push(this.text);
      return parser.finish();
    }
  }

  /** A parser's snapshot, or the initial input while nothing can be shown yet (`null` is a value, not nothing). */
  private orInitial(snapshot: unknown): unknown {
    return snapshot === undefined ? this.initial : snapshot;
  }

  /**
   * The parser's error for the text received, so its message (what, where, an excerpt) is the
   * one the end of the block would give. Only the validator's position is left if the two ever
   * disagreed, which the property specs rule out.
   */
  private syntaxError(): PartialJsonSyntaxError {
    const parser = new PartialJsonParser();
    parser.push(this.text);
    return parser.error ?? new PartialJsonSyntaxError('Not the beginning of a JSON value', this.validator.position, this.text);
  }
}
