import type * as t from 'io-ts';
import { describeValidationErrors } from '../schema/describeValidationErrors';
import { MessageCountTokensParams, MessageCreateParams } from '../schema/params';

/** The request codec of each endpoint whose body the mock checks, by `METHOD /path`. */
const bodyCodecs: Readonly<Record<string, t.Decoder<unknown, unknown>>> = {
  'POST /v1/messages': MessageCreateParams,
  'POST /v1/messages/count_tokens': MessageCountTokensParams,
};

/**
 * Why the API would refuse this request's body, as the message of its 400
 * `invalid_request_error`; `undefined` when the body is acceptable or the route has no body to check.
 *
 * A body that is not a JSON object is always refused. With `validate`, the body of
 * `POST /v1/messages` is decoded with `MessageCreateParams` and that of `count_tokens` with
 * `MessageCountTokensParams`: strict where the API is (`model` a string, `max_tokens` an
 * integer, `messages` an array of `{ role, content }`, each known block type with its fields),
 * and open where it is open to growth (unknown fields, block types and tool types pass). The
 * message starts with the path of the field, in the API's manner: `messages: Field required`,
 * `max_tokens: expected integer, got "1024" (a string)`, `messages.0.role: …`.
 *
 * ## Example
 * ```ts
 * requestRefusal('POST /v1/messages', { model: 'm', messages: [] }, true); // 'max_tokens: Field required'
 * requestRefusal('POST /v1/messages', { model: 'm', max_tokens: 8, messages: [] }, true); // undefined
 * ```
 *
 * @param route `METHOD /path` of the request.
 * @param body The body parsed as JSON (or its text, or `undefined`).
 * @param validate Whether to check the fields too (the mock's `validateRequests`), or only that the body is an object.
 * @return The refusal message, or `undefined`.
 */
export function requestRefusal(route: string, body: unknown, validate: boolean): string | undefined {
  const codec = bodyCodecs[route];
  if (codec === undefined) return undefined;
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return 'The request body is not a JSON object.';
  if (!validate) return undefined;
  const result = codec.decode(body);
  if (result._tag === 'Right') return undefined;
  const failure = describeValidationErrors(result.left);
  const where = failure.path === '' ? 'body' : failure.path;
  return `${where}: ${failure.actual === undefined ? 'Field required' : failure.reason}`;
}
