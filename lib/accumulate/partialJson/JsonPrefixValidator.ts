import {
  AFTER_BACKSLASH,
  BACKSLASH,
  CLOSE_BRACE,
  CLOSE_BRACKET,
  COLON as COLON_CODE,
  COMMA,
  LOWER_U,
  NO_ESCAPE,
  OPEN_BRACE,
  OPEN_BRACKET,
  QUOTE,
} from './jsonCharCodes';
import { hexValue, SIMPLE_ESCAPES } from './jsonEscapes';
import { NUMBER_END, NUMBER_INVALID, type NumberState, startNumber, stepNumber } from './numberGrammar';

/** What the validator expects at the current position (numbers, not strings: compared per character). */
const VALUE = 0; // a value starts here
const VALUE_OR_CLOSE = 1; // a value or "]": right after "["
const KEY = 2; // an object key starts here
const KEY_OR_CLOSE = 3; // a key or "}": right after "{"
const COLON = 4;
const AFTER = 5; // a value ended: "," or the container's close; at the top level, only whitespace
const STRING = 6;
const NUMBER = 7;
const LITERAL = 8;
const FAILED = 9;

/** The kind of an open container, one byte of the stack each. */
const ARRAY = 1;
const OBJECT = 2;


const LITERAL_WORDS: Readonly<Record<number, string>> = { 0x74: 'true', 0x66: 'false', 0x6e: 'null' };

/**
 * Tells, chunk by chunk, whether the JSON text pushed so far is still the beginning of some
 * valid JSON value, without building any value: a mode, a stack of open container kinds (one
 * byte each) and a few counters, read by one `charCodeAt` loop.
 *
 * The grammar is exactly the one `PartialJsonParser` accepts (RFC 8259: one value, whitespace
 * around it, strings with their escapes and `\u` hex digits and no raw control characters,
 * numbers by the same `numberGrammar`, `true`/`false`/`null`), so it rejects a text at the very
 * character where the parser would, and never rejects what the parser accepts. Inside a string,
 * ordinary characters are skipped by a loop of a few comparisons each (one for letters).
 *
 * Hand-written because no JSON library validates a prefix incrementally (they parse a whole text,
 * or re-read the buffer on every chunk, which is quadratic). Separate from the parser because the
 * parser runs only when a snapshot is read, and a stream nobody reads snapshots of must still fail
 * at the chunk where its tool input stops being JSON: this checks every chunk at a fraction of
 * the parser's cost, and the parser is run only once it has failed, for the error message.
 *
 * ## Example
 *
 * ```ts
 * const validator = new JsonPrefixValidator();
 * validator.push('{"a": tr'); // true: `{"a": true}` begins so
 * validator.push('ue}}'); // false: the second "}" closes nothing
 * validator.position; // 11, the offset of that "}"
 * ```
 *
 * @see PartialJsonParser
 */
export class JsonPrefixValidator {
  private mode = VALUE;
  /** The kinds of the open containers, innermost at `depth - 1`; grown by doubling. */
  private stack = new Uint8Array(16);
  private depth = 0;
  /** Characters pushed before the current chunk, for the position of a failure. */
  private offset = 0;
  private failedAt = -1;

  private isKey = false;
  private escape = NO_ESCAPE;
  private numberState: NumberState = 'integer';
  private literal = '';
  private literalIndex = 0;

  /** Whether the text pushed so far is the beginning of a JSON value (an empty text is). */
  get valid(): boolean {
    return this.failedAt < 0;
  }

  /** The offset of the first character that made the text invalid, or -1 while it is valid. */
  get position(): number {
    return this.failedAt;
  }

  /**
   * Reads the next piece of the text.
   *
   * @param chunk The next characters.
   * @return Whether the text so far is still the beginning of a JSON value; once false, always false.
   */
  push(chunk: string): boolean {
    const length = chunk.length;
    let i = 0;
    while (i < length && this.mode !== FAILED) {
      switch (this.mode) {
        case STRING:
          i = this.escape === NO_ESCAPE ? this.scanString(chunk, i) : this.readEscape(chunk.charCodeAt(i), i);
          break;
        case NUMBER:
          i = this.readNumber(chunk, i);
          break;
        case LITERAL:
          i = this.readLiteral(chunk, i);
          break;
        default:
          i = this.readStructure(chunk.charCodeAt(i), i);
      }
    }
    this.offset += length;
    return this.failedAt < 0;
  }

