import { map, pipe, type OperatorFunction } from 'rxjs';
import { AnthropicError } from '../errors';
import type { Message, RawMessageStreamEvent } from '../schema';
import { finalMessage } from './finalMessage';
import type { StreamEventLike } from './MessageStreamEvent';

/**
 * Emits the text of the finished message once, when the stream completes (the SDKs'
 * `get_final_text()`): its text blocks joined with no separator, as the Python SDK does
 * (the TS SDK joins them with a space).
 *
 * Fails with `IncompleteStreamError` like {@link finalMessage}, and with an `AnthropicError`
 * when the message has no text block at all (a tool-use-only turn, a refusal without text).
 *
 * ## Example
 * ```ts
 * client.messages.stream(params).pipe(finalText()).subscribe(console.log);
 * ```
 *
 * @return An operator from raw (or `messageStreamEvents()`) events to the final text.
 * @see finalMessage
 * @see textDeltas
 */
export function finalText<E extends StreamEventLike = RawMessageStreamEvent>(): OperatorFunction<E, string> {
  return pipe(finalMessage<E>(), map(textOf));
}

function textOf(message: Message): string {
  const texts = (message.content as ReadonlyArray<{ type: string; text?: unknown }>)
    .filter((block) => block.type === 'text')
    .map((block) => String(block.text));
  if (texts.length === 0) {
    const types = message.content.map((block) => block.type).join(', ') || 'none';
    throw new AnthropicError(`The final message has no text block (content blocks: ${types}; stop_reason: ${message.stop_reason ?? 'none'}).`);
  }
  return texts.join('');
}
