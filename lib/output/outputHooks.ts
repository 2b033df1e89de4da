import type { MonoTypeOperatorFunction } from 'rxjs';
import type { Message, RawMessageStreamEvent } from '../schema';
import type { ParsedMessage } from './ParsedMessage';

/**
 * What the client does for a request whose format was made by `outputFormat`: carried by the
 * format itself, so that the client reaches the output machinery only through a format that
 * brought it, and an app that never makes one does not bundle it.
 */
export interface OutputHooks<T = unknown> {
  /** What `messages.stream()` pipes the raw events through: each `message_start` carries how the finished message gets `parsed_output`. */
  readonly attachParsedOutput: MonoTypeOperatorFunction<RawMessageStreamEvent>;
  /** What `messages.parse()` makes of the finished message. */
  parsedMessageOf(message: Message): ParsedMessage<T>;
}

/** Where a format keeps its hooks: a symbol, not enumerable, so `JSON.stringify`, spread and `toEqual` leave them out. */
export const OUTPUT_HOOKS: unique symbol = Symbol('rx-anthropic output hooks');

/**
 * The hooks a format carries, if it was made by `outputFormat` (a plain `{ type, schema }`, or
 * anything else, has none).
 *
 * @param format The `output_config.format` of a request, as the caller passed it.
 * @return Its hooks, or `undefined`.
 */
export function outputHooksOf(format: unknown): OutputHooks | undefined {
  return typeof format === 'object' && format !== null ? (format as { readonly [OUTPUT_HOOKS]?: OutputHooks })[OUTPUT_HOOKS] : undefined;
}
