import * as t from 'io-ts';
import { CacheControl } from './cacheControl';
import { TextCitation } from './citations';
import { nullable, struct } from './combinators';
import {
  AdvisorToolResultBlock,
  BashCodeExecutionToolResultBlock,
  CodeExecutionToolResultBlock,
  CompactionBlock,
  ContainerUploadBlock,
  FallbackBlock,
  MCPToolResultBlock,
  MCPToolUseBlock,
  RedactedThinkingBlock,
  ServerToolUseBlock,
  TextEditorCodeExecutionToolResultBlock,
  ThinkingBlock,
  ToolSearchToolResultBlock,
  ToolUseBlock,
  WebFetchToolResultBlock,
  WebSearchToolResultBlock,
} from './contentBlocks';
import { openUnion } from './openUnion';
import { ToolUnion } from './tools';
import { Base64PDFSource, FileDocumentSource, ImageSource, PlainTextSource, URLPDFSource } from './sources';

const cacheControl = { cache_control: nullable(CacheControl) };

/**
 * A response block as a request accepts it back: the same fields plus an optional
 * `cache_control`. Sending an assistant message's `content` back in the next turn (as a tool loop
 * does) therefore type-checks without a conversion.
 */
function asParam<C extends t.Mixed>(name: string, block: C) {
  return t.intersection([block, t.partial(cacheControl, name)], name);
}

const CitationsConfigParamCodec = struct('CitationsConfigParam', {}, { enabled: t.boolean });
/**
 * Whether a document's contents may be cited.
 *
 * ## Example
 * ```ts
 * const citations: CitationsConfigParam = { enabled: true };
 * const document: DocumentBlockParam = { type: 'document', source: { type: 'text', media_type: 'text/plain', data: text }, citations };
 * ```
 */
export interface CitationsConfigParam extends t.TypeOf<typeof CitationsConfigParamCodec> {}
/** The io-ts codec of {@link CitationsConfigParam}. */
export const CitationsConfigParam: t.Type<CitationsConfigParam> = CitationsConfigParamCodec;

const TextBlockParamCodec = struct(
  'TextBlockParam',
  { type: t.literal('text'), text: t.string },
  { ...cacheControl, citations: nullable(t.array(TextCitation)) },
);
/**
 * Text in a request message or system prompt.
 *
 * ## Example
 * ```ts
 * const block: TextBlockParam = { type: 'text', text: 'Summarise this.', cache_control: { type: 'ephemeral' } };
 * ```
 *
 * @see ContentBlockParam
 */
export interface TextBlockParam extends t.TypeOf<typeof TextBlockParamCodec> {}
/** The io-ts codec of {@link TextBlockParam}. */
export const TextBlockParam: t.Type<TextBlockParam> = TextBlockParamCodec;

const ImageBlockParamCodec = struct('ImageBlockParam', { type: t.literal('image'), source: ImageSource }, cacheControl);
/**
 * An image.
 *
 * ## Example
 * ```ts
 * const image: ImageBlockParam = { type: 'image', source: { type: 'url', url: 'https://example.com/cat.jpg' } };
 * const message: MessageParam = { role: 'user', content: [image, { type: 'text', text: 'What is this?' }] };
 * ```
 */
export interface ImageBlockParam extends t.TypeOf<typeof ImageBlockParamCodec> {}
/** The io-ts codec of {@link ImageBlockParam}. */
export const ImageBlockParam: t.Type<ImageBlockParam> = ImageBlockParamCodec;

const ContentBlockSourceCodec = struct('ContentBlockSource', {
  type: t.literal('content'),
  content: t.union([t.string, t.array(openUnion('ContentBlockSourceContent', { text: TextBlockParam, image: ImageBlockParam }))], 'ContentBlockSourceContent'),
});
/**
 * A document made of content blocks (text and images), cited by block.
 *
 * ## Example
 * ```ts
 * const source: ContentBlockSource = { type: 'content', content: [{ type: 'text', text: 'First chunk.' }, { type: 'text', text: 'Second.' }] };
 * const document: DocumentBlockParam = { type: 'document', source, citations: { enabled: true } };
 * ```
 */
export interface ContentBlockSource extends t.TypeOf<typeof ContentBlockSourceCodec> {}
/** The io-ts codec of {@link ContentBlockSource}. */
export const ContentBlockSource: t.Type<ContentBlockSource> = ContentBlockSourceCodec;

