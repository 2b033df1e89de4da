import * as t from 'io-ts';
import { TextCitation } from './citations';
import { nullable, struct } from './combinators';
import { openUnion } from './openUnion';

const TextDeltaCodec = struct('TextDelta', { type: t.literal('text_delta'), text: t.string });
/**
 * More text for a `text` block.
 *
 * ## Example
 * ```ts
 * const delta: TextDelta = { type: 'text_delta', text: 'Hello' };
 * TextDelta.is(delta); // true
 * ```
 */
export interface TextDelta extends t.TypeOf<typeof TextDeltaCodec> {}
/** The io-ts codec of {@link TextDelta}. */
export const TextDelta: t.Type<TextDelta> = TextDeltaCodec;

const InputJSONDeltaCodec = struct('InputJSONDelta', { type: t.literal('input_json_delta'), partial_json: t.string });
/**
 * More of a tool call's input, as a fragment of JSON text (the first one is often `""`).
 *
 * ## Example
 * ```ts
 * const delta: InputJSONDelta = { type: 'input_json_delta', partial_json: '{"city": "Pa' };
 * InputJSONDelta.decode(delta); // right(delta)
 * ```
 */
export interface InputJSONDelta extends t.TypeOf<typeof InputJSONDeltaCodec> {}
/** The io-ts codec of {@link InputJSONDelta}. */
export const InputJSONDelta: t.Type<InputJSONDelta> = InputJSONDeltaCodec;

const CitationsDeltaCodec = struct('CitationsDelta', { type: t.literal('citations_delta'), citation: TextCitation });
/**
 * One more citation for a `text` block.
 *
 * ## Example
 * ```ts
 * const delta: CitationsDelta = {
 *   type: 'citations_delta',
 *   citation: { type: 'char_location', cited_text: 'The sky is blue.', document_index: 0, start_char_index: 0, end_char_index: 16 },
 * };
 * ```
 */
export interface CitationsDelta extends t.TypeOf<typeof CitationsDeltaCodec> {}
/** The io-ts codec of {@link CitationsDelta}. */
export const CitationsDelta: t.Type<CitationsDelta> = CitationsDeltaCodec;

const ThinkingDeltaCodec = struct('ThinkingDelta', { type: t.literal('thinking_delta'), thinking: t.string });
/**
 * More thinking for a `thinking` block.
 *
 * ## Example
 * ```ts
 * const delta: ThinkingDelta = { type: 'thinking_delta', thinking: 'First, I need to' };
 * ThinkingDelta.is(delta); // true
 * ```
 */
export interface ThinkingDelta extends t.TypeOf<typeof ThinkingDeltaCodec> {}
/** The io-ts codec of {@link ThinkingDelta}. */
export const ThinkingDelta: t.Type<ThinkingDelta> = ThinkingDeltaCodec;

const SignatureDeltaCodec = struct('SignatureDelta', { type: t.literal('signature_delta'), signature: t.string });
/**
 * The signature of a `thinking` block; it replaces any earlier one.
 *
 * ## Example
 * ```ts
 * const delta: SignatureDelta = { type: 'signature_delta', signature: 'EqQBCgIYAhIM1gbcDa9GJwZA2b3h' };
 * SignatureDelta.is(delta); // true
 * ```
 */
export interface SignatureDelta extends t.TypeOf<typeof SignatureDeltaCodec> {}
/** The io-ts codec of {@link SignatureDelta}. */
export const SignatureDelta: t.Type<SignatureDelta> = SignatureDeltaCodec;

const CompactionDeltaCodec = struct(
  'CompactionDelta',
  { type: t.literal('compaction_delta') },
  { content: nullable(t.string), encrypted_content: nullable(t.string) },
);
/**
 * The content of a `compaction` block.
 *
 * ## Example
 * ```ts
 * const delta: CompactionDelta = { type: 'compaction_delta', content: 'Summary of the conversation so far…' };
 * CompactionDelta.is(delta); // true
 * ```
 */
export interface CompactionDelta extends t.TypeOf<typeof CompactionDeltaCodec> {}
/** The io-ts codec of {@link CompactionDelta}. */
export const CompactionDelta: t.Type<CompactionDelta> = CompactionDeltaCodec;

/**
 * What a `content_block_delta` adds to the block at its `index`.
 *
 * An open union on `type`: a delta type added later passes through unchanged (and the
 * operators ignore it).
 *
 * ## Example
 * ```ts
 * if (event.type === 'content_block_delta' && event.delta.type === 'text_delta') process.stdout.write(event.delta.text);
 * ```
 *
 * @see RawContentBlockDeltaEvent
 */
export const RawContentBlockDelta = openUnion('RawContentBlockDelta', {
  text_delta: TextDelta,
  input_json_delta: InputJSONDelta,
  citations_delta: CitationsDelta,
  thinking_delta: ThinkingDelta,
  signature_delta: SignatureDelta,
  compaction_delta: CompactionDelta,
});
export type RawContentBlockDelta = t.TypeOf<typeof RawContentBlockDelta>;
