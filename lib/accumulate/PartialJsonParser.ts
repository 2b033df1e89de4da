import {
  isWholeNumber,
  NUMBER_END,
  NUMBER_INVALID,
  type NumberState,
  startNumber,
  stepNumber,
  unfinishedTailLength,
} from './partialJson/numberGrammar';
import {
  AFTER_BACKSLASH,
  BACKSLASH,
  CLOSE_BRACE,
  CLOSE_BRACKET,
  COLON,
  COMMA,
  LOWER_U,
  NO_ESCAPE,
  OPEN_BRACE,
  OPEN_BRACKET,
  QUOTE,
} from './partialJson/jsonCharCodes';
import { hexValue, SIMPLE_ESCAPES } from './partialJson/jsonEscapes';
import { PartialJsonSyntaxError } from './partialJson/PartialJsonSyntaxError';
import { freezeValue } from './freezeValue';

export { PartialJsonSyntaxError } from './partialJson/PartialJsonSyntaxError';

/** What the parser expects at the current position. */
type Mode =
  | 'value' // a value starts here ("]" too when `closeAllowed`, right after "[")
  | 'key' // an object key starts here ("}" too when `closeAllowed`, right after "{")
  | 'colon'
  | 'after' // a value ended: "," or the container's close; at the top level, only whitespace
  | 'string'
  | 'number'
  | 'literal';

/**
 * An open container. `done` holds its finished children and is never handed out while the
 * container is open (snapshots get copies), so it can grow in place; once closed it becomes
 * the finished value and is shared, unchanged, by every later snapshot.
 *
 * An open array keeps one spare slot at the end of `done` (`done.length` is one more than its
 * finished children): a snapshot copies the array with `slice()` and writes the open child into
 * that slot, where a copy that then grew by a `push` would be copied a second time by V8 (the
 * copy of the open array is most of the cost of a snapshot of a wide array).
 */
type Frame =
  | { readonly kind: 'array'; readonly done: unknown[] }
  | { readonly kind: 'object'; readonly done: Record<string, unknown>; key: string };

/** The value of the spare slot at the end of an open array (see {@link Frame}). */
const SPARE = undefined;

/** Marks "nothing to show yet" for an open value (a key, `tru`, a lone `-`). */
const ABSENT: unique symbol = Symbol('absent');

const LITERALS: Readonly<Record<number, readonly [word: string, value: boolean | null]>> = {
  0x74: ['true', true],
  0x66: ['false', false],
  0x6e: ['null', null],
};

/**
 * Parses JSON that arrives in pieces, such as a tool's `input_json_delta` chunks, and gives
 * an immutable best-effort value of what has arrived so far.
 *
 * Each chunk is read once by a state machine with an explicit stack of open containers, so
 * pushing is linear in the input however it is split. A snapshot rebuilds only the open path
 * from the root to the value being written (copying the finished children of each open
 * container) and shares every finished value with the previous snapshots; it is computed when
 * read and memoised until the next push that changes something. Snapshots keep unfinished
 * strings as jiter's `trailing-strings` mode (the Python SDK's) does: an unfinished string is
 * kept as far as it has arrived (an incomplete escape is left out until it is complete). An
 * unfinished number keeps its last complete value while it grows: the longest whole number its
 * text begins with (`21.` shows 21, `21.5e-` shows 21.5, `2E+` shows 2, `-0.` shows -0). A
 * number is left out until its first digit (a lone `-` shows nothing), a key until its value
 * shows, and `true`, `false` and `null` until they are whole. Arrays keep every element. So
 * nothing once shown disappears: a later snapshot has every key and element of an earlier one,
 * its strings extended and its numbers read further along their text (21, then 21.5, then
 * 0.0215 once `21.5e-3` has arrived).
 *
 * Hand-written because no JSON library is both incremental (linear over the chunks, where
 * re-parsing the buffer on each delta is quadratic) and immutable (snapshots that never change
 * once emitted and share what did not change).
 *
 * ## Example
 *
 * ```ts
 * const parser = new PartialJsonParser();
 * parser.push('{"city": "Par');
 * parser.snapshot(); // { city: 'Par' }
 * parser.push('is", "days": [1, 2');
 * parser.snapshot(); // { city: 'Paris', days: [1, 2] }
 * parser.push(']}');
 * parser.finish(); // { city: 'Paris', days: [1, 2] }
 * ```
 *
 * Values are shared between snapshots and with `finish()`'s result, and frozen: each object and
 * array is frozen when it is made (a snapshot's copy of an open container, a container when it
 * closes), so that freezing costs one `Object.freeze` per new node, never a walk of the value.
 *
 * @see PartialJsonSyntaxError
 */
