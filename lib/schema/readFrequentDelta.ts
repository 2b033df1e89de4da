import { BACKSLASH, CLOSE_BRACE, DIGIT_0, DIGIT_9, LOWER_U, QUOTE } from '../accumulate/partialJson/jsonCharCodes';
import { hexValue, SIMPLE_ESCAPES } from '../accumulate/partialJson/jsonEscapes';
import type { RawContentBlockDeltaEvent } from './streamEvents';

const PREFIX = '{"type":"content_block_delta","index":';
const SUFFIX = '"}}';
/**
 * Below this length V8's `slice` copies the characters; from it on, it makes a view that keeps
 * the whole string it was cut from (`SlicedString::kMinLength`).
 */
const COPIED_BELOW = 13;
/** Digits of an index read here at most (beyond, `JSON.parse` reads it). */
const MAX_INDEX_DIGITS = 9;

const LOWER_T = 0x74;
const LOWER_I = 0x69;

/** What follows the index for each delta read here, up to the opening quote of its string. */
const TEXT_HEAD = ',"delta":{"type":"text_delta","text":"';
const INPUT_JSON_HEAD = ',"delta":{"type":"input_json_delta","partial_json":"';
const THINKING_HEAD = ',"delta":{"type":"thinking_delta","thinking":"';
/** Where the delta's type begins in each head. */
const TYPE_OFFSET = ',"delta":{"type":"'.length;

/**
 * Reads the data of the three deltas that are nearly every event of a stream (`text_delta`,
 * `input_json_delta`, `thinking_delta`) when it is written exactly as the API writes it:
 * `{"type":"content_block_delta","index":N,"delta":{"type":"text_delta","text":"…"}}`, with no
 * space and no other field. Anything else (spaces, another field, another order, a bad escape, a
 * raw control character) gives `undefined`, and the caller parses the data with `JSON.parse` as
 * before, with its errors. When it gives an event, that event equals what `JSON.parse` gives for
 * the same data, its keys in the same order.
 *
 * Hand-written because `JSON.parse` builds each object through the engine's generic path (new
 * hidden classes found by transition, every string decoded as any JSON string), which is most of
 * what decoding a stream costs; an object literal of a fixed shape and one pass over the string
 * cost about a quarter as much on text deltas and a third on tool input (figures in
 * `bench/NOTES.md`). The objects' fixed shape also keeps the operators after it monomorphic.
 *
 * ## Example
 *
 * ```ts
 * readFrequentDelta('{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Hi \\"you\\""}}');
 * // { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'Hi "you"' } }
 * readFrequentDelta('{"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta", "text": "Hi"}}');
 * // undefined: spaced, so JSON.parse reads it
 * ```
 *
 * @param data The data of a server-sent event.
 * @return The event, or `undefined` when the data is not written in that exact form.
 */
export function readFrequentDelta(data: string): RawContentBlockDeltaEvent | undefined {
  // lastIndexOf(…, at) === at is a startsWith(…, at) that V8 runs as one memory comparison.
  if (data.lastIndexOf(PREFIX, 0) !== 0) return undefined;
  const length = data.length;
  const end = length - SUFFIX.length;
  if (data.charCodeAt(end) !== QUOTE || data.charCodeAt(end + 1) !== CLOSE_BRACE || data.charCodeAt(end + 2) !== CLOSE_BRACE) return undefined;
  const digits = PREFIX.length;
  let at = digits;
  let index = 0;
  for (; at < length && at - digits <= MAX_INDEX_DIGITS; at++) {
    const code = data.charCodeAt(at);
    if (code < DIGIT_0 || code > DIGIT_9) break;
    index = index * 10 + (code - DIGIT_0);
  }
  const count = at - digits;
  // JSON has no leading zeros; longer indexes are left to JSON.parse.
  if (count === 0 || count > MAX_INDEX_DIGITS || (count > 1 && data.charCodeAt(digits) === DIGIT_0)) return undefined;
  // The delta's type begins at the same offset in the three heads: its first letter picks the head to compare.
  switch (data.charCodeAt(at + TYPE_OFFSET)) {
    case LOWER_T: {
      if (data.lastIndexOf(TEXT_HEAD, at) === at) {
        const text = readString(data, at + TEXT_HEAD.length, end);
        return text === undefined ? undefined : { type: 'content_block_delta', index, delta: { type: 'text_delta', text } };
      }
      if (data.lastIndexOf(THINKING_HEAD, at) === at) {
        const thinking = readString(data, at + THINKING_HEAD.length, end);
        return thinking === undefined ? undefined : { type: 'content_block_delta', index, delta: { type: 'thinking_delta', thinking } };
      }
      return undefined;
    }
    case LOWER_I: {
      if (data.lastIndexOf(INPUT_JSON_HEAD, at) !== at) return undefined;
      const partialJson = readString(data, at + INPUT_JSON_HEAD.length, end);
      return partialJson === undefined ? undefined : { type: 'content_block_delta', index, delta: { type: 'input_json_delta', partial_json: partialJson } };
    }
    default:
      return undefined;
  }
}

/**
 * The value of the JSON string whose characters (between its quotes) are `data[start, end)`, or
 * `undefined` when they are not exactly one string's: a quote or control character left
 * unescaped, an escape JSON does not have, an escape cut by the end.
 */
function readString(data: string, start: number, end: number): string | undefined {
  if (start > end) return undefined;
  if (end - start >= COPIED_BELOW) {
    // A piece this long comes back from `slice` as a view of `data`, itself a view of the whole
    // chunk of the stream it came in: a text built of such pieces would keep every chunk alive
    // (49 KB per stream on the benchmark's concurrent streams). `JSON.parse` copies.
    try {
      const value: unknown = JSON.parse(data.slice(start - 1, end + 1));
      return typeof value === 'string' ? value : undefined;
    } catch {
      return undefined;
    }
  }
  let value = '';
  let run = start;
  for (let i = start; i < end; i++) {
    const code = data.charCodeAt(i);
    if (code === BACKSLASH) {
      if (i + 1 >= end) return undefined;
      value += data.slice(run, i);
      const escaped = data.charCodeAt(i + 1);
      if (escaped === LOWER_U) {
        const unit = hexUnit(data, i + 2, end);
        if (unit < 0) return undefined;
        value += String.fromCharCode(unit);
        i += 5;
      } else {
        const simple = SIMPLE_ESCAPES[escaped];
        if (simple === undefined) return undefined;
        value += simple;
        i += 1;
      }
      run = i + 1;
    } else if (code === QUOTE || code < 0x20) {
      return undefined;
    }
  }
  return run === start ? data.slice(start, end) : value + data.slice(run, end);
}

/** The code unit of the four hex digits at `data[at, at + 4)`, or -1 if they are not four hex digits before `end`. */
function hexUnit(data: string, at: number, end: number): number {
  if (at + 4 > end) return -1;
  let unit = 0;
  for (let i = at; i < at + 4; i++) {
    const digit = hexValue(data.charCodeAt(i));
    if (digit < 0) return -1;
    unit = unit * 16 + digit;
  }
  return unit;
}
