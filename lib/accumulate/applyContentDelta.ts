import { freezeValue } from './freezeValue';

/** A content block as the accumulator handles it: any object with a `type`. */
export type AnyBlock = { readonly type: string } & Readonly<Record<string, unknown>>;
/** A delta as the accumulator handles it. */
export type AnyDelta = { readonly type: string } & Readonly<Record<string, unknown>>;

/**
 * Applies one delta to a block's private, mutable fields, if the delta's kind applies to the
 * block's type: `text_delta` and `citations_delta` to `text`, `thinking_delta` and
 * `signature_delta` to `thinking`, `compaction_delta` to `compaction` (`input_json_delta` is the
 * tool input's, which the block's state keeps apart).
 *
 * The fields are copied from `base` by the first delta that applies, then changed in place: text
 * grows by concatenation (a rope in V8); citations get a new array, frozen, since the old one may
 * have been handed out in a snapshot (the `citation` event's). One dispatch on the delta's type,
 * the hot path of a stream.
 *
 * ## Example
 *
 * ```ts
 * const base = { type: 'text', text: 'Hel' };
 * const fields = applyContentDelta(base, undefined, { type: 'text_delta', text: 'lo' }); // { type: 'text', text: 'Hello' }
 * applyContentDelta(base, fields, { type: 'thinking_delta', thinking: '…' }); // undefined: not a thinking block
 * ```
 *
 * @param base The block as it started (its `type` decides which deltas apply).
 * @param fields The block's own fields, or `undefined` while no delta has changed it.
 * @param delta The delta.
 * @return The block's fields, changed; `undefined` when the delta does not apply (nothing changed).
 */
export function applyContentDelta(base: AnyBlock, fields: Record<string, unknown> | undefined, delta: AnyDelta): Record<string, unknown> | undefined {
  switch (delta.type) {
    case 'text_delta': {
      if (base.type !== 'text') return undefined;
      const next = fields ?? { ...base };
      next['text'] = stringOr(next['text']) + stringOr(delta['text']);
      return next;
    }
    case 'thinking_delta': {
      if (base.type !== 'thinking') return undefined;
      const next = fields ?? { ...base };
      next['thinking'] = stringOr(next['thinking']) + stringOr(delta['thinking']);
      return next;
    }
    case 'citations_delta': {
      if (base.type !== 'text') return undefined;
      const next = fields ?? { ...base };
      next['citations'] = freezeValue([...((next['citations'] as unknown[] | null | undefined) ?? []), delta['citation']]);
      return next;
    }
    case 'signature_delta': {
      if (base.type !== 'thinking') return undefined;
      const next = fields ?? { ...base };
      next['signature'] = delta['signature'];
      return next;
    }
    case 'compaction_delta': {
      if (base.type !== 'compaction') return undefined;
      // A compaction delta carries the block's value, not an addition to it (null content = a failed compaction), as the TS SDK reads it.
      const next = fields ?? { ...base };
      if ('content' in delta) next['content'] = delta['content'];
      if ('encrypted_content' in delta) next['encrypted_content'] = delta['encrypted_content'];
      return next;
    }
    default:
      return undefined;
  }
}

/**
 * `value` if it is a string, else `''`: a delta or block field read as text.
 *
 * ## Example
 *
 * ```ts
 * stringOr(undefined) + stringOr('x'); // 'x'
 * ```
 *
 * @param value Any field.
 * @return The string.
 */
export function stringOr(value: unknown): string {
  return typeof value === 'string' ? value : '';
}
