import type * as t from 'io-ts';

/**
 * One decode failure, described for a person: where, what was expected, what came.
 *
 * ## Example
 * ```ts
 * const result = Usage.decode({ input_tokens: '0', output_tokens: 1 });
 * if (isLeft(result)) {
 *   const failure: ValidationFailure = describeValidationErrors(result.left);
 *   console.log(failure.path, failure.reason); // 'input_tokens', 'expected number, got "0" (a string)'
 * }
 * ```
 */
export interface ValidationFailure {
  /** The dotted path from the decoded value's root (`message.usage.input_tokens`); `''` for the root. */
  readonly path: string;
  /** The name of the codec that rejected the value (`number`, `string | null`, `ContentBlock`). */
  readonly expected: string;
  /** The value found there, `undefined` when the field is missing. */
  readonly actual: unknown;
  /** `expected number, got "0" (a string)`. */
  readonly reason: string;
}

/** Codecs whose context entries are not a step into the value but a choice between members. */
const choiceTags = new Set(['UnionType', 'IntersectionType']);

/** Whether a context entry was added by a union or intersection choosing a member, not by a field. */
function isMemberEntry(parent: t.ContextEntry, entry: t.ContextEntry): boolean {
  const codec = parent.type as { _tag?: string; members?: Record<string, unknown> };
  if (codec._tag === 'OpenUnionType') {
    return codec.members !== undefined && Object.prototype.hasOwnProperty.call(codec.members, entry.key) && codec.members[entry.key] === entry.type;
  }
  return codec._tag !== undefined && choiceTags.has(codec._tag);
}

/** The entries of a context that are fields or indexes of the value, in order. */
function fieldEntries(context: t.Context): t.ContextEntry[] {
  const fields: t.ContextEntry[] = [];
  for (let i = 1; i < context.length; i++) {
    const entry = context[i] as t.ContextEntry;
    if (!isMemberEntry(context[i - 1] as t.ContextEntry, entry)) fields.push(entry);
  }
  return fields;
}

/**
 * Turns io-ts decode errors into one readable failure: the most specific one, with its path.
 *
 * io-ts reports every failed branch of every union; the error that got deepest into the value is
 * the one that names the real problem (`delta.text` rather than `delta`), so it is chosen, the
 * first of equals winning. The path counts fields and array indexes only, never the branches
 * that unions, intersections and {@link openUnion}s add to the context.
 *
 * ## Example
 * ```ts
 * const result = RawMessageStreamEvent.decode({ type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 42 } });
 * if (isLeft(result)) describeValidationErrors(result.left);
 * // { path: 'delta.text', expected: 'string', actual: 42, reason: 'expected string, got 42 (a number)' }
 * ```
 *
 * @param errors The non-empty `left` of a failed `decode`.
 * @return The failure to report.
 * @see decodeEvent
 */
export function describeValidationErrors(errors: t.Errors): ValidationFailure {
  let best: { error: t.ValidationError; fields: t.ContextEntry[] } | undefined;
  for (const error of errors) {
    const fields = fieldEntries(error.context);
    if (best === undefined || fields.length > best.fields.length) best = { error, fields };
  }
  if (best === undefined) return { path: '', expected: 'a valid value', actual: undefined, reason: 'the value is not valid' };

  const { error, fields } = best;
  const last = fields[fields.length - 1] ?? (error.context[0] as t.ContextEntry | undefined);
  const failedAtField = last !== undefined && error.context[error.context.length - 1] === last;
  const expected = last?.type.name ?? 'a valid value';
  const actual = last === undefined ? error.value : last.actual;
  const wanted = failedAtField && error.message ? error.message : `expected ${expected}`;
  return {
    path: fields.map((entry) => entry.key).join('.'),
    expected,
    actual,
    reason: `${wanted}, got ${describeValue(actual)}`,
  };
}

const VALUE_EXCERPT = 40;

/**
 * A short description of a JSON value: `"0" (a string)`, `an object with keys id, type`.
 *
 * ## Example
 * ```ts
 * describeValue('0'); // '"0" (a string)'
 * describeValue({ id: 1, type: 'x' }); // 'an object with keys id, type'
 * ```
 */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing (the field is missing)';
  if (value === null) return 'null';
  if (typeof value === 'string') {
    const text = value.length > VALUE_EXCERPT ? `${JSON.stringify(value.slice(0, VALUE_EXCERPT))}…` : JSON.stringify(value);
    return `${text} (a string)`;
  }
  if (typeof value === 'number' || typeof value === 'boolean') return `${String(value)} (a ${typeof value})`;
  if (Array.isArray(value)) return `an array of ${value.length} item${value.length === 1 ? '' : 's'}`;
  if (typeof value === 'object') {
    const keys = Object.keys(value);
    if (keys.length === 0) return 'an empty object';
    const shown = keys.slice(0, 5).join(', ');
    return `an object with keys ${shown}${keys.length > 5 ? ', …' : ''}`;
  }
  return typeof value;
}
