import { PartialJsonSyntaxError } from '../accumulate/PartialJsonParser';
import { ToolInputBuffer } from '../accumulate/ToolInputBuffer';
import { IncompleteStreamError, OutputParseError, OutputRefusalError, OutputTruncatedError } from '../errors';
import { blockNeverStarted } from '../operators/blockNeverStarted';
import type { RawContentBlockDeltaEvent } from '../schema';
import { decodeOutput, fromSyntaxError } from './parseOutputText';
import { TRUNCATED_STOP_REASONS } from './parsedMessageOf';
import type { OutputDecoder } from './StructuredOutputFormat';


type AnyEvent = { readonly type: string } & Readonly<Record<string, unknown>>;

/**
 * Follows the structured output of a stream of events: the text of each message's text blocks,
 * kept as it arrives in the same buffer as a tool's streamed input (checked at every chunk,
 * parsed incrementally only when a partial value is read, otherwise `JSON.parse`d once at the
 * end), and how the message stopped.
 *
 * Each `message_start` starts a new output (the turns of a tool loop), so what is left at the
 * end is the last message's. Only raw `content_block_delta` events with a `text_delta` on a text
 * block count: the derived events and enriched stops of `messageStreamEvents()`, a tool loop's
 * own events and unknown ones are ignored, and the message a `message_stop` may carry is never
 * read. Pure and synchronous, for the operators to wrap.
 */
export class OutputTracker {
  private buffer: ToolInputBuffer | undefined;
  private blockTypes: (string | undefined)[] = [];
  private started = false;
  private stopped = false;
  private stopReason: string | null = null;
  private stopDetails: unknown = null;
  private events = 0;
  /** Whether a partial value of the current output was read: the parser's value then shares its objects. */
  private partialsRead = false;

  /**
   * Folds one event.
   *
   * @return Whether the output's text grew.
   * @throws StreamDecodeError for a delta on a block that was never started.
   * @throws OutputParseError at the delta where the text stops being a JSON prefix.
   */
  fold(input: { readonly type: string }): boolean {
    const event = input as AnyEvent;
    this.events += 1;
    switch (event.type) {
      case 'message_start':
        this.buffer = undefined;
        this.partialsRead = false;
        this.blockTypes = [];
        this.started = true;
        this.stopped = false;
        this.stopReason = null;
        this.stopDetails = null;
        return false;
      case 'content_block_start': {
        const block = event['content_block'] as { readonly type: string; readonly text?: unknown };
        this.blockTypes[event['index'] as number] = block.type;
        return block.type === 'text' && typeof block.text === 'string' && block.text !== '' ? this.push(block.text) : false;
      }
      case 'content_block_delta': {
        const index = event['index'] as number;
        const blockType = this.blockTypes[index];
        if (blockType === undefined) throw blockNeverStarted(event as unknown as RawContentBlockDeltaEvent);
        const delta = event['delta'] as { readonly type: string; readonly text?: string };
        return blockType === 'text' && delta.type === 'text_delta' ? this.push(delta.text as string) : false;
      }
      case 'message_delta': {
        const delta = event['delta'] as { readonly stop_reason?: string | null; readonly stop_details?: unknown } | undefined;
        if (delta?.stop_reason != null) this.stopReason = delta.stop_reason;
        if (delta?.stop_details != null) this.stopDetails = delta.stop_details;
        return false;
      }
      case 'message_stop':
        this.stopped = true;
        return false;
      default:
        return false;
    }
  }

  /** The output as far as it has arrived (`undefined` before anything): the parser's snapshot, frozen. */
  snapshot(): unknown {
    const buffer = this.buffer;
    if (buffer === undefined) return undefined;
    this.partialsRead = true;
    return buffer.snapshotAt(buffer.length);
  }

  /** The text of the current output so far. */
  get raw(): string {
    return this.buffer?.raw ?? '';
  }

  /**
   * The verdict on the last message's output once the stream has completed: its decoded value,
   * or the error that says what it is.
   *
   * @throws IncompleteStreamError when the last message never got its `message_stop`.
   * @throws OutputRefusalError when it stopped with `refusal`.
   * @throws OutputTruncatedError when its text is unfinished and it stopped with `max_tokens`.
   * @throws OutputParseError when its text is not one JSON value (or there is none).
   * @throws OutputValidationError when the decoder refuses the value.
   */
  finish<T>(decoder: OutputDecoder<T>): T {
    if (!this.started || !this.stopped) {
      const received = this.started ? `message_start and ${this.events} event(s) in all; ${this.raw.length} characters of output text` : `${this.events} event(s) but no message_start`;
      throw new IncompleteStreamError(received);
    }
    const raw = this.raw;
    if (this.stopReason === 'refusal') throw new OutputRefusalError(raw, this.stopDetails);
    let value: unknown;
    try {
      if (this.buffer === undefined || raw.trim() === '') throw new PartialJsonSyntaxError('Unexpected end of JSON input', raw.length, raw);
      value = this.buffer.finish();
    } catch (error) {
      if (!(error instanceof PartialJsonSyntaxError)) throw error;
      if (this.stopReason !== null && TRUNCATED_STOP_REASONS.has(this.stopReason)) throw new OutputTruncatedError(raw, this.stopReason, this.snapshot());
      throw this.parseError(raw, error);
    }
    // Once partial values were read, the parser's value shares their objects (and is frozen): a
    // decoder that writes to its input (defaults or transforms applied in place) gets its own.
    return decodeOutput(raw, this.partialsRead && typeof value === 'object' && value !== null ? JSON.parse(raw) : value, decoder);
  }

  private push(text: string): boolean {
    if (text === '') return false;
    const buffer = (this.buffer ??= new ToolInputBuffer(undefined));
    try {
      buffer.push(text);
    } catch (error) {
      throw error instanceof PartialJsonSyntaxError ? fromSyntaxError(buffer.raw, error) : error;
    }
    return true;
  }

  private parseError(raw: string, error: PartialJsonSyntaxError): OutputParseError {
    const stop = this.stopReason === null || this.stopReason === 'end_turn' ? '' : ` (stop_reason: ${this.stopReason})`;
    if (raw.trim() === '') return new OutputParseError(raw, `the message has no output text${stop || ` (stop_reason: ${this.stopReason ?? 'none'})`}`, raw.length);
    const wrapped = fromSyntaxError(raw, error);
    return stop === '' ? wrapped : new OutputParseError(raw, `${error.message}${stop}`, error.position);
  }
}
