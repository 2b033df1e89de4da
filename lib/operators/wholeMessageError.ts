import { InvalidArgumentError } from '../errors';

/**
 * The error of a whole `Message` (`type: 'message'`) that reached an operator, which takes the
 * events of a stream: from untyped code, the type error that TypeScript gives for it.
 *
 * Without it the operator would skip the message as an event it does not know, so `textDeltas()`
 * would complete with nothing and `finalText()` fail with an `IncompleteStreamError` that says
 * nothing of the cause. The operators check for it only on the branch of events they skip, so the
 * events they fold pay nothing.
 *
 * ## Example
 * ```ts
 * if (!folded && isWholeMessage(event)) return subscriber.error(wholeMessageError());
 * ```
 *
 * @return The error, saying what to use instead.
 */
export function wholeMessageError(): InvalidArgumentError {
  return new InvalidArgumentError(
    'source',
    "The stream operators (textDeltas(), finalMessage(), finalText(), …) take the events of a stream, and one got a whole message (type: 'message'): " +
      'client.messages.create() emits one Message when the reply is complete. Use client.messages.stream() for the events ' +
      '(or read the message as it is: its content, its text blocks).',
  );
}

/**
 * Whether a value an operator got is a whole message rather than an event of a stream.
 *
 * ## Example
 * ```ts
 * isWholeMessage({ type: 'message', role: 'assistant', content: [] }); // true
 * isWholeMessage({ type: 'message_stop' }); // false
 * ```
 */
export function isWholeMessage(value: unknown): boolean {
  return (value as { type?: unknown } | null)?.type === 'message';
}