/**
 * Where a document's contents come from: `base64` PDF, `text`, `content` blocks, `url` or `file`.
 *
 * ## Example
 * ```ts
 * const source: DocumentSource = { type: 'url', url: 'https://example.com/report.pdf' };
 * const document: DocumentBlockParam = { type: 'document', source, title: 'Report' };
 * ```
 */
export const DocumentSource = openUnion('DocumentSource', {
  base64: Base64PDFSource,
  text: PlainTextSource,
  content: ContentBlockSource,
  url: URLPDFSource,
  file: FileDocumentSource,
});
export type DocumentSource = t.TypeOf<typeof DocumentSource>;

const DocumentBlockParamCodec = struct(
  'DocumentBlockParam',
  { type: t.literal('document'), source: DocumentSource },
  { ...cacheControl, citations: nullable(CitationsConfigParam), context: nullable(t.string), title: nullable(t.string) },
);
/**
 * A document (PDF, plain text or custom content) the model reads and may cite.
 *
 * ## Example
 * ```ts
 * const document: DocumentBlockParam = {
 *   type: 'document', source: { type: 'file', file_id: metadata.id }, title: 'Report', citations: { enabled: true },
 * };
 * ```
 */
export interface DocumentBlockParam extends t.TypeOf<typeof DocumentBlockParamCodec> {}
/** The io-ts codec of {@link DocumentBlockParam}. */
export const DocumentBlockParam: t.Type<DocumentBlockParam> = DocumentBlockParamCodec;

const SearchResultBlockParamCodec = struct(
  'SearchResultBlockParam',
  { type: t.literal('search_result'), source: t.string, title: t.string, content: t.array(TextBlockParam) },
  { ...cacheControl, citations: CitationsConfigParam },
);
/**
 * A search result your own tool found, cited like a web search result.
 *
 * ## Example
 * ```ts
 * const result: SearchResultBlockParam = {
 *   type: 'search_result', source: 'https://docs.example.com/api', title: 'API docs',
 *   content: [{ type: 'text', text: 'Use v2 of the API.' }], citations: { enabled: true },
 * };
 * ```
 */
export interface SearchResultBlockParam extends t.TypeOf<typeof SearchResultBlockParamCodec> {}
/** The io-ts codec of {@link SearchResultBlockParam}. */
export const SearchResultBlockParam: t.Type<SearchResultBlockParam> = SearchResultBlockParamCodec;

const ToolReferenceBlockParamCodec = struct('ToolReferenceBlockParam', { type: t.literal('tool_reference'), tool_name: t.string }, cacheControl);
/**
 * A reference to a deferred tool, in a tool search tool's result.
 *
 * ## Example
 * ```ts
 * const reference: ToolReferenceBlockParam = { type: 'tool_reference', tool_name: 'get_weather' };
 * const result: ToolResultBlockParam = { type: 'tool_result', tool_use_id: block.id, content: [reference] };
 * ```
 */
export interface ToolReferenceBlockParam extends t.TypeOf<typeof ToolReferenceBlockParamCodec> {}
/** The io-ts codec of {@link ToolReferenceBlockParam}. */
export const ToolReferenceBlockParam: t.Type<ToolReferenceBlockParam> = ToolReferenceBlockParamCodec;

/**
 * What a tool result may hold: text, or blocks of text, images, documents, search results.
 *
 * ## Example
 * ```ts
 * const content: ToolResultContent = [{ type: 'text', text: '18 °C, sunny' }];
 * const result: ToolResultBlockParam = { type: 'tool_result', tool_use_id: block.id, content };
 * ```
 */
export const ToolResultContent = t.union(
  [
    t.string,
    t.array(
      openUnion('ToolResultContentBlock', {
        text: TextBlockParam,
        image: ImageBlockParam,
        document: DocumentBlockParam,
        search_result: SearchResultBlockParam,
        tool_reference: ToolReferenceBlockParam,
      }),
    ),
  ],
  'ToolResultContent',
);
export type ToolResultContent = t.TypeOf<typeof ToolResultContent>;

const ToolResultBlockParamCodec = struct(
  'ToolResultBlockParam',
  { type: t.literal('tool_result'), tool_use_id: t.string },
  { ...cacheControl, content: ToolResultContent, is_error: t.boolean },
);
/**
 * The answer to a `tool_use` block, sent in the next user message.
 *
 * ## Example
 * ```ts
 * const result: ToolResultBlockParam = { type: 'tool_result', tool_use_id: block.id, content: JSON.stringify(weather) };
 * const failure: ToolResultBlockParam = { type: 'tool_result', tool_use_id: block.id, content: 'City not found', is_error: true };
 * ```
 *
 * @see ToolUseBlock
 * @see MessageParam
 */
