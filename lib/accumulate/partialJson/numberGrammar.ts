import { DIGIT_0, DIGIT_9 } from './jsonCharCodes';

/**
 * The JSON number grammar, `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`, as a state machine
 * fed one character code at a time, so a number split across chunks is checked without
 * re-reading what came before.
 */
export type NumberState =
  | 'minus' // "-"
  | 'zero' // "0", "-0"
  | 'integer' // "12"
  | 'dot' // "1."
  | 'fraction' // "1.5"
  | 'exponentMark' // "1e"
  | 'exponentSign' // "1e-"
  | 'exponent'; // "1e5"

/** The character ends the number (it belongs to whatever follows). */
export const NUMBER_END = 'end';
/** The character cannot follow what was read (`01`, `1.e`, `-x`, `1e}`). */
export const NUMBER_INVALID = 'invalid';

const MINUS = 0x2d;
const PLUS = 0x2b;
const DOT = 0x2e;
const LOWER_E = 0x65;
const UPPER_E = 0x45;

/** The state after the first character of a number, or `undefined` if `code` cannot start one. */
export function startNumber(code: number): NumberState | undefined {
  if (code === MINUS) return 'minus';
  if (code === DIGIT_0) return 'zero';
  if (code > DIGIT_0 && code <= DIGIT_9) return 'integer';
  return undefined;
}

/** The state after reading `code` in `state`. */
export function stepNumber(
  state: NumberState,
  code: number,
): NumberState | typeof NUMBER_END | typeof NUMBER_INVALID {
  const digit = code >= DIGIT_0 && code <= DIGIT_9;
  const exponentMark = code === LOWER_E || code === UPPER_E;
  switch (state) {
    case 'minus':
      return code === DIGIT_0 ? 'zero' : digit ? 'integer' : NUMBER_INVALID;
    case 'zero':
      return digit ? NUMBER_INVALID : code === DOT ? 'dot' : exponentMark ? 'exponentMark' : NUMBER_END;
    case 'integer':
      return digit ? 'integer' : code === DOT ? 'dot' : exponentMark ? 'exponentMark' : NUMBER_END;
    case 'dot':
      return digit ? 'fraction' : NUMBER_INVALID;
    case 'fraction':
      return digit ? 'fraction' : exponentMark ? 'exponentMark' : NUMBER_END;
    case 'exponentMark':
      return digit ? 'exponent' : code === PLUS || code === MINUS ? 'exponentSign' : NUMBER_INVALID;
    case 'exponentSign':
      return digit ? 'exponent' : NUMBER_INVALID;
    case 'exponent':
      return digit ? 'exponent' : NUMBER_END;
  }
}

/** Whether the text read so far is a whole JSON number (`12`, `1.5`, `1e5`; not `-`, `1.`, `1e-`). */
export function isWholeNumber(state: NumberState): boolean {
  return state === 'zero' || state === 'integer' || state === 'fraction' || state === 'exponent';
}

/**
 * How many characters at the end of the text read so far come after its longest whole-number
 * prefix: 1 for `-`, `21.` and `2e`, 2 for `2e-` and `2E+`, 0 for a whole number. The rest is the
 * number as far as it is known (`21`, `2`), and it only ever grows: each state that is not whole
 * is a whole one followed by one or two characters, or the lone `-`.
 *
 * ## Example
 * ```ts
 * const text = '21.5e-';
 * text.slice(0, text.length - unfinishedTailLength('exponentSign')); // '21.5'
 * ```
 */
export function unfinishedTailLength(state: NumberState): number {
  switch (state) {
    case 'exponentSign':
      return 2;
    case 'minus':
    case 'dot':
    case 'exponentMark':
      return 1;
    default:
      return 0;
  }
}
