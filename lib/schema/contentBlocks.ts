import * as t from 'io-ts';
import { TextCitation } from './citations';
import { nullable, openEnum, struct } from './combinators';
import { openUnion } from './openUnion';
import { Base64PDFSource, PlainTextSource } from './sources';

const DirectCallerCodec = struct('DirectCaller', { type: t.literal('direct') });
/**
 * The tool was called by the model directly.
 *
 * ## Example
 * ```ts
 * const caller: DirectCaller = { type: 'direct' };
 * DirectCaller.is(toolUseBlock.caller); // true when the model called the tool itself
 * ```
 */
export interface DirectCaller extends t.TypeOf<typeof DirectCallerCodec> {}
/** The io-ts codec of {@link DirectCaller}. */
export const DirectCaller: t.Type<DirectCaller> = DirectCallerCodec;

const ServerToolCallerCodec = struct('ServerToolCaller', { type: t.literal('code_execution_20250825'), tool_id: t.string });
/**
 * The tool was called from code that the `code_execution_20250825` tool ran (programmatic tool calling).
 *
 * ## Example
 * ```ts
 * const caller: ServerToolCaller = { type: 'code_execution_20250825', tool_id: 'srvtoolu_01' };
 * ServerToolCaller.is(caller); // true
 * ```
 */
export interface ServerToolCaller extends t.TypeOf<typeof ServerToolCallerCodec> {}
/** The io-ts codec of {@link ServerToolCaller}. */
export const ServerToolCaller: t.Type<ServerToolCaller> = ServerToolCallerCodec;

const ServerToolCaller20260120Codec = struct('ServerToolCaller20260120', { type: t.literal('code_execution_20260120'), tool_id: t.string });
/**
 * The tool was called from code that the `code_execution_20260120` tool ran.
 *
 * ## Example
 * ```ts
 * const caller: ServerToolCaller20260120 = { type: 'code_execution_20260120', tool_id: 'srvtoolu_01' };
 * ServerToolCaller20260120.is(caller); // true
 * ```
 */
export interface ServerToolCaller20260120 extends t.TypeOf<typeof ServerToolCaller20260120Codec> {}
/** The io-ts codec of {@link ServerToolCaller20260120}. */
export const ServerToolCaller20260120: t.Type<ServerToolCaller20260120> = ServerToolCaller20260120Codec;

/**
 * Who called a tool: `direct`, or a code-execution tool by id. Other kinds pass through.
 *
 * ## Example
 * ```ts
 * const caller: Caller = { type: 'code_execution_20250825', tool_id: 'srvtoolu_01' };
 * if (block.type === 'tool_use' && block.caller?.type !== 'direct') console.log('called from code');
 * ```
 */
export const Caller = openUnion('Caller', {
  direct: DirectCaller,
  code_execution_20250825: ServerToolCaller,
  code_execution_20260120: ServerToolCaller20260120,
});
export type Caller = t.TypeOf<typeof Caller>;

const TextBlockCodec = struct('TextBlock', { type: t.literal('text'), text: t.string }, { citations: nullable(t.array(TextCitation)) });
/**
 * Text the model wrote, with the citations that back it when citations are on.
 *
 * ## Example
 * ```ts
 * const text = message.content.flatMap((block) => (block.type === 'text' ? [block.text] : [])).join('');
 * ```
 *
 * @see ContentBlock
 */
export interface TextBlock extends t.TypeOf<typeof TextBlockCodec> {}
/** The io-ts codec of {@link TextBlock}. */
export const TextBlock: t.Type<TextBlock> = TextBlockCodec;

const ToolUseBlockCodec = struct(
  'ToolUseBlock',
  { type: t.literal('tool_use'), id: t.string, name: t.string, input: t.unknown },
  { caller: Caller, toolset_name: nullable(t.string) },
);
/**
 * A call of one of the request's own tools. `input` arrives as `{}` in `content_block_start` and
 * is then streamed as JSON text by `input_json_delta`s.
 *
 * ## Example
 * ```ts
 * if (block.type === 'tool_use') runTool(block.name, block.input).subscribe((result) => reply(block.id, result));
 * ```
 *
 * @see ContentBlock
 */
export interface ToolUseBlock extends t.TypeOf<typeof ToolUseBlockCodec> {}
/** The io-ts codec of {@link ToolUseBlock}. */
export const ToolUseBlock: t.Type<ToolUseBlock> = ToolUseBlockCodec;

/**
 * The names of the API's own (server) tools.
 *
 * ## Example
 * ```ts
 * const name: ServerToolName = 'web_search';
 * if (block.type === 'server_tool_use' && block.name === 'web_fetch') console.log('fetching', block.input);
 * ```
 */
export const ServerToolName = openEnum([
  'web_search',
  'web_fetch',
  'code_execution',
  'bash_code_execution',
  'text_editor_code_execution',
  'tool_search_tool_regex',
  'tool_search_tool_bm25',
]);
export type ServerToolName = t.TypeOf<typeof ServerToolName>;

const ServerToolUseBlockCodec = struct(
  'ServerToolUseBlock',
  { type: t.literal('server_tool_use'), id: t.string, name: ServerToolName, input: t.unknown },
  { caller: Caller },
);
/**
 * A call of a server tool (web search, web fetch, code execution, …), run by the API itself.
 *
 * ## Example
 * ```ts
 * const block: ServerToolUseBlock = { type: 'server_tool_use', id: 'srvtoolu_01', name: 'web_search', input: { query: 'rxjs 8' } };
 * ServerToolUseBlock.is(block); // true
 * ```
 */
