import type * as t from 'io-ts';

/**
 * Whether a value is an io-ts codec (or decoder): it has the methods one has. Read by shape
 * rather than `instanceof`, so that a second copy of io-ts still works.
 *
 * @param value Anything given where a schema goes.
 * @return Whether it is a codec.
 */
export function isCodec(value: unknown): value is t.Mixed {
  const candidate = value as { readonly validate?: unknown; readonly decode?: unknown } | null;
  return typeof candidate === 'object' && candidate !== null && typeof candidate.validate === 'function' && typeof candidate.decode === 'function';
}
