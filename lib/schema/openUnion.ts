import * as t from 'io-ts';

/**
 * The codecs of an {@link openUnion}, keyed by the `type` string each one handles.
 *
 * ## Example
 * ```ts
 * const members: OpenUnionMembers = { text: TextBlock, tool_use: ToolUseBlock };
 * ```
 */
export type OpenUnionMembers = Record<string, t.Mixed>;

/**
 * The codec {@link openUnion} returns. Its static type is the union of the known members; at
 * runtime it also accepts objects whose `type` names no member (see {@link openUnion}).
 *
 * ## Example
 * ```ts
 * const Block = openUnion('Block', { text: TextBlock, tool_use: ToolUseBlock }); // an OpenUnionType
 * Object.keys(Block.members); // ['text', 'tool_use']
 * ```
 */
export class OpenUnionType<M extends OpenUnionMembers> extends t.Type<t.TypeOf<M[keyof M]>, t.OutputOf<M[keyof M]>, unknown> {
  /** Lets error reporters tell this codec's context entries from a field's. */
  readonly _tag = 'OpenUnionType' as const;

  constructor(
    name: string,
    is: OpenUnionType<M>['is'],
    validate: OpenUnionType<M>['validate'],
    encode: OpenUnionType<M>['encode'],
    /** The member codecs, by tag. */
    readonly members: M,
  ) {
    super(name, is, validate, encode);
  }
}

/**
 * A discriminated union on `type` that lets unknown variants through unchanged.
 *
 * An object whose `type` names a member is validated by that member alone, found by one map
 * lookup (never by trying every member in turn), so the error paths point into that member. An
 * object whose `type` is any other string passes as it is: the API adds block, delta and event
 * types over time and an older client must not fail on them. Anything that is not an object with
 * a string `type` fails.
 *
 * The static type is the union of the known members only, so `switch (block.type)` narrows as
 * usual; code must still expect, and ignore, values whose `type` is none of them at runtime.
 * Nothing is copied: a value that passes is returned as it came, extra fields included.
 *
 * ## Example
 * ```ts
 * const Delta = openUnion('Delta', {
 *   text_delta: t.type({ type: t.literal('text_delta'), text: t.string }),
 *   thinking_delta: t.type({ type: t.literal('thinking_delta'), thinking: t.string }),
 * });
 * Delta.decode({ type: 'text_delta', text: 'Hi' }); // right({ type: 'text_delta', text: 'Hi' })
 * Delta.decode({ type: 'sparkle_delta', glitter: 1 }); // right, the same object
 * Delta.decode({ type: 'text_delta', text: 1 }); // left: `text` should be a string
 * ```
 *
 * @param name The codec's name, used in error messages.
 * @param members The codec of each known variant, keyed by its `type` string.
 * @return A codec for the known variants that lets unknown ones through.
 * @see nullable
 */
export function openUnion<M extends OpenUnionMembers>(name: string, members: M): OpenUnionType<M> {
  type A = t.TypeOf<M[keyof M]>;
  type O = t.OutputOf<M[keyof M]>;
  // A Map, not a plain object, so that tags such as "constructor" or "__proto__" find nothing.
  const byTag = new Map<string, t.Mixed>(Object.entries(members));

  const tagOf = (u: unknown): string | undefined => {
    if (typeof u !== 'object' || u === null) return undefined;
    const tag = (u as { type?: unknown }).type;
    return typeof tag === 'string' ? tag : undefined;
  };

  return new OpenUnionType<M>(
    name,
    (u): u is A => {
      const tag = tagOf(u);
      if (tag === undefined) return false;
      const member = byTag.get(tag);
      return member === undefined || member.is(u);
    },
    (u, c) => {
      if (typeof u !== 'object' || u === null || Array.isArray(u)) {
        return t.failure(u, c, `expected ${name} (an object with a string "type")`);
      }
      const tag = (u as { type?: unknown }).type;
      if (typeof tag !== 'string') return t.failure(tag, t.appendContext(c, 'type', t.string, tag));
      const member = byTag.get(tag);
      return member === undefined ? t.success(u as A) : (member.validate(u, t.appendContext(c, tag, member, u)) as t.Validation<A>);
    },
    (a): O => {
      const member = byTag.get((a as { type: string }).type);
      return member === undefined ? (a as O) : (member.encode(a) as O);
    },
    members,
  );
}