export interface ServerToolUseBlock extends t.TypeOf<typeof ServerToolUseBlockCodec> {}
/** The io-ts codec of {@link ServerToolUseBlock}. */
export const ServerToolUseBlock: t.Type<ServerToolUseBlock> = ServerToolUseBlockCodec;

const ThinkingBlockCodec = struct('ThinkingBlock', { type: t.literal('thinking'), thinking: t.string, signature: t.string });
/**
 * The model's extended thinking, with the signature that lets it be sent back.
 *
 * ## Example
 * ```ts
 * const block: ThinkingBlock = { type: 'thinking', thinking: 'The user asks for…', signature: 'EqQBCgIYAhIM' };
 * const thoughts = message.content.flatMap((b) => (b.type === 'thinking' ? [b.thinking] : []));
 * ```
 */
export interface ThinkingBlock extends t.TypeOf<typeof ThinkingBlockCodec> {}
/** The io-ts codec of {@link ThinkingBlock}. */
export const ThinkingBlock: t.Type<ThinkingBlock> = ThinkingBlockCodec;

const RedactedThinkingBlockCodec = struct('RedactedThinkingBlock', { type: t.literal('redacted_thinking'), data: t.string });
/**
 * Thinking the safety systems encrypted; send `data` back unchanged.
 *
 * ## Example
 * ```ts
 * const block: RedactedThinkingBlock = { type: 'redacted_thinking', data: 'EmwKAhgBEgy3va3pzix' };
 * RedactedThinkingBlock.is(block); // true: send it back unchanged in the next turn
 * ```
 */
export interface RedactedThinkingBlock extends t.TypeOf<typeof RedactedThinkingBlockCodec> {}
/** The io-ts codec of {@link RedactedThinkingBlock}. */
export const RedactedThinkingBlock: t.Type<RedactedThinkingBlock> = RedactedThinkingBlockCodec;

const WebSearchResultBlockCodec = struct(
  'WebSearchResultBlock',
  { type: t.literal('web_search_result'), url: t.string, title: t.string },
  { encrypted_content: t.string, page_age: nullable(t.string) },
);
/**
 * One web search hit.
 *
 * ## Example
 * ```ts
 * const result: WebSearchResultBlock = { type: 'web_search_result', url: 'https://rxjs.dev', title: 'RxJS', page_age: null };
 * WebSearchResultBlock.is(result); // true
 * ```
 */
export interface WebSearchResultBlock extends t.TypeOf<typeof WebSearchResultBlockCodec> {}
/** The io-ts codec of {@link WebSearchResultBlock}. */
export const WebSearchResultBlock: t.Type<WebSearchResultBlock> = WebSearchResultBlockCodec;

/** A server tool failed; `error_code` says why (`unavailable`, `max_uses_exceeded`, …). */
const toolResultError = <T extends string>(name: string, type: T) =>
  struct(name, { type: t.literal(type), error_code: t.string }, { error_message: nullable(t.string) });

const WebSearchToolResultErrorCodec = toolResultError('WebSearchToolResultError', 'web_search_tool_result_error');
/**
 * The web search tool failed.
 *
 * ## Example
 * ```ts
 * const error: WebSearchToolResultError = { type: 'web_search_tool_result_error', error_code: 'max_uses_exceeded' };
 * WebSearchToolResultError.is(error); // true
 * ```
 */
export interface WebSearchToolResultError extends t.TypeOf<typeof WebSearchToolResultErrorCodec> {}
/** The io-ts codec of {@link WebSearchToolResultError}. */
export const WebSearchToolResultError: t.Type<WebSearchToolResultError> = WebSearchToolResultErrorCodec;

/**
 * The result of a web search: the list of hits, or an error object.
 *
 * ## Example
 * ```ts
 * const content: WebSearchToolResultContent = [{ type: 'web_search_result', url: 'https://rxjs.dev', title: 'RxJS' }];
 * if (Array.isArray(content)) content.forEach((result) => console.log(result.url));
 * ```
 */
export const WebSearchToolResultContent = t.union(
  [t.array(openUnion('WebSearchResult', { web_search_result: WebSearchResultBlock })), openUnion('WebSearchToolResultError', { web_search_tool_result_error: WebSearchToolResultError })],
  'WebSearchToolResultContent',
);
export type WebSearchToolResultContent = t.TypeOf<typeof WebSearchToolResultContent>;

const WebSearchToolResultBlockCodec = struct(
  'WebSearchToolResultBlock',
  { type: t.literal('web_search_tool_result'), tool_use_id: t.string, content: WebSearchToolResultContent },
  { caller: Caller },
);
/**
 * What a `web_search` server tool call found.
 *
 * ## Example
 * ```ts
 * const block: WebSearchToolResultBlock = {
 *   type: 'web_search_tool_result', tool_use_id: 'srvtoolu_01',
 *   content: [{ type: 'web_search_result', url: 'https://rxjs.dev', title: 'RxJS' }],
 * };
 * ```
 */
