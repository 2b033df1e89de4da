import * as t from 'io-ts';
import { nullable, struct } from './combinators';
import { openUnion } from './openUnion';

const CitationCharLocationCodec = struct(
  'CitationCharLocation',
  {
    type: t.literal('char_location'),
    cited_text: t.string,
    document_index: t.number,
    start_char_index: t.number,
    end_char_index: t.number,
  },
  { document_title: nullable(t.string), file_id: nullable(t.string) },
);
/**
 * A cited character range of a plain-text document.
 *
 * ## Example
 * ```ts
 * const citation: CitationCharLocation = {
 *   type: 'char_location', cited_text: 'The grass is green.', document_index: 0, start_char_index: 0, end_char_index: 19,
 * };
 * CitationCharLocation.is(citation); // true
 * ```
 */
export interface CitationCharLocation extends t.TypeOf<typeof CitationCharLocationCodec> {}
/** The io-ts codec of {@link CitationCharLocation}. */
export const CitationCharLocation: t.Type<CitationCharLocation> = CitationCharLocationCodec;

const CitationPageLocationCodec = struct(
  'CitationPageLocation',
  {
    type: t.literal('page_location'),
    cited_text: t.string,
    document_index: t.number,
    start_page_number: t.number,
    end_page_number: t.number,
  },
  { document_title: nullable(t.string), file_id: nullable(t.string) },
);
/**
 * A cited page range of a PDF document.
 *
 * ## Example
 * ```ts
 * const citation: CitationPageLocation = {
 *   type: 'page_location', cited_text: 'Revenue grew 12%.', document_index: 0, start_page_number: 3, end_page_number: 4,
 * };
 * ```
 */
export interface CitationPageLocation extends t.TypeOf<typeof CitationPageLocationCodec> {}
/** The io-ts codec of {@link CitationPageLocation}. */
export const CitationPageLocation: t.Type<CitationPageLocation> = CitationPageLocationCodec;

const CitationContentBlockLocationCodec = struct(
  'CitationContentBlockLocation',
  {
    type: t.literal('content_block_location'),
    cited_text: t.string,
    document_index: t.number,
    start_block_index: t.number,
    end_block_index: t.number,
  },
  { document_title: nullable(t.string), file_id: nullable(t.string) },
);
/**
 * A cited range of blocks of a custom-content document.
 *
 * ## Example
 * ```ts
 * const citation: CitationContentBlockLocation = {
 *   type: 'content_block_location', cited_text: 'Paris is the capital.', document_index: 1, start_block_index: 0, end_block_index: 1,
 * };
 * ```
 */
export interface CitationContentBlockLocation extends t.TypeOf<typeof CitationContentBlockLocationCodec> {}
/** The io-ts codec of {@link CitationContentBlockLocation}. */
export const CitationContentBlockLocation: t.Type<CitationContentBlockLocation> = CitationContentBlockLocationCodec;

const CitationWebSearchResultLocationCodec = struct(
  'CitationWebSearchResultLocation',
  { type: t.literal('web_search_result_location'), cited_text: t.string, url: t.string },
  { title: nullable(t.string), encrypted_index: t.string },
);
/**
 * A cited web search result.
 *
 * ## Example
 * ```ts
 * const citation: CitationWebSearchResultLocation = {
 *   type: 'web_search_result_location', cited_text: 'Rain expected.', url: 'https://example.com/forecast', title: 'Forecast',
 * };
 * ```
 */
export interface CitationWebSearchResultLocation extends t.TypeOf<typeof CitationWebSearchResultLocationCodec> {}
/** The io-ts codec of {@link CitationWebSearchResultLocation}. */
export const CitationWebSearchResultLocation: t.Type<CitationWebSearchResultLocation> = CitationWebSearchResultLocationCodec;

const CitationSearchResultLocationCodec = struct(
  'CitationSearchResultLocation',
  {
    type: t.literal('search_result_location'),
    cited_text: t.string,
    search_result_index: t.number,
    start_block_index: t.number,
    end_block_index: t.number,
  },
  { source: t.string, title: nullable(t.string) },
);
/**
 * A cited range of blocks of a `search_result` content block.
 *
 * ## Example
 * ```ts
 * const citation: CitationSearchResultLocation = {
 *   type: 'search_result_location', cited_text: 'Use v2 of the API.', search_result_index: 0,
 *   start_block_index: 0, end_block_index: 1, source: 'https://docs.example.com', title: 'Docs',
 * };
 * ```
 */
export interface CitationSearchResultLocation extends t.TypeOf<typeof CitationSearchResultLocationCodec> {}
/** The io-ts codec of {@link CitationSearchResultLocation}. */
export const CitationSearchResultLocation: t.Type<CitationSearchResultLocation> = CitationSearchResultLocationCodec;

/**
 * One citation of a `text` block, streamed by a `citations_delta`.
 *
 * An open union on `type`: citation kinds added later pass through unchanged.
 *
 * ## Example
 * ```ts
 * if (citation.type === 'web_search_result_location') console.log(citation.url, citation.cited_text);
 * ```
 *
 * @see TextBlock
 * @see CitationsDelta
 */
export const TextCitation = openUnion('TextCitation', {
  char_location: CitationCharLocation,
  page_location: CitationPageLocation,
  content_block_location: CitationContentBlockLocation,
  web_search_result_location: CitationWebSearchResultLocation,
  search_result_location: CitationSearchResultLocation,
});
export type TextCitation = t.TypeOf<typeof TextCitation>;