export interface ToolResultBlockParam extends t.TypeOf<typeof ToolResultBlockParamCodec> {}
/** The io-ts codec of {@link ToolResultBlockParam}. */
export const ToolResultBlockParam: t.Type<ToolResultBlockParam> = ToolResultBlockParamCodec;

const ToolUseBlockParamCodec = asParam('ToolUseBlockParam', ToolUseBlock);
/**
 * A `tool_use` block sent back in an assistant message.
 *
 * ## Example
 * ```ts
 * const param: ToolUseBlockParam = { type: 'tool_use', id: 'toolu_01', name: 'get_weather', input: { city: 'Paris' } };
 * const turn: MessageParam = { role: 'assistant', content: [param] };
 * ```
 */
export interface ToolUseBlockParam extends t.TypeOf<typeof ToolUseBlockParamCodec> {}
/** The io-ts codec of {@link ToolUseBlockParam}. */
export const ToolUseBlockParam: t.Type<ToolUseBlockParam> = ToolUseBlockParamCodec;

/**
 * A `thinking` block sent back unchanged (with its signature).
 *
 * ## Example
 * ```ts
 * const param: ThinkingBlockParam = { type: 'thinking', thinking: 'The user asks…', signature: 'EqQBCgIYAhIM' };
 * const turn: MessageParam = { role: 'assistant', content: [param, { type: 'text', text: 'Hello!' }] };
 * ```
 */
export const ThinkingBlockParam = ThinkingBlock;
export type ThinkingBlockParam = t.TypeOf<typeof ThinkingBlockParam>;

/**
 * A `redacted_thinking` block sent back unchanged.
 *
 * ## Example
 * ```ts
 * const param: RedactedThinkingBlockParam = { type: 'redacted_thinking', data: 'EmwKAhgBEgy3va3pzix' };
 * const turn: MessageParam = { role: 'assistant', content: [param] };
 * ```
 */
export const RedactedThinkingBlockParam = RedactedThinkingBlock;
export type RedactedThinkingBlockParam = t.TypeOf<typeof RedactedThinkingBlockParam>;

const ServerToolUseBlockParamCodec = asParam('ServerToolUseBlockParam', ServerToolUseBlock);
/**
 * A `server_tool_use` block sent back in an assistant message.
 *
 * ## Example
 * ```ts
 * // block: a ServerToolUseBlock of the previous response, sent back in the conversation
 * const param: ServerToolUseBlockParam = { ...block, cache_control: { type: 'ephemeral' } };
 * ServerToolUseBlockParam.is(param); // true
 * ```
 */
export interface ServerToolUseBlockParam extends t.TypeOf<typeof ServerToolUseBlockParamCodec> {}
/** The io-ts codec of {@link ServerToolUseBlockParam}. */
export const ServerToolUseBlockParam: t.Type<ServerToolUseBlockParam> = ServerToolUseBlockParamCodec;

const WebSearchToolResultBlockParamCodec = asParam('WebSearchToolResultBlockParam', WebSearchToolResultBlock);
/**
 * A `web_search_tool_result` block sent back.
 *
 * ## Example
 * ```ts
 * // block: a WebSearchToolResultBlock of the previous response, sent back in the conversation
 * const param: WebSearchToolResultBlockParam = { ...block, cache_control: { type: 'ephemeral' } };
 * WebSearchToolResultBlockParam.is(param); // true
 * ```
 */
export interface WebSearchToolResultBlockParam extends t.TypeOf<typeof WebSearchToolResultBlockParamCodec> {}
/** The io-ts codec of {@link WebSearchToolResultBlockParam}. */
export const WebSearchToolResultBlockParam: t.Type<WebSearchToolResultBlockParam> = WebSearchToolResultBlockParamCodec;

const WebFetchToolResultBlockParamCodec = asParam('WebFetchToolResultBlockParam', WebFetchToolResultBlock);
/**
 * A `web_fetch_tool_result` block sent back.
 *
 * ## Example
 * ```ts
 * // block: a WebFetchToolResultBlock of the previous response, sent back in the conversation
 * const param: WebFetchToolResultBlockParam = { ...block, cache_control: { type: 'ephemeral' } };
 * WebFetchToolResultBlockParam.is(param); // true
 * ```
 */
