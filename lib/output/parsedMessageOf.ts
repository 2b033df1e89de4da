import { deepFreeze, freezeValue } from '../accumulate/freezeValue';
import { JsonPrefixValidator } from '../accumulate/partialJson/JsonPrefixValidator';
import type { Message } from '../schema';
import { outputParseErrorOf } from './parseOutputText';
import type { ParsedMessage } from './ParsedMessage';

/** Stop reasons after which the text is not a finished output: there is nothing to parse. */
const NO_OUTPUT = new Set(['refusal', 'tool_use', 'pause_turn']);
/** Stop reasons that cut the text off: unfinished JSON then means no output (or `OutputTruncatedError`), not a parse error. */
export const TRUNCATED_STOP_REASONS: ReadonlySet<string> = new Set(['max_tokens', 'model_context_window_exceeded']);

type Block = { readonly type: string; readonly text?: unknown };

/**
 * How an output's parsed JSON becomes its value: the codec's check of a format made by
 * `outputFormat`, which throws `OutputValidationError`, or the JSON as it is for a plain JSON
 * Schema format. A function rather than the codec, so that the client's plain path carries no
 * decoding code.
 */
export type ReadOutput<T> = (raw: string, value: unknown) => T;

/**
 * The message with `parsed_output`: its text blocks' text, joined, parsed with `JSON.parse` and
 * read by `read` (`null` without a format).
 *
 * `parsed_output` is `null` when there is no output to read: no text block, a `refusal`, a
 * `tool_use` or `pause_turn` turn (in a tool loop only the last turn is the output), or text cut
 * unfinished by `max_tokens`. The message is a new object; the first text block is replaced by a
 * copy with a non-enumerable `parsed_output` (the official SDKs' place for it), other blocks are
 * shared. The message, its content, the copy and the output (its plain objects and arrays) are
 * frozen.
 *
 * @param message The finished message.
 * @param read How the parsed JSON becomes the value; `null` when the request has no format.
 * @return The message with `parsed_output`.
 * @throws OutputParseError when a finished message's text is not JSON.
 * @throws OutputValidationError when `read` refuses it.
 */
export function parsedMessageOf<T>(message: Message, read: ReadOutput<T> | null): ParsedMessage<T> {
  // A message from the accumulator is frozen already; one `parse()` decoded from a response, here.
  deepFreeze(message);
  const content = message.content as readonly Block[];
  const first = content.findIndex((block) => block.type === 'text');
  const output = read === null || first < 0 ? null : outputOf(message, content, read);
  const blocks = first < 0 ? content : freezeValue(content.map((block, index) => (index === first ? withParsedOutput(block, output) : block)));
  return freezeValue({ ...message, content: blocks as Message['content'], parsed_output: output });
}

function outputOf<T>(message: Message, content: readonly Block[], read: ReadOutput<T>): T | null {
  const stopReason = message.stop_reason ?? null;
  if (stopReason !== null && NO_OUTPUT.has(stopReason)) return null;
  const text = content
    .filter((block) => block.type === 'text')
    .map((block) => String(block.text))
    .join('');
  let value: unknown;
  try {
    value = JSON.parse(text) as unknown;
  } catch {
    // Text cut off while it was still JSON as far as it went; any other text is a parse error like any other.
    if (stopReason !== null && TRUNCATED_STOP_REASONS.has(stopReason) && new JsonPrefixValidator().push(text)) return null;
    throw outputParseErrorOf(text);
  }
  return deepFreeze(read(text, value));
}

function withParsedOutput(block: Block, output: unknown): Block {
  return freezeValue(Object.defineProperty({ ...block }, 'parsed_output', { value: output, enumerable: false, writable: true, configurable: true }));
}
