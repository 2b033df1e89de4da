/** How many characters of input the message shows on each side of the error. */
const EXCERPT_BEFORE = 24;
const EXCERPT_AFTER = 16;

/**
 * Thrown by {@link PartialJsonParser.finish} when the text pushed is not one valid JSON value,
 * and by a tool input's buffer at the chunk after which its text is no longer the beginning of one.
 *
 * `position` is the offset (in UTF-16 code units) of the offending character in the whole text,
 * or the text's length when the input ended too early. The message quotes a short excerpt
 * around that position, so a log line is enough to see what the model sent.
 *
 * ## Example
 *
 * ```ts
 * const parser = new PartialJsonParser();
 * parser.push('{"a": tru');
 * parser.push('x}');
 * try {
 *   parser.finish();
 * } catch (error) {
 *   if (error instanceof PartialJsonSyntaxError) console.log(error.position); // 9
 * }
 * ```
 */
export class PartialJsonSyntaxError extends SyntaxError {
  override readonly name = 'PartialJsonSyntaxError';

  /**
   * @param reason What is wrong, e.g. `Unexpected "x" (expected "e")`.
   * @param position Offset of the offending character in `text`, or `text.length` at end of input.
   * @param text The text pushed so far; only an excerpt of it is kept, in the message.
   */
  constructor(
    readonly reason: string,
    readonly position: number,
    text: string,
  ) {
    super(`${reason} at position ${position} of the JSON text, near ${excerpt(text, position)}`);
  }
}

/** `…"key": ▶x}` — the text around `position`, with a marker before the offending character. */
function excerpt(text: string, position: number): string {
  const start = Math.max(0, position - EXCERPT_BEFORE);
  const end = Math.min(text.length, position + EXCERPT_AFTER);
  const shown = `${text.slice(start, position)}▶${text.slice(position, end)}`.replace(
    /[\n\r\t]/g,
    (c) => (c === '\n' ? '\\n' : c === '\r' ? '\\r' : '\\t'),
  );
  return `${start > 0 ? '…' : ''}${shown}${end < text.length ? '…' : ''}`;
}