export interface WebFetchToolResultBlockParam extends t.TypeOf<typeof WebFetchToolResultBlockParamCodec> {}
/** The io-ts codec of {@link WebFetchToolResultBlockParam}. */
export const WebFetchToolResultBlockParam: t.Type<WebFetchToolResultBlockParam> = WebFetchToolResultBlockParamCodec;

const CodeExecutionToolResultBlockParamCodec = asParam('CodeExecutionToolResultBlockParam', CodeExecutionToolResultBlock);
/**
 * A `code_execution_tool_result` block sent back.
 *
 * ## Example
 * ```ts
 * // block: a CodeExecutionToolResultBlock of the previous response, sent back in the conversation
 * const param: CodeExecutionToolResultBlockParam = { ...block, cache_control: { type: 'ephemeral' } };
 * CodeExecutionToolResultBlockParam.is(param); // true
 * ```
 */
export interface CodeExecutionToolResultBlockParam extends t.TypeOf<typeof CodeExecutionToolResultBlockParamCodec> {}
/** The io-ts codec of {@link CodeExecutionToolResultBlockParam}. */
export const CodeExecutionToolResultBlockParam: t.Type<CodeExecutionToolResultBlockParam> = CodeExecutionToolResultBlockParamCodec;

const BashCodeExecutionToolResultBlockParamCodec = asParam('BashCodeExecutionToolResultBlockParam', BashCodeExecutionToolResultBlock);
/**
 * A `bash_code_execution_tool_result` block sent back.
 *
 * ## Example
 * ```ts
 * // block: a BashCodeExecutionToolResultBlock of the previous response, sent back in the conversation
 * const param: BashCodeExecutionToolResultBlockParam = { ...block, cache_control: { type: 'ephemeral' } };
 * BashCodeExecutionToolResultBlockParam.is(param); // true
 * ```
 */
export interface BashCodeExecutionToolResultBlockParam extends t.TypeOf<typeof BashCodeExecutionToolResultBlockParamCodec> {}
/** The io-ts codec of {@link BashCodeExecutionToolResultBlockParam}. */
export const BashCodeExecutionToolResultBlockParam: t.Type<BashCodeExecutionToolResultBlockParam> = BashCodeExecutionToolResultBlockParamCodec;

const TextEditorCodeExecutionToolResultBlockParamCodec = asParam('TextEditorCodeExecutionToolResultBlockParam', TextEditorCodeExecutionToolResultBlock);
/**
 * A `text_editor_code_execution_tool_result` block sent back.
 *
 * ## Example
 * ```ts
 * // block: a TextEditorCodeExecutionToolResultBlock of the previous response, sent back in the conversation
 * const param: TextEditorCodeExecutionToolResultBlockParam = { ...block, cache_control: { type: 'ephemeral' } };
 * TextEditorCodeExecutionToolResultBlockParam.is(param); // true
 * ```
 */
export interface TextEditorCodeExecutionToolResultBlockParam extends t.TypeOf<typeof TextEditorCodeExecutionToolResultBlockParamCodec> {}
/** The io-ts codec of {@link TextEditorCodeExecutionToolResultBlockParam}. */
export const TextEditorCodeExecutionToolResultBlockParam: t.Type<TextEditorCodeExecutionToolResultBlockParam> = TextEditorCodeExecutionToolResultBlockParamCodec;

const ToolSearchToolResultBlockParamCodec = asParam('ToolSearchToolResultBlockParam', ToolSearchToolResultBlock);
/**
 * A `tool_search_tool_result` block sent back.
 *
 * ## Example
 * ```ts
 * // block: a ToolSearchToolResultBlock of the previous response, sent back in the conversation
 * const param: ToolSearchToolResultBlockParam = { ...block, cache_control: { type: 'ephemeral' } };
 * ToolSearchToolResultBlockParam.is(param); // true
 * ```
 */
export interface ToolSearchToolResultBlockParam extends t.TypeOf<typeof ToolSearchToolResultBlockParamCodec> {}
/** The io-ts codec of {@link ToolSearchToolResultBlockParam}. */
export const ToolSearchToolResultBlockParam: t.Type<ToolSearchToolResultBlockParam> = ToolSearchToolResultBlockParamCodec;