export interface WebSearchToolResultBlock extends t.TypeOf<typeof WebSearchToolResultBlockCodec> {}
/** The io-ts codec of {@link WebSearchToolResultBlock}. */
export const WebSearchToolResultBlock: t.Type<WebSearchToolResultBlock> = WebSearchToolResultBlockCodec;

const DocumentBlockCodec = struct(
  'DocumentBlock',
  { type: t.literal('document'), source: openUnion('DocumentBlockSource', { base64: Base64PDFSource, text: PlainTextSource }) },
  { title: nullable(t.string), citations: nullable(struct('CitationsConfig', {}, { enabled: t.boolean })) },
);
/**
 * A document, as the web fetch tool returns it.
 *
 * ## Example
 * ```ts
 * const document: DocumentBlock = { type: 'document', source: { type: 'text', media_type: 'text/plain', data: 'Hello' }, title: null };
 * DocumentBlock.is(document); // true
 * ```
 */
export interface DocumentBlock extends t.TypeOf<typeof DocumentBlockCodec> {}
/** The io-ts codec of {@link DocumentBlock}. */
export const DocumentBlock: t.Type<DocumentBlock> = DocumentBlockCodec;

const WebFetchResultBlockCodec = struct(
  'WebFetchResultBlock',
  { type: t.literal('web_fetch_result'), url: t.string, content: DocumentBlock },
  { retrieved_at: nullable(t.string) },
);
/**
 * A fetched page.
 *
 * ## Example
 * ```ts
 * const result: WebFetchResultBlock = {
 *   type: 'web_fetch_result', url: 'https://example.com',
 *   content: { type: 'document', source: { type: 'text', media_type: 'text/plain', data: 'Example Domain' } },
 * };
 * ```
 */
export interface WebFetchResultBlock extends t.TypeOf<typeof WebFetchResultBlockCodec> {}
/** The io-ts codec of {@link WebFetchResultBlock}. */
export const WebFetchResultBlock: t.Type<WebFetchResultBlock> = WebFetchResultBlockCodec;

const WebFetchToolResultErrorCodec = toolResultError('WebFetchToolResultError', 'web_fetch_tool_result_error');
/**
 * The web fetch tool failed.
 *
 * ## Example
 * ```ts
 * const error: WebFetchToolResultError = { type: 'web_fetch_tool_result_error', error_code: 'url_not_accessible' };
 * WebFetchToolResultError.is(error); // true
 * ```
 */
export interface WebFetchToolResultError extends t.TypeOf<typeof WebFetchToolResultErrorCodec> {}
/** The io-ts codec of {@link WebFetchToolResultError}. */
export const WebFetchToolResultError: t.Type<WebFetchToolResultError> = WebFetchToolResultErrorCodec;

const WebFetchToolResultBlockCodec = struct(
  'WebFetchToolResultBlock',
  {
    type: t.literal('web_fetch_tool_result'),
    tool_use_id: t.string,
    content: openUnion('WebFetchToolResultContent', { web_fetch_result: WebFetchResultBlock, web_fetch_tool_result_error: WebFetchToolResultError }),
  },
  { caller: Caller },
);
/**
 * What a `web_fetch` server tool call fetched.
 *
 * ## Example
 * ```ts
 * const block: WebFetchToolResultBlock = {
 *   type: 'web_fetch_tool_result', tool_use_id: 'srvtoolu_02',
 *   content: { type: 'web_fetch_tool_result_error', error_code: 'too_many_requests' },
 * };
 * ```
 */
export interface WebFetchToolResultBlock extends t.TypeOf<typeof WebFetchToolResultBlockCodec> {}
/** The io-ts codec of {@link WebFetchToolResultBlock}. */
export const WebFetchToolResultBlock: t.Type<WebFetchToolResultBlock> = WebFetchToolResultBlockCodec;

const CodeExecutionOutputBlockCodec = struct('CodeExecutionOutputBlock', { type: t.literal('code_execution_output'), file_id: t.string });
/**
 * A file the code execution tool wrote.
 *
 * ## Example
 * ```ts
 * const output: CodeExecutionOutputBlock = { type: 'code_execution_output', file_id: 'file_011CPL' };
 * CodeExecutionOutputBlock.is(output); // true: a file the code wrote, to fetch by its file_id
 * ```
 */
export interface CodeExecutionOutputBlock extends t.TypeOf<typeof CodeExecutionOutputBlockCodec> {}
/** The io-ts codec of {@link CodeExecutionOutputBlock}. */
export const CodeExecutionOutputBlock: t.Type<CodeExecutionOutputBlock> = CodeExecutionOutputBlockCodec;

const CodeExecutionResultBlockCodec = struct(
  'CodeExecutionResultBlock',
  { type: t.literal('code_execution_result'), stdout: t.string, stderr: t.string, return_code: t.number },
  { content: t.array(openUnion('CodeExecutionOutput', { code_execution_output: CodeExecutionOutputBlock })) },
);
/**
 * The output of code the code execution tool ran.
 *
 * ## Example
 * ```ts
 * const result: CodeExecutionResultBlock = { type: 'code_execution_result', stdout: '42\n', stderr: '', return_code: 0 };
 * CodeExecutionResultBlock.is(result); // true
 * ```
 */
