import { StreamDecodeError } from '../errors';
import { describeValidationErrors } from '../schema/describeValidationErrors';
import { MessageBatchIndividualResponse } from './messageBatch';

/**
 * The checker of the lines of one batch's results file, for `decodeJSONLines`: a line's value as
 * a `MessageBatchIndividualResponse`, every field of it checked by the codec, or a
 * `StreamDecodeError` naming the line number and the first field that is wrong.
 *
 * A value the codec accepts is returned as it is, after `is` alone: `is` builds nothing, where
 * `validate` builds a context per field, and on a results file of 200,000 lines that was most of
 * the time of `results()`. They accept the same values and `validate` returns its input unchanged
 * because no codec under `MessageBatchIndividualResponse` transforms
 * (`spec/client/batchResultCodecs.spec.ts`); `validate` runs only to describe a line refused.
 *
 * ## Example
 * ```ts
 * getBytes(config, path, options).pipe(decodeJSONLines(decodeBatchResultLine(batch.id)));
 * ```
 *
 * @param batchId The batch whose file it is, for the error message.
 * @return `(value, line) => MessageBatchIndividualResponse`, throwing a `StreamDecodeError`.
 */
export function decodeBatchResultLine(batchId: string): (value: unknown, line: number) => MessageBatchIndividualResponse {
  return (value, line) => {
    if (MessageBatchIndividualResponse.is(value)) return value;
    const decoded = MessageBatchIndividualResponse.decode(value);
    if (decoded._tag === 'Right') return decoded.right;
    const failure = describeValidationErrors(decoded.left);
    throw new StreamDecodeError(`line ${line} of the results file of the message batch ${batchId} is not a ${MessageBatchIndividualResponse.name}: ${failure.reason}`, {
      path: failure.path === '' ? `line ${line}` : `line ${line}, ${failure.path}`,
      data: JSON.stringify(value) ?? String(value),
    });
  };
}