const MCPToolUseBlockParamCodec = asParam('MCPToolUseBlockParam', MCPToolUseBlock);
/**
 * An `mcp_tool_use` block sent back.
 *
 * ## Example
 * ```ts
 * // block: a MCPToolUseBlock of the previous response, sent back in the conversation
 * const param: MCPToolUseBlockParam = { ...block, cache_control: { type: 'ephemeral' } };
 * MCPToolUseBlockParam.is(param); // true
 * ```
 */
export interface MCPToolUseBlockParam extends t.TypeOf<typeof MCPToolUseBlockParamCodec> {}
/** The io-ts codec of {@link MCPToolUseBlockParam}. */
export const MCPToolUseBlockParam: t.Type<MCPToolUseBlockParam> = MCPToolUseBlockParamCodec;

const MCPToolResultBlockParamCodec = asParam('MCPToolResultBlockParam', MCPToolResultBlock);
/**
 * An `mcp_tool_result` block sent back.
 *
 * ## Example
 * ```ts
 * // block: a MCPToolResultBlock of the previous response, sent back in the conversation
 * const param: MCPToolResultBlockParam = { ...block, cache_control: { type: 'ephemeral' } };
 * MCPToolResultBlockParam.is(param); // true
 * ```
 */
export interface MCPToolResultBlockParam extends t.TypeOf<typeof MCPToolResultBlockParamCodec> {}
/** The io-ts codec of {@link MCPToolResultBlockParam}. */
export const MCPToolResultBlockParam: t.Type<MCPToolResultBlockParam> = MCPToolResultBlockParamCodec;

const ContainerUploadBlockParamCodec = asParam('ContainerUploadBlockParam', ContainerUploadBlock);
/**
 * A file to upload into the code execution container.
 *
 * ## Example
 * ```ts
 * const param: ContainerUploadBlockParam = { type: 'container_upload', file_id: metadata.id, cache_control: { type: 'ephemeral' } };
 * const message: MessageParam = { role: 'user', content: [{ type: 'text', text: 'Plot this CSV.' }, param] };
 * ```
 */
export interface ContainerUploadBlockParam extends t.TypeOf<typeof ContainerUploadBlockParamCodec> {}
/** The io-ts codec of {@link ContainerUploadBlockParam}. */
export const ContainerUploadBlockParam: t.Type<ContainerUploadBlockParam> = ContainerUploadBlockParamCodec;

const CompactionBlockParamCodec = asParam('CompactionBlockParam', CompactionBlock);
/**
 * A `compaction` block sent back, replacing the turns it summarises.
 *
 * ## Example
 * ```ts
 * // block: a CompactionBlock of the previous response, sent back in the conversation
 * const param: CompactionBlockParam = { ...block, cache_control: { type: 'ephemeral' } };
 * CompactionBlockParam.is(param); // true
 * ```
 */
export interface CompactionBlockParam extends t.TypeOf<typeof CompactionBlockParamCodec> {}
/** The io-ts codec of {@link CompactionBlockParam}. */
export const CompactionBlockParam: t.Type<CompactionBlockParam> = CompactionBlockParamCodec;

const FallbackBlockParamCodec = asParam('FallbackBlockParam', FallbackBlock);
/**
 * A `fallback` block sent back.
 *
 * ## Example
 * ```ts
 * // block: a FallbackBlock of the previous response, sent back in the conversation
 * const param: FallbackBlockParam = { ...block, cache_control: { type: 'ephemeral' } };
 * FallbackBlockParam.is(param); // true
 * ```
 */
export interface FallbackBlockParam extends t.TypeOf<typeof FallbackBlockParamCodec> {}
/** The io-ts codec of {@link FallbackBlockParam}. */
export const FallbackBlockParam: t.Type<FallbackBlockParam> = FallbackBlockParamCodec;

const AdvisorToolResultBlockParamCodec = asParam('AdvisorToolResultBlockParam', AdvisorToolResultBlock);
/**
 * An `advisor_tool_result` block sent back.
 *
 * ## Example
 * ```ts
 * // block: a AdvisorToolResultBlock of the previous response, sent back in the conversation
 * const param: AdvisorToolResultBlockParam = { ...block, cache_control: { type: 'ephemeral' } };
 * AdvisorToolResultBlockParam.is(param); // true
 * ```
 */