export class PartialJsonParser {
  /** V8 keeps `+=` as a rope, so this is O(1) per push and flattened once, when read. */
  private rawText = '';
  /** Offset in `rawText` of the chunk being read, for error positions. */
  private chunkOffset = 0;
  private readonly stack: Frame[] = [];
  private mode: Mode = 'value';
  private closeAllowed = false;
  private root: { readonly value: unknown } | undefined;

  /** The open string decoded so far (without `heldSurrogate`), or the open number's text (`21.5e-`). */
  private scalar = '';
  /** A high surrogate at the end of the open string, held back until its pair arrives. */
  private heldSurrogate = '';
  private isKey = false;
  private escape = NO_ESCAPE;
  private escapeCode = 0;
  private numberState: NumberState = 'integer';
  private literal: readonly [word: string, value: boolean | null] = ['null', null];
  private literalIndex = 0;

  private failure: PartialJsonSyntaxError | undefined;
  private latest: unknown = undefined;
  private stale = false;

  /** The whole text pushed so far, invalid parts included. */
  get raw(): string {
    return this.rawText;
  }

  /** The first syntax error found in the text pushed so far (an unfinished text is not one). */
  get error(): PartialJsonSyntaxError | undefined {
    return this.failure;
  }

  /**
   * Reads the next piece of the JSON text. Never throws: after a syntax error the text is still
   * recorded (see {@link raw}), the snapshot stays what it was at the error and
   * {@link finish} throws the error.
   */
  push(chunk: string): void {
    this.chunkOffset = this.rawText.length;
    this.rawText += chunk;
    let i = 0;
    while (i < chunk.length && this.failure === undefined) {
      switch (this.mode) {
        case 'string':
          i = this.readString(chunk, i);
          break;
        case 'number':
          i = this.readNumber(chunk, i);
          break;
        case 'literal':
          i = this.readLiteral(chunk, i);
          break;
        default:
          i = this.readStructure(chunk, i);
      }
    }
  }

  /**
   * The value as far as it has arrived: `undefined` before anything but whitespace, then e.g.
   * `{}` after `{`. The same object until a push changes what it shows; earlier snapshots never
   * change.
   */
  snapshot(): unknown {
    if (this.stale) {
      this.latest = this.buildSnapshot();
      this.stale = false;
    }
    return this.latest;
  }

  /**
   * The complete value, equal to `JSON.parse(raw)`.
   *
   * @throws {PartialJsonSyntaxError} if the text is invalid, has trailing characters or is unfinished.
   */
  finish(): unknown {
    if (this.failure !== undefined) throw this.failure;
    if (this.root !== undefined) return this.root.value;
    if (this.mode === 'number' && this.stack.length === 0 && isWholeNumber(this.numberState)) {
      return Number(this.scalar);
    }
    throw new PartialJsonSyntaxError(
      `Unexpected end of JSON input, expected ${this.expectation()}`,
      this.rawText.length,
      this.rawText,
    );
  }

  private buildSnapshot(): unknown {
    if (this.root !== undefined) return this.root.value;
    let child = this.openScalar();
    for (let depth = this.stack.length - 1; depth >= 0; depth--) {
      const frame = this.stack[depth] as Frame;
      if (frame.kind === 'array') {
        child = freezeValue(copyOpenArray(frame.done, child));
      } else {
        const copy = { ...frame.done };
        if (child !== ABSENT) defineEntry(copy, frame.key, child);
        child = freezeValue(copy);
      }
    }
    return child === ABSENT ? undefined : child;
  }

  private openScalar(): unknown {
    if (this.mode === 'string') return this.isKey ? ABSENT : this.scalar;
    if (this.mode === 'number') {
      const shown = this.shownNumberLength();
      if (shown === 0) return ABSENT;
      return Number(shown === this.scalar.length ? this.scalar : this.scalar.slice(0, shown));
    }
    return ABSENT;
  }

  /** The length of the open number's longest whole prefix, the part a snapshot shows (0 for `-`). */
  private shownNumberLength(): number {
    return this.scalar.length - unfinishedTailLength(this.numberState);
  }

  private readStructure(chunk: string, start: number): number {
    let i = start;
    let code = chunk.charCodeAt(i);
    while (isWhitespace(code)) {
      if (++i === chunk.length) return i;
      code = chunk.charCodeAt(i);
    }
    const top = this.stack[this.stack.length - 1];
    switch (this.mode) {
      case 'value':
        return this.startValue(chunk, i);
      case 'key':
        if (code === QUOTE) return this.startString(true, i);
        if (code === CLOSE_BRACE && this.closeAllowed) return this.close(i);
        break;
      case 'colon':
        if (code === COLON) {
          this.mode = 'value';
          this.closeAllowed = false;
          return i + 1;
        }
        break;
      case 'after':
        if (top === undefined) break;
        if (code === COMMA) {
          this.mode = top.kind === 'array' ? 'value' : 'key';
          this.closeAllowed = false;
          return i + 1;
        }
        if (code === (top.kind === 'array' ? CLOSE_BRACKET : CLOSE_BRACE)) return this.close(i);
        break;
    }
    return this.unexpected(code, i);
  }

