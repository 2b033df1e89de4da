import { InvalidArgumentError } from '../errors';
import { kindOfValue } from '../transport/kindOfValue';

/**
 * Throws unless the params of a request are an object (not `null`, not an array).
 *
 * That is all the client checks of them: which fields a request needs and what they may hold is
 * the API's to say (it answers `BadRequestError` naming the field), and a field added to the API
 * must work without a new release of this library. A value that is not an object at all cannot
 * be a request, though: `JSON.stringify` would send `null`, a string or an array, or, for
 * `stream()`, an object made of a string's characters.
 *
 * ## Example
 * ```ts
 * defer(() => {
 *   assertParamsObject(params, 'messages.stream'); // InvalidArgumentError for null, 'Hi', [ … ]
 *   return send(params);
 * });
 * ```
 *
 * @param params What the caller passed.
 * @param method The method it was passed to, for the message (`messages.stream`).
 * @throws InvalidArgumentError (argument `params`) when `params` is not an object.
 */
export function assertParamsObject(params: unknown, method: string): asserts params is object {
  if (typeof params === 'object' && params !== null && !Array.isArray(params)) return;
  throw new InvalidArgumentError(
    'params',
    `client.${method}() takes the request params as an object ({ model, max_tokens, messages, … }), not ${kindOfValue(params)}; nothing was sent.`,
  );
}