export interface AdvisorToolResultBlockParam extends t.TypeOf<typeof AdvisorToolResultBlockParamCodec> {}
/** The io-ts codec of {@link AdvisorToolResultBlockParam}. */
export const AdvisorToolResultBlockParam: t.Type<AdvisorToolResultBlockParam> = AdvisorToolResultBlockParamCodec;

/**
 * One block of a request message.
 *
 * An open union on `type`. It includes every response block type, so an assistant message's
 * `content` can be sent back as it is; a block type this library does not know is sent through
 * unchanged.
 *
 * ## Example
 * ```ts
 * const content: ContentBlockParam[] = [
 *   { type: 'image', source: { type: 'url', url: 'https://example.com/cat.png' } },
 *   { type: 'text', text: 'What is in this picture?' },
 * ];
 * ```
 *
 * @see MessageParam
 * @see ContentBlock
 */
export const ContentBlockParam = openUnion('ContentBlockParam', {
  text: TextBlockParam,
  image: ImageBlockParam,
  document: DocumentBlockParam,
  search_result: SearchResultBlockParam,
  tool_use: ToolUseBlockParam,
  tool_result: ToolResultBlockParam,
  thinking: ThinkingBlockParam,
  redacted_thinking: RedactedThinkingBlockParam,
  server_tool_use: ServerToolUseBlockParam,
  web_search_tool_result: WebSearchToolResultBlockParam,
  web_fetch_tool_result: WebFetchToolResultBlockParam,
  code_execution_tool_result: CodeExecutionToolResultBlockParam,
  bash_code_execution_tool_result: BashCodeExecutionToolResultBlockParam,
  text_editor_code_execution_tool_result: TextEditorCodeExecutionToolResultBlockParam,
  tool_search_tool_result: ToolSearchToolResultBlockParam,
  mcp_tool_use: MCPToolUseBlockParam,
  mcp_tool_result: MCPToolResultBlockParam,
  container_upload: ContainerUploadBlockParam,
  compaction: CompactionBlockParam,
  fallback: FallbackBlockParam,
  advisor_tool_result: AdvisorToolResultBlockParam,
});
export type ContentBlockParam = t.TypeOf<typeof ContentBlockParam>;

const ToolChangeToolReferenceCodec = struct('ToolChangeToolReference', { type: t.literal('tool_reference'), name: t.string });
/**
 * A tool named in a `tool_addition` or `tool_removal` block: one of the request's `tools`, or
 * one defined earlier in `messages`.
 *
 * ## Example
 * ```ts
 * const tool: ToolChangeToolReference = { type: 'tool_reference', name: 'get_weather' };
 * const removal: ToolRemovalBlockParam = { type: 'tool_removal', tool };
 * ```
 */
export interface ToolChangeToolReference extends t.TypeOf<typeof ToolChangeToolReferenceCodec> {}
/** The io-ts codec of {@link ToolChangeToolReference}. */
export const ToolChangeToolReference: t.Type<ToolChangeToolReference> = ToolChangeToolReferenceCodec;

const ToolChangeMCPToolReferenceCodec = struct('ToolChangeMCPToolReference', {
  type: t.literal('mcp_tool_reference'),
  name: t.string,
  server_name: t.string,
});
/**
 * One tool of an MCP server the API connects to, in a `tool_addition` or `tool_removal` block.
 *
 * ## Example
 * ```ts
 * const tool: ToolChangeMCPToolReference = { type: 'mcp_tool_reference', server_name: 'github', name: 'create_issue' };
 * const addition: ToolAdditionBlockParam = { type: 'tool_addition', tool };
 * ```
 */
export interface ToolChangeMCPToolReference extends t.TypeOf<typeof ToolChangeMCPToolReferenceCodec> {}
/** The io-ts codec of {@link ToolChangeMCPToolReference}. */
export const ToolChangeMCPToolReference: t.Type<ToolChangeMCPToolReference> = ToolChangeMCPToolReferenceCodec;

const ToolChangeMCPToolsetReferenceCodec = struct('ToolChangeMCPToolsetReference', { type: t.literal('mcp_toolset_reference'), server_name: t.string });
/**
 * Every tool of an MCP server the API connects to, in a `tool_addition` or `tool_removal` block.
 *
 * ## Example
 * ```ts
 * const tool: ToolChangeMCPToolsetReference = { type: 'mcp_toolset_reference', server_name: 'github' };
 * const removal: ToolRemovalBlockParam = { type: 'tool_removal', tool };
 * ```
 */