  /** Skips ordinary characters up to the string's end, a backslash or a control character. */
  private scanString(chunk: string, start: number): number {
    const length = chunk.length;
    for (let i = start; i < length; i++) {
      const code = chunk.charCodeAt(i);
      // Letters and most non-ASCII text are above the backslash: one comparison for them.
      if (code > BACKSLASH) continue;
      if (code === QUOTE) {
        this.mode = this.isKey ? COLON : AFTER;
        return i + 1;
      }
      if (code === BACKSLASH) {
        this.escape = AFTER_BACKSLASH;
        return i + 1;
      }
      if (code < 0x20) return this.fail(i);
    }
    return length;
  }

  private readEscape(code: number, i: number): number {
    if (this.escape === AFTER_BACKSLASH) {
      if (code === LOWER_U) this.escape = 1;
      else if (SIMPLE_ESCAPES[code] !== undefined) this.escape = NO_ESCAPE;
      else return this.fail(i);
    } else {
      if (hexValue(code) < 0) return this.fail(i);
      this.escape = this.escape < 4 ? this.escape + 1 : NO_ESCAPE;
    }
    return i + 1;
  }

  private readNumber(chunk: string, start: number): number {
    let state = this.numberState;
    const length = chunk.length;
    for (let i = start; i < length; i++) {
      const next = stepNumber(state, chunk.charCodeAt(i));
      if (next === NUMBER_END) {
        // The character belongs to what follows the number: read it as structure.
        this.mode = AFTER;
        return i;
      }
      if (next === NUMBER_INVALID) return this.fail(i);
      state = next;
    }
    this.numberState = state;
    return length;
  }

  private readLiteral(chunk: string, start: number): number {
    const word = this.literal;
    const length = chunk.length;
    let i = start;
    while (i < length && this.literalIndex < word.length) {
      if (chunk.charCodeAt(i) !== word.charCodeAt(this.literalIndex)) return this.fail(i);
      i++;
      this.literalIndex++;
    }
    if (this.literalIndex === word.length) this.mode = AFTER;
    return i;
  }

  private readStructure(code: number, i: number): number {
    if (code === 0x20 || code === 0x0a || code === 0x0d || code === 0x09) return i + 1;
    switch (this.mode) {
      case VALUE:
      case VALUE_OR_CLOSE:
        return this.startValue(code, i);
      case KEY:
      case KEY_OR_CLOSE:
        if (code === QUOTE) return this.startString(true, i);
        if (code === CLOSE_BRACE && this.mode === KEY_OR_CLOSE) return this.close(i);
        return this.fail(i);
      case COLON:
        if (code !== COLON_CODE) return this.fail(i);
        this.mode = VALUE;
        return i + 1;
      default: {
        // AFTER: at the top level nothing but whitespace may follow the value.
        if (this.depth === 0) return this.fail(i);
        const top = this.stack[this.depth - 1];
        if (code === COMMA) {
          this.mode = top === ARRAY ? VALUE : KEY;
          return i + 1;
        }
        if (code === (top === ARRAY ? CLOSE_BRACKET : CLOSE_BRACE)) return this.close(i);
        return this.fail(i);
      }
    }
  }

  private startValue(code: number, i: number): number {
    if (code === QUOTE) return this.startString(false, i);
    if (code === OPEN_BRACE || code === OPEN_BRACKET) {
      if (this.depth === this.stack.length) {
        const grown = new Uint8Array(this.stack.length * 2);
        grown.set(this.stack);
        this.stack = grown;
      }
      this.stack[this.depth++] = code === OPEN_BRACE ? OBJECT : ARRAY;
      this.mode = code === OPEN_BRACE ? KEY_OR_CLOSE : VALUE_OR_CLOSE;
      return i + 1;
    }
    if (code === CLOSE_BRACKET && this.mode === VALUE_OR_CLOSE) return this.close(i);
    const word = LITERAL_WORDS[code];
    if (word !== undefined) {
      this.mode = LITERAL;
      this.literal = word;
      this.literalIndex = 1;
      return i + 1;
    }
    const numberState = startNumber(code);
    if (numberState === undefined) return this.fail(i);
    this.mode = NUMBER;
    this.numberState = numberState;
    return i + 1;
  }

  private startString(isKey: boolean, i: number): number {
    this.mode = STRING;
    this.isKey = isKey;
    this.escape = NO_ESCAPE;
    return i + 1;
  }

  private close(i: number): number {
    this.depth--;
    this.mode = AFTER;
    return i + 1;
  }

  private fail(i: number): number {
    this.mode = FAILED;
    this.failedAt = this.offset + i;
    return i;
  }
}
