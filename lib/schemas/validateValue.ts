import type { StandardSchemaV1 } from '@standard-schema/spec';
import type * as t from 'io-ts';
import { describeInputErrors } from './describeInputErrors';
import { describeStandardIssues } from './describeStandardIssues';
import type { InputFailure } from './InputFailure';
import { isStandardSchema } from './isStandardSchema';

/**
 * The outcome of {@link validateValue}: the value as the schema gives it back, or why it was refused.
 *
 * ## Example
 * ```ts
 * const outcome: Validation<{ city: string }> = { ok: false, failures: [] };
 * ```
 */
export type Validation<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly failures: readonly InputFailure[] };

/**
 * Validates a value with an io-ts codec (`decode`, failures from {@link describeInputErrors})
 * or a Standard Schema (`~standard.validate`, failures from {@link describeStandardIssues}).
 *
 * A codec answers at once. A Standard Schema may answer with a Promise (async refinements);
 * then so does this, and whoever calls decides whether it can wait (the tool loop does) or must
 * refuse it (structured outputs are read synchronously). Exceptions thrown by the schema itself
 * are not caught. A frozen value is given to a Standard Schema as a copy (`structuredClone`), so
 * that a library that transforms in place (ArkType's morphs) can.
 *
 * @param schema The codec or Standard Schema.
 * @param value The value to check.
 * @return The outcome, or a Promise of it when the Standard Schema validates asynchronously.
 */
export function validateValue<T>(schema: t.Decoder<unknown, T> | StandardSchemaV1<unknown, T>, value: unknown): Validation<T> | Promise<Validation<T>> {
  if (isStandardSchema(schema)) {
    // A library may write to the value it validates (ArkType's morphs do, in place): a frozen
    // value (the library's snapshots and tool inputs are, outside production) goes in as a copy.
    const given = typeof value === 'object' && value !== null && Object.isFrozen(value) ? structuredClone(value) : value;
    const result = (schema as StandardSchemaV1<unknown, T>)['~standard'].validate(given);
    return isPromiseLike(result) ? Promise.resolve(result).then((settled) => fromStandard(settled, value)) : fromStandard(result, value);
  }
  const result = (schema as t.Decoder<unknown, T>).decode(value);
  return result._tag === 'Right' ? { ok: true, value: result.right } : { ok: false, failures: describeInputErrors(result.left) };
}

function fromStandard<T>(result: StandardSchemaV1.Result<T>, value: unknown): Validation<T> {
  // The spec: a falsy `issues` means success.
  return result.issues ? { ok: false, failures: describeStandardIssues(result.issues, value) } : { ok: true, value: result.value };
}

/**
 * Whether a value is a Promise or another thenable.
 *
 * @param value Anything.
 * @return Whether it has a `then` method.
 */
export function isPromiseLike<T>(value: unknown): value is PromiseLike<T> {
  return (typeof value === 'object' || typeof value === 'function') && value !== null && typeof (value as { then?: unknown }).then === 'function';
}