export interface CodeExecutionResultBlock extends t.TypeOf<typeof CodeExecutionResultBlockCodec> {}
/** The io-ts codec of {@link CodeExecutionResultBlock}. */
export const CodeExecutionResultBlock: t.Type<CodeExecutionResultBlock> = CodeExecutionResultBlockCodec;

const EncryptedCodeExecutionResultBlockCodec = struct(
  'EncryptedCodeExecutionResultBlock',
  { type: t.literal('encrypted_code_execution_result'), encrypted_stdout: t.string, stderr: t.string, return_code: t.number },
  { content: t.array(openUnion('CodeExecutionOutput', { code_execution_output: CodeExecutionOutputBlock })) },
);
/**
 * The output of code the code execution tool ran, with stdout encrypted.
 *
 * ## Example
 * ```ts
 * const result: EncryptedCodeExecutionResultBlock = {
 *   type: 'encrypted_code_execution_result', encrypted_stdout: 'EuQBCk…', stderr: '', return_code: 0,
 * };
 * ```
 */
export interface EncryptedCodeExecutionResultBlock extends t.TypeOf<typeof EncryptedCodeExecutionResultBlockCodec> {}
/** The io-ts codec of {@link EncryptedCodeExecutionResultBlock}. */
export const EncryptedCodeExecutionResultBlock: t.Type<EncryptedCodeExecutionResultBlock> = EncryptedCodeExecutionResultBlockCodec;

const CodeExecutionToolResultErrorCodec = toolResultError('CodeExecutionToolResultError', 'code_execution_tool_result_error');
/**
 * The code execution tool failed.
 *
 * ## Example
 * ```ts
 * const error: CodeExecutionToolResultError = { type: 'code_execution_tool_result_error', error_code: 'execution_time_exceeded' };
 * CodeExecutionToolResultError.is(error); // true
 * ```
 */
export interface CodeExecutionToolResultError extends t.TypeOf<typeof CodeExecutionToolResultErrorCodec> {}
/** The io-ts codec of {@link CodeExecutionToolResultError}. */
export const CodeExecutionToolResultError: t.Type<CodeExecutionToolResultError> = CodeExecutionToolResultErrorCodec;

const CodeExecutionToolResultBlockCodec = struct('CodeExecutionToolResultBlock', {
  type: t.literal('code_execution_tool_result'),
  tool_use_id: t.string,
  content: openUnion('CodeExecutionToolResultContent', {
    code_execution_result: CodeExecutionResultBlock,
    encrypted_code_execution_result: EncryptedCodeExecutionResultBlock,
    code_execution_tool_result_error: CodeExecutionToolResultError,
  }),
});
/**
 * What a `code_execution` server tool call produced.
 *
 * ## Example
 * ```ts
 * const block: CodeExecutionToolResultBlock = {
 *   type: 'code_execution_tool_result', tool_use_id: 'srvtoolu_03',
 *   content: { type: 'code_execution_result', stdout: '4\n', stderr: '', return_code: 0 },
 * };
 * ```
 */
export interface CodeExecutionToolResultBlock extends t.TypeOf<typeof CodeExecutionToolResultBlockCodec> {}
/** The io-ts codec of {@link CodeExecutionToolResultBlock}. */
export const CodeExecutionToolResultBlock: t.Type<CodeExecutionToolResultBlock> = CodeExecutionToolResultBlockCodec;

const BashCodeExecutionOutputBlockCodec = struct('BashCodeExecutionOutputBlock', { type: t.literal('bash_code_execution_output'), file_id: t.string });
/**
 * A file a bash command wrote.
 *
 * ## Example
 * ```ts
 * const output: BashCodeExecutionOutputBlock = { type: 'bash_code_execution_output', file_id: 'file_011CPM' };
 * BashCodeExecutionOutputBlock.is(output); // true
 * ```
 */
export interface BashCodeExecutionOutputBlock extends t.TypeOf<typeof BashCodeExecutionOutputBlockCodec> {}
/** The io-ts codec of {@link BashCodeExecutionOutputBlock}. */
export const BashCodeExecutionOutputBlock: t.Type<BashCodeExecutionOutputBlock> = BashCodeExecutionOutputBlockCodec;

const BashCodeExecutionResultBlockCodec = struct(
  'BashCodeExecutionResultBlock',
  { type: t.literal('bash_code_execution_result'), stdout: t.string, stderr: t.string, return_code: t.number },
  { content: t.array(openUnion('BashCodeExecutionOutput', { bash_code_execution_output: BashCodeExecutionOutputBlock })) },
);
/**
 * The output of a bash command.
 *
 * ## Example
 * ```ts
 * const result: BashCodeExecutionResultBlock = { type: 'bash_code_execution_result', stdout: 'a.txt\n', stderr: '', return_code: 0, content: [] };
 * BashCodeExecutionResultBlock.is(result); // true
 * ```
 */
export interface BashCodeExecutionResultBlock extends t.TypeOf<typeof BashCodeExecutionResultBlockCodec> {}
/** The io-ts codec of {@link BashCodeExecutionResultBlock}. */
export const BashCodeExecutionResultBlock: t.Type<BashCodeExecutionResultBlock> = BashCodeExecutionResultBlockCodec;

