import * as t from 'io-ts';
import { nullable, openEnum, struct } from './combinators';

const CacheCreationCodec = struct('CacheCreation', {}, { ephemeral_5m_input_tokens: t.number, ephemeral_1h_input_tokens: t.number });
/**
 * Input tokens written to the cache, by cache lifetime.
 *
 * ## Example
 * ```ts
 * const cacheCreation: CacheCreation = { ephemeral_5m_input_tokens: 1200, ephemeral_1h_input_tokens: 0 };
 * CacheCreation.is(message.usage.cache_creation); // true when the API sent it
 * ```
 */
export interface CacheCreation extends t.TypeOf<typeof CacheCreationCodec> {}
/** The io-ts codec of {@link CacheCreation}. */
export const CacheCreation: t.Type<CacheCreation> = CacheCreationCodec;

const ServerToolUsageCodec = struct('ServerToolUsage', {}, { web_search_requests: t.number, web_fetch_requests: t.number });
/**
 * How many times each server tool ran.
 *
 * ## Example
 * ```ts
 * const serverToolUse: ServerToolUsage = { web_search_requests: 2 };
 * console.log(message.usage.server_tool_use?.web_search_requests ?? 0);
 * ```
 */
export interface ServerToolUsage extends t.TypeOf<typeof ServerToolUsageCodec> {}
/** The io-ts codec of {@link ServerToolUsage}. */
export const ServerToolUsage: t.Type<ServerToolUsage> = ServerToolUsageCodec;

const OutputTokensDetailsCodec = struct('OutputTokensDetails', {}, { thinking_tokens: t.number });
/**
 * A breakdown of the output tokens.
 *
 * ## Example
 * ```ts
 * const details: OutputTokensDetails = { thinking_tokens: 512 };
 * console.log(message.usage.output_tokens_details?.thinking_tokens);
 * ```
 */
export interface OutputTokensDetails extends t.TypeOf<typeof OutputTokensDetailsCodec> {}
/** The io-ts codec of {@link OutputTokensDetails}. */
export const OutputTokensDetails: t.Type<OutputTokensDetails> = OutputTokensDetailsCodec;

const UsageIterationCodec = struct(
  'UsageIteration',
  { type: t.string },
  {
    input_tokens: t.number,
    output_tokens: t.number,
    cache_creation_input_tokens: nullable(t.number),
    cache_read_input_tokens: nullable(t.number),
    cache_creation: nullable(CacheCreation),
    model: nullable(t.string),
  },
);
/**
 * The usage of one sampling iteration (`message`, `compaction`, `advisor_message`,
 * `fallback_message`, …). One shape for every kind: they differ only in which fields they carry,
 * and a kind added later must not fail.
 *
 * ## Example
 * ```ts
 * const iteration: UsageIteration = { type: 'message', input_tokens: 120, output_tokens: 40 };
 * message.usage.iterations?.forEach((step) => console.log(step.type, step.output_tokens));
 * ```
 */
export interface UsageIteration extends t.TypeOf<typeof UsageIterationCodec> {}
/** The io-ts codec of {@link UsageIteration}. */
export const UsageIteration: t.Type<UsageIteration> = UsageIterationCodec;

const FallbackCreditUsageCodec = struct('FallbackCreditUsage', {}, { status: struct('FallbackCreditStatus', { type: t.string }) });
/**
 * Whether a fallback credit was redeemed for this request (`status.type`: `redeemed`, `not_applied`, …).
 *
 * ## Example
 * ```ts
 * const fallback: FallbackCreditUsage = { status: { type: 'applied' } };
 * console.log(message.usage.fallback_credit?.status?.type);
 * ```
 */
export interface FallbackCreditUsage extends t.TypeOf<typeof FallbackCreditUsageCodec> {}
/** The io-ts codec of {@link FallbackCreditUsage}. */
export const FallbackCreditUsage: t.Type<FallbackCreditUsage> = FallbackCreditUsageCodec;

/**
 * The service tier the request ran on.
 *
 * ## Example
 * ```ts
 * const tier: ServiceTier = 'priority';
 * if (message.usage.service_tier === 'batch') console.log('billed at batch rates');
 * ```
 */
export const ServiceTier = openEnum(['standard', 'priority', 'batch']);
export type ServiceTier = t.TypeOf<typeof ServiceTier>;

/**
 * The fields both {@link Usage} and {@link MessageDeltaUsage} may carry besides the token counts.
 * Every one is optional and may be `null`.
 */
const optionalUsageFields = {
  cache_creation_input_tokens: nullable(t.number),
  cache_read_input_tokens: nullable(t.number),
  server_tool_use: nullable(ServerToolUsage),
  output_tokens_details: nullable(OutputTokensDetails),
  iterations: nullable(t.array(UsageIteration)),
  fallback_credit: nullable(FallbackCreditUsage),
};

const UsageCodec = struct(
  'Usage',
  { input_tokens: t.number, output_tokens: t.number },
  {
    ...optionalUsageFields,
    cache_creation: nullable(CacheCreation),
    service_tier: nullable(ServiceTier),
    inference_geo: nullable(t.string),
    speed: nullable(t.string),
  },
);
/**
 * The token usage of a message, as `message_start` and a finished `Message` carry it.
 *
 * `input_tokens` and `output_tokens` are always present; every other field is optional and may
 * be `null`. Fields the API adds later are kept.
 *
 * ## Example
 * ```ts
 * const { input_tokens, output_tokens, cache_read_input_tokens } = message.usage;
 * console.log(`${input_tokens} in (${cache_read_input_tokens ?? 0} cached), ${output_tokens} out`);
 * ```
 *
 * @see MessageDeltaUsage
 * @see Message
 */
export interface Usage extends t.TypeOf<typeof UsageCodec> {}
/** The io-ts codec of {@link Usage}. */
export const Usage: t.Type<Usage> = UsageCodec;

const MessageDeltaUsageCodec = struct(
  'MessageDeltaUsage',
  { output_tokens: t.number },
  { ...optionalUsageFields, input_tokens: nullable(t.number) },
);
/**
 * The cumulative usage a `message_delta` reports.
 *
 * Only `output_tokens` is always present; a present non-null field overrides the one from
 * `message_start`.
 *
 * ## Example
 * ```ts
 * if (event.type === 'message_delta') console.log('output so far', event.usage.output_tokens);
 * ```
 *
 * @see Usage
 * @see RawMessageDeltaEvent
 */
export interface MessageDeltaUsage extends t.TypeOf<typeof MessageDeltaUsageCodec> {}
/** The io-ts codec of {@link MessageDeltaUsage}. */
export const MessageDeltaUsage: t.Type<MessageDeltaUsage> = MessageDeltaUsageCodec;