export interface ToolChangeMCPToolsetReference extends t.TypeOf<typeof ToolChangeMCPToolsetReferenceCodec> {}
/** The io-ts codec of {@link ToolChangeMCPToolsetReference}. */
export const ToolChangeMCPToolsetReference: t.Type<ToolChangeMCPToolsetReference> = ToolChangeMCPToolsetReferenceCodec;

const ToolChangeToolDefinitionCodec = struct('ToolChangeToolDefinition', { type: t.literal('tool_definition'), definition: ToolUnion });
/**
 * A whole tool definition (what a `tools` entry holds) offered in the middle of a conversation,
 * in a `tool_addition` block.
 *
 * ## Example
 * ```ts
 * const tool: ToolChangeToolDefinition = {
 *   type: 'tool_definition',
 *   definition: { name: 'get_time', description: 'The current time', input_schema: { type: 'object' } },
 * };
 * const addition: ToolAdditionBlockParam = { type: 'tool_addition', tool };
 * ```
 */
export interface ToolChangeToolDefinition extends t.TypeOf<typeof ToolChangeToolDefinitionCodec> {}
/** The io-ts codec of {@link ToolChangeToolDefinition}. */
export const ToolChangeToolDefinition: t.Type<ToolChangeToolDefinition> = ToolChangeToolDefinitionCodec;

const toolReferences = {
  tool_reference: ToolChangeToolReference,
  mcp_tool_reference: ToolChangeMCPToolReference,
  mcp_toolset_reference: ToolChangeMCPToolsetReference,
};

const ToolAdditionBlockParamCodec = struct(
  'ToolAdditionBlockParam',
  { type: t.literal('tool_addition'), tool: openUnion('ToolAdditionTool', { ...toolReferences, tool_definition: ToolChangeToolDefinition }) },
  cacheControl,
);
/**
 * A tool offered to the model from this point of the conversation on, in a `system` message:
 * a reference to a tool of the request's `tools` (or an MCP tool or toolset), or a whole
 * definition.
 *
 * ## Example
 * ```ts
 * const addition: ToolAdditionBlockParam = { type: 'tool_addition', tool: { type: 'tool_reference', name: 'get_weather' } };
 * const message: SystemMessageParam = { role: 'system', content: [addition] };
 * ```
 *
 * @see ToolRemovalBlockParam
 * @see SystemMessageParam
 */
export interface ToolAdditionBlockParam extends t.TypeOf<typeof ToolAdditionBlockParamCodec> {}
/** The io-ts codec of {@link ToolAdditionBlockParam}. */
export const ToolAdditionBlockParam: t.Type<ToolAdditionBlockParam> = ToolAdditionBlockParamCodec;

const ToolRemovalBlockParamCodec = struct(
  'ToolRemovalBlockParam',
  { type: t.literal('tool_removal'), tool: openUnion('ToolRemovalTool', toolReferences) },
  cacheControl,
);
/**
 * A tool withdrawn from the model from this point of the conversation on, in a `system` message.
 *
 * ## Example
 * ```ts
 * const removal: ToolRemovalBlockParam = { type: 'tool_removal', tool: { type: 'tool_reference', name: 'delete_file' } };
 * const message: SystemMessageParam = { role: 'system', content: [removal] };
 * ```
 *
 * @see ToolAdditionBlockParam
 * @see SystemMessageParam
 */
export interface ToolRemovalBlockParam extends t.TypeOf<typeof ToolRemovalBlockParamCodec> {}
/** The io-ts codec of {@link ToolRemovalBlockParam}. */
export const ToolRemovalBlockParam: t.Type<ToolRemovalBlockParam> = ToolRemovalBlockParamCodec;

/**
 * One block of a `system` message in `messages`: text, or a tool offered or withdrawn.
 *
 * ## Example
 * ```ts
 * const content: SystemContentBlockParam[] = [
 *   { type: 'text', text: 'From now on, answer in French.' },
 *   { type: 'tool_removal', tool: { type: 'tool_reference', name: 'web_search' } },
 * ];
 * ```
 *
 * @see SystemMessageParam
 */
export const SystemContentBlockParam = openUnion('SystemContentBlockParam', {
  text: TextBlockParam,
  tool_addition: ToolAdditionBlockParam,
  tool_removal: ToolRemovalBlockParam,
});
export type SystemContentBlockParam = t.TypeOf<typeof SystemContentBlockParam>;