const BashCodeExecutionToolResultErrorCodec = toolResultError('BashCodeExecutionToolResultError', 'bash_code_execution_tool_result_error');
/**
 * A bash command failed to run.
 *
 * ## Example
 * ```ts
 * const error: BashCodeExecutionToolResultError = { type: 'bash_code_execution_tool_result_error', error_code: 'unavailable' };
 * BashCodeExecutionToolResultError.is(error); // true
 * ```
 */
export interface BashCodeExecutionToolResultError extends t.TypeOf<typeof BashCodeExecutionToolResultErrorCodec> {}
/** The io-ts codec of {@link BashCodeExecutionToolResultError}. */
export const BashCodeExecutionToolResultError: t.Type<BashCodeExecutionToolResultError> = BashCodeExecutionToolResultErrorCodec;

const BashCodeExecutionToolResultBlockCodec = struct('BashCodeExecutionToolResultBlock', {
  type: t.literal('bash_code_execution_tool_result'),
  tool_use_id: t.string,
  content: openUnion('BashCodeExecutionToolResultContent', {
    bash_code_execution_result: BashCodeExecutionResultBlock,
    bash_code_execution_tool_result_error: BashCodeExecutionToolResultError,
  }),
});
/**
 * What a `bash_code_execution` server tool call produced.
 *
 * ## Example
 * ```ts
 * const block: BashCodeExecutionToolResultBlock = {
 *   type: 'bash_code_execution_tool_result', tool_use_id: 'srvtoolu_04',
 *   content: { type: 'bash_code_execution_result', stdout: 'ok\n', stderr: '', return_code: 0 },
 * };
 * ```
 */
export interface BashCodeExecutionToolResultBlock extends t.TypeOf<typeof BashCodeExecutionToolResultBlockCodec> {}
/** The io-ts codec of {@link BashCodeExecutionToolResultBlock}. */
export const BashCodeExecutionToolResultBlock: t.Type<BashCodeExecutionToolResultBlock> = BashCodeExecutionToolResultBlockCodec;

const TextEditorCodeExecutionViewResultBlockCodec = struct(
  'TextEditorCodeExecutionViewResultBlock',
  { type: t.literal('text_editor_code_execution_view_result'), content: t.string },
  { file_type: openEnum(['text', 'image', 'pdf']), num_lines: nullable(t.number), start_line: nullable(t.number), total_lines: nullable(t.number) },
);
/**
 * A file the text editor tool viewed.
 *
 * ## Example
 * ```ts
 * const result: TextEditorCodeExecutionViewResultBlock = {
 *   type: 'text_editor_code_execution_view_result', content: 'print(1)\n', file_type: 'text', num_lines: 1, start_line: 1, total_lines: 1,
 * };
 * ```
 */
export interface TextEditorCodeExecutionViewResultBlock extends t.TypeOf<typeof TextEditorCodeExecutionViewResultBlockCodec> {}
/** The io-ts codec of {@link TextEditorCodeExecutionViewResultBlock}. */
export const TextEditorCodeExecutionViewResultBlock: t.Type<TextEditorCodeExecutionViewResultBlock> = TextEditorCodeExecutionViewResultBlockCodec;

const TextEditorCodeExecutionCreateResultBlockCodec = struct(
  'TextEditorCodeExecutionCreateResultBlock',
  { type: t.literal('text_editor_code_execution_create_result') },
  { is_file_update: t.boolean },
);
/**
 * A file the text editor tool created or overwrote.
 *
 * ## Example
 * ```ts
 * const result: TextEditorCodeExecutionCreateResultBlock = { type: 'text_editor_code_execution_create_result', is_file_update: false };
 * TextEditorCodeExecutionCreateResultBlock.is(result); // true
 * ```
 */
export interface TextEditorCodeExecutionCreateResultBlock extends t.TypeOf<typeof TextEditorCodeExecutionCreateResultBlockCodec> {}
/** The io-ts codec of {@link TextEditorCodeExecutionCreateResultBlock}. */
export const TextEditorCodeExecutionCreateResultBlock: t.Type<TextEditorCodeExecutionCreateResultBlock> = TextEditorCodeExecutionCreateResultBlockCodec;

const TextEditorCodeExecutionStrReplaceResultBlockCodec = struct(
  'TextEditorCodeExecutionStrReplaceResultBlock',
  { type: t.literal('text_editor_code_execution_str_replace_result') },
  {
    lines: nullable(t.array(t.string)),
    new_lines: nullable(t.number),
    new_start: nullable(t.number),
    old_lines: nullable(t.number),
    old_start: nullable(t.number),
  },
);
/**
 * An edit the text editor tool made.
 *
 * ## Example
 * ```ts
 * const result: TextEditorCodeExecutionStrReplaceResultBlock = {
 *   type: 'text_editor_code_execution_str_replace_result', old_start: 3, old_lines: 1, new_start: 3, new_lines: 1, lines: ['-a = 1', '+a = 2'],
 * };
 * ```
 */
export interface TextEditorCodeExecutionStrReplaceResultBlock extends t.TypeOf<typeof TextEditorCodeExecutionStrReplaceResultBlockCodec> {}
/** The io-ts codec of {@link TextEditorCodeExecutionStrReplaceResultBlock}. */
export const TextEditorCodeExecutionStrReplaceResultBlock: t.Type<TextEditorCodeExecutionStrReplaceResultBlock> = TextEditorCodeExecutionStrReplaceResultBlockCodec;

