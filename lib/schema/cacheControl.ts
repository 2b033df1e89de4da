import * as t from 'io-ts';
import { openEnum, struct } from './combinators';
import { openUnion } from './openUnion';

const CacheControlEphemeralCodec = struct(
  'CacheControlEphemeral',
  { type: t.literal('ephemeral') },
  { ttl: openEnum(['5m', '1h']) },
);
/**
 * `{ type: 'ephemeral', ttl? }`: cache the prompt up to this point, for 5 minutes or an hour.
 *
 * ## Example
 * ```ts
 * const cache: CacheControlEphemeral = { type: 'ephemeral', ttl: '1h' };
 * const system = [{ type: 'text', text: longInstructions, cache_control: cache }];
 * ```
 */
export interface CacheControlEphemeral extends t.TypeOf<typeof CacheControlEphemeralCodec> {}
/** The io-ts codec of {@link CacheControlEphemeral}. */
export const CacheControlEphemeral: t.Type<CacheControlEphemeral> = CacheControlEphemeralCodec;

/**
 * A prompt-caching breakpoint, set on a content block, a tool or a system block.
 *
 * Today only `ephemeral` exists; other `type`s pass through unchanged.
 *
 * ## Example
 * ```ts
 * const system: TextBlockParam[] = [{ type: 'text', text: longPolicy, cache_control: { type: 'ephemeral', ttl: '1h' } }];
 * ```
 *
 * @see TextBlockParam
 * @see Tool
 */
export const CacheControl = openUnion('CacheControl', { ephemeral: CacheControlEphemeral });
export type CacheControl = t.TypeOf<typeof CacheControl>;
