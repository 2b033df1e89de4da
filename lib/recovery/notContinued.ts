import type { AnthropicError } from '../errors';

/**
 * The drop that `continueOnDrop` could not go on from, its message saying why and, when the
 * reason is a later failure (the continuation refused), its `cause` that failure. It is the error
 * the consumer would have got without `continueOnDrop`, so its class (`APIConnectionError`,
 * `APITimeoutError`) and what code tests on it stay the same.
 *
 * ## Example
 * ```ts
 * notContinued(new APIConnectionError('Connection error: terminated.'), 'the stream was cut inside a tool_use input');
 * // message: 'Connection error: terminated. The stream was not continued: the stream was cut inside a tool_use input.'
 * ```
 *
 * @param drop The drop, changed in place (its message and stack).
 * @param reason Why it was not continued, a clause without a final full stop.
 * @param cause The failure that stopped the continuation, if any.
 * @return `drop`.
 */
export function notContinued<E extends AnthropicError>(drop: E, reason: string, cause?: unknown): E {
  const before = drop.message;
  drop.message = `${before} The stream was not continued: ${reason}.`;
  if (typeof drop.stack === 'string') drop.stack = drop.stack.replace(before, drop.message);
  if (cause !== undefined) Object.defineProperty(drop, 'cause', { value: cause, enumerable: false, writable: true, configurable: true });
  return drop;
}