const TextEditorCodeExecutionToolResultErrorCodec = toolResultError('TextEditorCodeExecutionToolResultError', 'text_editor_code_execution_tool_result_error');
/**
 * The text editor tool failed.
 *
 * ## Example
 * ```ts
 * const error: TextEditorCodeExecutionToolResultError = { type: 'text_editor_code_execution_tool_result_error', error_code: 'file_not_found' };
 * TextEditorCodeExecutionToolResultError.is(error); // true
 * ```
 */
export interface TextEditorCodeExecutionToolResultError extends t.TypeOf<typeof TextEditorCodeExecutionToolResultErrorCodec> {}
/** The io-ts codec of {@link TextEditorCodeExecutionToolResultError}. */
export const TextEditorCodeExecutionToolResultError: t.Type<TextEditorCodeExecutionToolResultError> = TextEditorCodeExecutionToolResultErrorCodec;

const TextEditorCodeExecutionToolResultBlockCodec = struct('TextEditorCodeExecutionToolResultBlock', {
  type: t.literal('text_editor_code_execution_tool_result'),
  tool_use_id: t.string,
  content: openUnion('TextEditorCodeExecutionToolResultContent', {
    text_editor_code_execution_view_result: TextEditorCodeExecutionViewResultBlock,
    text_editor_code_execution_create_result: TextEditorCodeExecutionCreateResultBlock,
    text_editor_code_execution_str_replace_result: TextEditorCodeExecutionStrReplaceResultBlock,
    text_editor_code_execution_tool_result_error: TextEditorCodeExecutionToolResultError,
  }),
});
/**
 * What a `text_editor_code_execution` server tool call did.
 *
 * ## Example
 * ```ts
 * const block: TextEditorCodeExecutionToolResultBlock = {
 *   type: 'text_editor_code_execution_tool_result', tool_use_id: 'srvtoolu_05',
 *   content: { type: 'text_editor_code_execution_create_result', is_file_update: false },
 * };
 * ```
 */
export interface TextEditorCodeExecutionToolResultBlock extends t.TypeOf<typeof TextEditorCodeExecutionToolResultBlockCodec> {}
/** The io-ts codec of {@link TextEditorCodeExecutionToolResultBlock}. */
export const TextEditorCodeExecutionToolResultBlock: t.Type<TextEditorCodeExecutionToolResultBlock> = TextEditorCodeExecutionToolResultBlockCodec;

const ToolReferenceBlockCodec = struct('ToolReferenceBlock', { type: t.literal('tool_reference'), tool_name: t.string });
/**
 * A tool the tool search tool found.
 *
 * ## Example
 * ```ts
 * const reference: ToolReferenceBlock = { type: 'tool_reference', tool_name: 'get_weather' };
 * ToolReferenceBlock.is(reference); // true
 * ```
 */
export interface ToolReferenceBlock extends t.TypeOf<typeof ToolReferenceBlockCodec> {}
/** The io-ts codec of {@link ToolReferenceBlock}. */
export const ToolReferenceBlock: t.Type<ToolReferenceBlock> = ToolReferenceBlockCodec;

const ToolSearchToolSearchResultBlockCodec = struct('ToolSearchToolSearchResultBlock', {
  type: t.literal('tool_search_tool_search_result'),
  tool_references: t.array(openUnion('ToolReference', { tool_reference: ToolReferenceBlock })),
});
/**
 * The tools a tool search found.
 *
 * ## Example
 * ```ts
 * const result: ToolSearchToolSearchResultBlock = {
 *   type: 'tool_search_tool_search_result', tool_references: [{ type: 'tool_reference', tool_name: 'get_weather' }],
 * };
 * ```
 */
export interface ToolSearchToolSearchResultBlock extends t.TypeOf<typeof ToolSearchToolSearchResultBlockCodec> {}
/** The io-ts codec of {@link ToolSearchToolSearchResultBlock}. */
export const ToolSearchToolSearchResultBlock: t.Type<ToolSearchToolSearchResultBlock> = ToolSearchToolSearchResultBlockCodec;

const ToolSearchToolResultErrorCodec = toolResultError('ToolSearchToolResultError', 'tool_search_tool_result_error');
/**
 * The tool search tool failed.
 *
 * ## Example
 * ```ts
 * const error: ToolSearchToolResultError = { type: 'tool_search_tool_result_error', error_code: 'invalid_pattern' };
 * ToolSearchToolResultError.is(error); // true
 * ```
 */
export interface ToolSearchToolResultError extends t.TypeOf<typeof ToolSearchToolResultErrorCodec> {}
/** The io-ts codec of {@link ToolSearchToolResultError}. */
export const ToolSearchToolResultError: t.Type<ToolSearchToolResultError> = ToolSearchToolResultErrorCodec;

const ToolSearchToolResultBlockCodec = struct('ToolSearchToolResultBlock', {
  type: t.literal('tool_search_tool_result'),
  tool_use_id: t.string,
  content: openUnion('ToolSearchToolResultContent', {
    tool_search_tool_search_result: ToolSearchToolSearchResultBlock,
    tool_search_tool_result_error: ToolSearchToolResultError,
  }),
});
/**
 * What a tool search (`tool_search_tool_regex` / `_bm25`) found.
 *
 * ## Example
 * ```ts
 * const block: ToolSearchToolResultBlock = {
 *   type: 'tool_search_tool_result', tool_use_id: 'srvtoolu_06',
 *   content: { type: 'tool_search_tool_search_result', tool_references: [{ type: 'tool_reference', tool_name: 'get_weather' }] },
 * };
 * ```
 */
