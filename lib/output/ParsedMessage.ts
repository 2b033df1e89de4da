import type { Message, TextBlock } from '../schema';

/**
 * A `Message` with its structured output: `parsed_output` is the text decoded by the request's
 * output format, or `null` when there is no output to read (no format, no text, a refusal, a
 * `max_tokens` cut, a tool-use or paused turn; `stop_reason` says which).
 *
 * The text block the output came from has `parsed_output` too, as the official SDKs give it: not
 * enumerable, so sending `message.content` back in the next request sends no extra field (see
 * {@link ParsedTextBlock}).
 *
 * ## Example
 * ```ts
 * import * as t from 'io-ts';
 * import { outputFormat, type ParsedMessage } from 'rx-anthropic';
 *
 * const format = outputFormat(t.type({ city: t.string }));
 * client.messages.parse({ ...params, output_config: { format } }).subscribe((message: ParsedMessage<{ city: string }>) => {
 *   if (message.parsed_output !== null) console.log(message.parsed_output.city);
 *   else console.log('no output:', message.stop_reason);
 * });
 * ```
 *
 * @see ParsedTextBlock
 */
export type ParsedMessage<T> = Message & { parsed_output: T | null };

/**
 * A text block of a {@link ParsedMessage}, with the output it holds. `parsed_output` is not
 * enumerable, so the block can be sent back to the API as it is.
 *
 * ## Example
 * ```ts
 * const first = message.content.find((block): block is ParsedTextBlock<{ city: string }> => block.type === 'text');
 * console.log(first?.parsed_output?.city);
 * ```
 */
export type ParsedTextBlock<T> = TextBlock & { readonly parsed_output: T | null };
