import type * as t from 'io-ts';
import { StreamDecodeError } from '../errors';
import { describeValidationErrors } from '../schema/describeValidationErrors';

/**
 * `value` decoded by `codec`, or a `StreamDecodeError` saying that the API's answer to `what` is
 * not a `codec.name`, with the path of the first field that is wrong and the value as JSON.
 */
export function decodeResponse<C extends t.Mixed>(codec: C, value: unknown, what: string): t.TypeOf<C> {
  const decoded = codec.decode(value);
  if (decoded._tag === 'Left') {
    const failure = describeValidationErrors(decoded.left);
    throw new StreamDecodeError(`${what} answered something that is not a ${codec.name}: ${failure.reason}`, {
      path: failure.path,
      data: JSON.stringify(value) ?? String(value),
    });
  }
  return decoded.right as t.TypeOf<C>;
}