export interface ToolSearchToolResultBlock extends t.TypeOf<typeof ToolSearchToolResultBlockCodec> {}
/** The io-ts codec of {@link ToolSearchToolResultBlock}. */
export const ToolSearchToolResultBlock: t.Type<ToolSearchToolResultBlock> = ToolSearchToolResultBlockCodec;

const MCPToolUseBlockCodec = struct('MCPToolUseBlock', {
  type: t.literal('mcp_tool_use'),
  id: t.string,
  name: t.string,
  server_name: t.string,
  input: t.unknown,
});
/**
 * A call of a tool of a remote MCP server (the `mcp_servers` request field), run by the API.
 *
 * ## Example
 * ```ts
 * const block: MCPToolUseBlock = { type: 'mcp_tool_use', id: 'mcptoolu_01', name: 'search', server_name: 'docs', input: { q: 'rxjs' } };
 * MCPToolUseBlock.is(block); // true
 * ```
 */
export interface MCPToolUseBlock extends t.TypeOf<typeof MCPToolUseBlockCodec> {}
/** The io-ts codec of {@link MCPToolUseBlock}. */
export const MCPToolUseBlock: t.Type<MCPToolUseBlock> = MCPToolUseBlockCodec;

const MCPToolResultBlockCodec = struct(
  'MCPToolResultBlock',
  { type: t.literal('mcp_tool_result'), tool_use_id: t.string },
  { content: t.union([t.string, t.array(openUnion('MCPToolResultContent', { text: TextBlock }))], 'MCPToolResultContent'), is_error: t.boolean },
);
/**
 * What a remote MCP tool answered: text, or text blocks.
 *
 * ## Example
 * ```ts
 * const block: MCPToolResultBlock = { type: 'mcp_tool_result', tool_use_id: 'mcptoolu_01', content: [{ type: 'text', text: '3 hits' }], is_error: false };
 * MCPToolResultBlock.is(block); // true
 * ```
 */
export interface MCPToolResultBlock extends t.TypeOf<typeof MCPToolResultBlockCodec> {}
/** The io-ts codec of {@link MCPToolResultBlock}. */
export const MCPToolResultBlock: t.Type<MCPToolResultBlock> = MCPToolResultBlockCodec;

const ContainerUploadBlockCodec = struct('ContainerUploadBlock', { type: t.literal('container_upload'), file_id: t.string });
/**
 * A file uploaded into the code execution container.
 *
 * ## Example
 * ```ts
 * const block: ContainerUploadBlock = { type: 'container_upload', file_id: metadata.id }; // from client.files.upload()
 * const message: MessageParam = { role: 'user', content: [{ type: 'text', text: 'Analyse this CSV.' }, block] };
 * ```
 */
export interface ContainerUploadBlock extends t.TypeOf<typeof ContainerUploadBlockCodec> {}
/** The io-ts codec of {@link ContainerUploadBlock}. */
export const ContainerUploadBlock: t.Type<ContainerUploadBlock> = ContainerUploadBlockCodec;

const CompactionBlockCodec = struct(
  'CompactionBlock',
  { type: t.literal('compaction') },
  { content: nullable(t.string), encrypted_content: nullable(t.string), signature: nullable(t.string), tool_changes: nullable(t.array(t.unknown)) },
);
/**
 * A summary of earlier turns that replaces them (context compaction); streamed by `compaction_delta`.
 *
 * ## Example
 * ```ts
 * const block: CompactionBlock = { type: 'compaction', content: 'Summary: the user is planning a trip to Paris.' };
 * CompactionBlock.is(block); // true
 * ```
 */
export interface CompactionBlock extends t.TypeOf<typeof CompactionBlockCodec> {}
/** The io-ts codec of {@link CompactionBlock}. */
export const CompactionBlock: t.Type<CompactionBlock> = CompactionBlockCodec;

const FallbackInfoCodec = struct('FallbackInfo', { model: t.string });
/**
 * The model a fallback switched from or to.
 *
 * ## Example
 * ```ts
 * const info: FallbackInfo = { model: 'claude-sonnet-4-6' };
 * if (block.type === 'fallback') console.log(`${block.from.model} → ${block.to.model}`);
 * ```
 */
export interface FallbackInfo extends t.TypeOf<typeof FallbackInfoCodec> {}
/** The io-ts codec of {@link FallbackInfo}. */
export const FallbackInfo: t.Type<FallbackInfo> = FallbackInfoCodec;

const FallbackBlockCodec = struct(
  'FallbackBlock',
  { type: t.literal('fallback'), from: FallbackInfo, to: FallbackInfo },
  { trigger: struct('FallbackTrigger', { type: t.string }, { category: nullable(t.string) }) },
);
/**
 * The request fell back from one model to another; the rest of the message comes from `to.model`.
 *
 * ## Example
 * ```ts
 * const block: FallbackBlock = { type: 'fallback', from: { model: 'claude-opus-4-1' }, to: { model: 'claude-sonnet-4-6' } };
 * FallbackBlock.is(block); // true
 * ```
 */
