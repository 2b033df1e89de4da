/** The character codes the JSON readers (`PartialJsonParser`, `JsonPrefixValidator`, `numberGrammar`, `readFrequentDelta`) compare against. */

/** `escape` when no escape is open. */
export const NO_ESCAPE = -1;
/** `escape` after a backslash; 1 to 4 then count the `\u` hex digits expected next. */
export const AFTER_BACKSLASH = 0;

export const QUOTE = 0x22;
export const BACKSLASH = 0x5c;
export const COMMA = 0x2c;
export const COLON = 0x3a;
export const OPEN_BRACE = 0x7b;
export const CLOSE_BRACE = 0x7d;
export const OPEN_BRACKET = 0x5b;
export const CLOSE_BRACKET = 0x5d;
export const LOWER_U = 0x75;
export const DIGIT_0 = 0x30;
export const DIGIT_9 = 0x39;