  private startValue(chunk: string, i: number): number {
    const code = chunk.charCodeAt(i);
    if (code === QUOTE) return this.startString(false, i);
    if (code === OPEN_BRACE || code === OPEN_BRACKET) {
      this.stack.push(
        code === OPEN_BRACE ? { kind: 'object', done: {}, key: '' } : { kind: 'array', done: [SPARE] },
      );
      this.mode = code === OPEN_BRACE ? 'key' : 'value';
      this.closeAllowed = true;
      this.stale = true;
      return i + 1;
    }
    if (code === CLOSE_BRACKET && this.closeAllowed) return this.close(i);
    const literal = LITERALS[code];
    if (literal !== undefined) {
      this.mode = 'literal';
      this.literal = literal;
      this.literalIndex = 1;
      return i + 1;
    }
    const numberState = startNumber(code);
    if (numberState !== undefined) {
      this.mode = 'number';
      this.numberState = numberState;
      this.scalar = chunk.charAt(i);
      // A lone "-" shows nothing yet: the snapshot stays the same object.
      if (isWholeNumber(numberState)) this.stale = true;
      return i + 1;
    }
    return this.unexpected(code, i);
  }

  private startString(isKey: boolean, i: number): number {
    this.mode = 'string';
    this.isKey = isKey;
    this.scalar = '';
    this.heldSurrogate = '';
    this.escape = NO_ESCAPE;
    if (!isKey) this.stale = true;
    return i + 1;
  }

  private readString(chunk: string, start: number): number {
    let i = start;
    let runStart = start;
    while (i < chunk.length) {
      const code = chunk.charCodeAt(i);
      if (this.escape !== NO_ESCAPE) {
        if (!this.readEscape(code, i)) return i;
        runStart = ++i;
      } else if (code === QUOTE) {
        this.appendRun(chunk, runStart, i);
        this.endString();
        return i + 1;
      } else if (code === BACKSLASH) {
        this.appendRun(chunk, runStart, i);
        this.escape = AFTER_BACKSLASH;
        runStart = ++i;
      } else if (code < 0x20) {
        this.appendRun(chunk, runStart, i);
        return this.fail(`Unescaped control character ${describe(code)} in a string`, i);
      } else {
        i++;
      }
    }
    this.appendRun(chunk, runStart, i);
    return i;
  }

  /** Reads one character of an escape sequence; false (and a recorded error) if it is invalid. */
  private readEscape(code: number, i: number): boolean {
    if (this.escape === AFTER_BACKSLASH) {
      if (code === LOWER_U) {
        this.escape = 1;
        this.escapeCode = 0;
        return true;
      }
      const decoded = SIMPLE_ESCAPES[code];
      if (decoded === undefined) {
        this.fail(`Invalid escape "\\${String.fromCharCode(code)}" in a string`, i);
        return false;
      }
      this.escape = NO_ESCAPE;
      this.appendUnit(decoded.charCodeAt(0));
      return true;
    }
    const digit = hexValue(code);
    if (digit < 0) {
      this.fail(`Unexpected ${describe(code)} in a "\\u" escape, expected a hex digit`, i);
      return false;
    }
    this.escapeCode = this.escapeCode * 16 + digit;
    if (this.escape < 4) {
      this.escape++;
    } else {
      this.escape = NO_ESCAPE;
      this.appendUnit(this.escapeCode);
    }
    return true;
  }

  /** Appends `chunk[start, end)` to the open string, holding back a trailing high surrogate. */
  private appendRun(chunk: string, start: number, end: number): void {
    if (start === end) return;
    if (isHighSurrogate(chunk.charCodeAt(end - 1))) {
      this.scalar += this.heldSurrogate + chunk.slice(start, end - 1);
      this.heldSurrogate = chunk.charAt(end - 1);
    } else {
      this.scalar += this.heldSurrogate + chunk.slice(start, end);
      this.heldSurrogate = '';
    }
    if (!this.isKey) this.stale = true;
  }

  /** Appends one decoded UTF-16 code unit to the open string, holding back a high surrogate. */
  private appendUnit(code: number): void {
    const unit = String.fromCharCode(code);
    if (isHighSurrogate(code)) {
      this.scalar += this.heldSurrogate;
      this.heldSurrogate = unit;
    } else {
      this.scalar += this.heldSurrogate + unit;
      this.heldSurrogate = '';
    }
    if (!this.isKey) this.stale = true;
  }