export interface FallbackBlock extends t.TypeOf<typeof FallbackBlockCodec> {}
/** The io-ts codec of {@link FallbackBlock}. */
export const FallbackBlock: t.Type<FallbackBlock> = FallbackBlockCodec;

const AdvisorResultBlockCodec = struct('AdvisorResultBlock', { type: t.literal('advisor_result'), text: t.string }, { stop_reason: nullable(t.string) });
/**
 * The advisor model's answer.
 *
 * ## Example
 * ```ts
 * const result: AdvisorResultBlock = { type: 'advisor_result', text: 'Check the edge case for empty input.' };
 * AdvisorResultBlock.is(result); // true
 * ```
 */
export interface AdvisorResultBlock extends t.TypeOf<typeof AdvisorResultBlockCodec> {}
/** The io-ts codec of {@link AdvisorResultBlock}. */
export const AdvisorResultBlock: t.Type<AdvisorResultBlock> = AdvisorResultBlockCodec;

const AdvisorRedactedResultBlockCodec = struct(
  'AdvisorRedactedResultBlock',
  { type: t.literal('advisor_redacted_result'), encrypted_content: t.string },
  { stop_reason: nullable(t.string) },
);
/**
 * The advisor model's answer, encrypted.
 *
 * ## Example
 * ```ts
 * const result: AdvisorRedactedResultBlock = { type: 'advisor_redacted_result', encrypted_content: 'EqQBCgIY…' };
 * AdvisorRedactedResultBlock.is(result); // true
 * ```
 */
export interface AdvisorRedactedResultBlock extends t.TypeOf<typeof AdvisorRedactedResultBlockCodec> {}
/** The io-ts codec of {@link AdvisorRedactedResultBlock}. */
export const AdvisorRedactedResultBlock: t.Type<AdvisorRedactedResultBlock> = AdvisorRedactedResultBlockCodec;

const AdvisorToolResultErrorCodec = toolResultError('AdvisorToolResultError', 'advisor_tool_result_error');
/**
 * The advisor tool failed.
 *
 * ## Example
 * ```ts
 * const error: AdvisorToolResultError = { type: 'advisor_tool_result_error', error_code: 'unavailable' };
 * AdvisorToolResultError.is(error); // true
 * ```
 */
export interface AdvisorToolResultError extends t.TypeOf<typeof AdvisorToolResultErrorCodec> {}
/** The io-ts codec of {@link AdvisorToolResultError}. */
export const AdvisorToolResultError: t.Type<AdvisorToolResultError> = AdvisorToolResultErrorCodec;

const AdvisorToolResultBlockCodec = struct('AdvisorToolResultBlock', {
  type: t.literal('advisor_tool_result'),
  tool_use_id: t.string,
  content: openUnion('AdvisorToolResultContent', {
    advisor_result: AdvisorResultBlock,
    advisor_redacted_result: AdvisorRedactedResultBlock,
    advisor_tool_result_error: AdvisorToolResultError,
  }),
});
/**
 * What an `advisor` server tool call answered.
 *
 * ## Example
 * ```ts
 * const block: AdvisorToolResultBlock = {
 *   type: 'advisor_tool_result', tool_use_id: 'srvtoolu_07', content: { type: 'advisor_result', text: 'Looks right.' },
 * };
 * ```
 */
export interface AdvisorToolResultBlock extends t.TypeOf<typeof AdvisorToolResultBlockCodec> {}
/** The io-ts codec of {@link AdvisorToolResultBlock}. */
export const AdvisorToolResultBlock: t.Type<AdvisorToolResultBlock> = AdvisorToolResultBlockCodec;

/**
 * One block of an assistant message: what `content_block_start` opens and `Message.content` holds.
 *
 * An open union on `type`. The static type lists the blocks known when this library was
 * written; at runtime a block of another type (the API adds them over time) comes through
 * unchanged, with all its fields, so code that switches on `type` needs a default branch.
 *
 * ## Example
 * ```ts
 * for (const block of message.content) {
 *   switch (block.type) {
 *     case 'text': console.log(block.text); break;
 *     case 'tool_use': console.log('call', block.name, block.input); break;
 *     default: break; // thinking, server tool results, and types added later
 *   }
 * }
 * ```
 *
 * @see Message
 * @see RawContentBlockStartEvent
 */
export const ContentBlock = openUnion('ContentBlock', {
  text: TextBlock,
  tool_use: ToolUseBlock,
  server_tool_use: ServerToolUseBlock,
  thinking: ThinkingBlock,
  redacted_thinking: RedactedThinkingBlock,
  web_search_tool_result: WebSearchToolResultBlock,
  web_fetch_tool_result: WebFetchToolResultBlock,
  code_execution_tool_result: CodeExecutionToolResultBlock,
  bash_code_execution_tool_result: BashCodeExecutionToolResultBlock,
  text_editor_code_execution_tool_result: TextEditorCodeExecutionToolResultBlock,
  tool_search_tool_result: ToolSearchToolResultBlock,
  mcp_tool_use: MCPToolUseBlock,
  mcp_tool_result: MCPToolResultBlock,
  container_upload: ContainerUploadBlock,
  compaction: CompactionBlock,
  fallback: FallbackBlock,
  advisor_tool_result: AdvisorToolResultBlock,
});
export type ContentBlock = t.TypeOf<typeof ContentBlock>;