  private endString(): void {
    const value = this.scalar + this.heldSurrogate;
    this.heldSurrogate = '';
    const top = this.stack[this.stack.length - 1];
    if (this.isKey && top?.kind === 'object') {
      top.key = value;
      this.scalar = '';
      this.mode = 'colon';
    } else {
      this.complete(value);
    }
  }

  private readNumber(chunk: string, start: number): number {
    const shownBefore = this.shownNumberLength();
    let state = this.numberState;
    let i = start;
    for (; i < chunk.length; i++) {
      const next = stepNumber(state, chunk.charCodeAt(i));
      if (next === NUMBER_END) break;
      if (next === NUMBER_INVALID) {
        this.numberState = state;
        this.scalar += chunk.slice(start, i);
        return this.unexpected(chunk.charCodeAt(i), i);
      }
      state = next;
    }
    this.numberState = state;
    if (i > start) {
      this.scalar += chunk.slice(start, i);
      // "21" then "." shows 21 still: the snapshot stays the same object.
      if (this.shownNumberLength() !== shownBefore) this.stale = true;
    }
    if (i < chunk.length) this.complete(Number(this.scalar));
    return i;
  }

  private readLiteral(chunk: string, start: number): number {
    const [word, value] = this.literal;
    let i = start;
    while (i < chunk.length && this.literalIndex < word.length) {
      const code = chunk.charCodeAt(i);
      if (code !== word.charCodeAt(this.literalIndex)) return this.unexpected(code, i);
      i++;
      this.literalIndex++;
    }
    if (this.literalIndex === word.length) this.complete(value);
    return i;
  }

  private close(i: number): number {
    const frame = this.stack.pop() as Frame;
    if (frame.kind === 'array') frame.done.pop();
    // Finished, it is shared by every snapshot from now on: frozen (its children were, when they closed).
    this.complete(freezeValue(frame.done));
    return i + 1;
  }

  /** Stores a finished value in its container (or as the result) and expects what follows it. */
  private complete(value: unknown): void {
    const top = this.stack[this.stack.length - 1];
    if (top === undefined) this.root = { value };
    else if (top.kind === 'array') {
      top.done[top.done.length - 1] = value;
      top.done.push(SPARE);
    } else defineEntry(top.done, top.key, value);
    this.scalar = '';
    this.mode = 'after';
    this.stale = true;
  }

  private unexpected(code: number, i: number): number {
    return this.fail(`Unexpected ${describe(code)}, expected ${this.expectation()}`, i);
  }

  private fail(reason: string, i: number): number {
    this.failure = new PartialJsonSyntaxError(reason, this.chunkOffset + i, this.rawText);
    return i;
  }

  private expectation(): string {
    const top = this.stack[this.stack.length - 1];
    switch (this.mode) {
      case 'value':
        return this.closeAllowed ? 'a value or "]"' : 'a value';
      case 'key':
        return this.closeAllowed ? 'a string key or "}"' : 'a string key';
      case 'colon':
        return '":"';
      case 'after':
        return top === undefined ? 'nothing after the value' : `"," or "${top.kind === 'array' ? ']' : '}'}"`;
      case 'string':
        return this.escape === NO_ESCAPE ? 'the end of the string' : 'the end of an escape sequence';
      case 'number':
        return isWholeNumber(this.numberState) ? 'a digit, ",", "]" or "}"' : 'a digit';
      case 'literal':
        return `"${this.literal[0]}"`;
    }
  }
}

/**
 * A snapshot of an open array: its finished children, then `child` unless it is `ABSENT`. One
 * `slice()` of the array with its spare slot, so the copy is made once and never regrown.
 */
function copyOpenArray(done: readonly unknown[], child: unknown): unknown[] {
  const copy = done.slice();
  if (child === ABSENT) copy.pop();
  else copy[copy.length - 1] = child;
  return copy;
}

/** Sets an own enumerable property, as `JSON.parse` does, even for the key `__proto__`. */
function defineEntry(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') {
    Object.defineProperty(target, key, { value, writable: true, enumerable: true, configurable: true });
  } else {
    target[key] = value;
  }
}

function isWhitespace(code: number): boolean {
  return code === 0x20 || code === 0x0a || code === 0x0d || code === 0x09;
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}


function describe(code: number): string {
  return code < 0x20 || code === 0x7f
    ? `U+${code.toString(16).toUpperCase().padStart(4, '0')}`
    : `"${String.fromCharCode(code)}"`;
}
