import * as t from 'io-ts';
import { CacheControl } from './cacheControl';
import { nullable, openEnum, struct } from './combinators';
import { openUnion } from './openUnion';

const InputSchemaCodec = struct(
  'InputSchema',
  { type: t.literal('object') },
  { properties: nullable(t.UnknownRecord), required: nullable(t.array(t.string)) },
);
/**
 * The JSON Schema of a tool's input: an object schema. Other JSON Schema keywords
 * (`additionalProperties`, `$defs`, …) are kept as they are.
 *
 * ## Example
 * ```ts
 * const schema: InputSchema = { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] };
 * const tool: Tool = { name: 'get_weather', input_schema: schema };
 * ```
 */
export interface InputSchema extends t.TypeOf<typeof InputSchemaCodec> {}
/** The io-ts codec of {@link InputSchema}. */
export const InputSchema: t.Type<InputSchema> = InputSchemaCodec;

/**
 * Who may call a tool: the model directly, or code the code execution tool runs.
 *
 * ## Example
 * ```ts
 * const tool: Tool = { name: 'lookup', input_schema: { type: 'object' }, allowed_callers: ['code_execution_20250825'] };
 * AllowedCaller.decode('direct'); // right('direct')
 * ```
 */
export const AllowedCaller = openEnum(['direct', 'code_execution_20250825', 'code_execution_20260120']);
export type AllowedCaller = t.TypeOf<typeof AllowedCaller>;

/** The optional fields every tool, custom or server, may carry. */
const commonToolFields = {
  cache_control: nullable(CacheControl),
  defer_loading: t.boolean,
  strict: t.boolean,
  allowed_callers: t.array(AllowedCaller),
};

const ToolCodec = struct(
  'Tool',
  { name: t.string, input_schema: InputSchema },
  {
    ...commonToolFields,
    type: nullable(t.literal('custom')),
    description: t.string,
    eager_input_streaming: nullable(t.boolean),
    input_examples: t.array(t.UnknownRecord),
  },
);
/**
 * A tool your code runs: the model answers with `tool_use` blocks whose `input` follows
 * `input_schema`.
 *
 * ## Example
 * ```ts
 * const getWeather: Tool = {
 *   name: 'get_weather',
 *   description: 'The current weather of a city',
 *   input_schema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
 * };
 * ```
 *
 * @see ToolUnion
 * @see ToolChoice
 */
export interface Tool extends t.TypeOf<typeof ToolCodec> {}
/** The io-ts codec of {@link Tool}. */
export const Tool: t.Type<Tool> = ToolCodec;

const ServerToolCodec = t.intersection(
  [struct('ServerTool', { type: t.string, name: t.string }, commonToolFields), t.UnknownRecord],
  'ServerTool',
);
/**
 * A tool the API itself runs (`web_search_20250305`, `web_fetch_20250910`,
 * `code_execution_20250825`, `bash_20250124`, `text_editor_20250728`, `memory_20250818`, …),
 * named by its versioned `type`. Its own settings (`max_uses`, `allowed_domains`,
 * `user_location`, …) are free-form: the list changes with every tool version.
 *
 * ## Example
 * ```ts
 * const webSearch: ServerTool = { type: 'web_search_20250305', name: 'web_search', max_uses: 3 };
 * ```
 *
 * @see ToolUnion
 */
export interface ServerTool extends t.TypeOf<typeof ServerToolCodec> {}
/** The io-ts codec of {@link ServerTool}. */
export const ServerTool: t.Type<ServerTool> = ServerToolCodec;

/**
 * One entry of a request's `tools`: a custom {@link Tool} (no `type`, or `type: 'custom'`) or a
 * {@link ServerTool}.
 *
 * ## Example
 * ```ts
 * const tools: ToolUnion[] = [getWeather, { type: 'web_search_20250305', name: 'web_search' }];
 * ```
 *
 * @see MessageCreateParams
 */
export const ToolUnion = t.union([Tool, ServerTool], 'ToolUnion');
export type ToolUnion = t.TypeOf<typeof ToolUnion>;

const ToolChoiceAutoCodec = struct('ToolChoiceAuto', { type: t.literal('auto') }, { disable_parallel_tool_use: t.boolean });
/**
 * The model decides whether to call a tool.
 *
 * ## Example
 * ```ts
 * const choice: ToolChoiceAuto = { type: 'auto', disable_parallel_tool_use: true };
 * client.messages.stream({ ...params, tools, tool_choice: choice });
 * ```
 */
export interface ToolChoiceAuto extends t.TypeOf<typeof ToolChoiceAutoCodec> {}
/** The io-ts codec of {@link ToolChoiceAuto}. */
export const ToolChoiceAuto: t.Type<ToolChoiceAuto> = ToolChoiceAutoCodec;

const ToolChoiceAnyCodec = struct('ToolChoiceAny', { type: t.literal('any') }, { disable_parallel_tool_use: t.boolean });
/**
 * The model must call some tool.
 *
 * ## Example
 * ```ts
 * const choice: ToolChoiceAny = { type: 'any' }; // the model must use one of the tools
 * client.messages.stream({ ...params, tools, tool_choice: choice });
 * ```
 */
export interface ToolChoiceAny extends t.TypeOf<typeof ToolChoiceAnyCodec> {}
/** The io-ts codec of {@link ToolChoiceAny}. */
export const ToolChoiceAny: t.Type<ToolChoiceAny> = ToolChoiceAnyCodec;

const ToolChoiceToolCodec = struct('ToolChoiceTool', { type: t.literal('tool'), name: t.string }, { disable_parallel_tool_use: t.boolean });
/**
 * The model must call the tool `name`.
 *
 * ## Example
 * ```ts
 * const choice: ToolChoiceTool = { type: 'tool', name: 'get_weather' };
 * client.messages.stream({ ...params, tools, tool_choice: choice });
 * ```
 */
export interface ToolChoiceTool extends t.TypeOf<typeof ToolChoiceToolCodec> {}
/** The io-ts codec of {@link ToolChoiceTool}. */
export const ToolChoiceTool: t.Type<ToolChoiceTool> = ToolChoiceToolCodec;

const ToolChoiceNoneCodec = struct('ToolChoiceNone', { type: t.literal('none') });
/**
 * The model may not call tools.
 *
 * ## Example
 * ```ts
 * const choice: ToolChoiceNone = { type: 'none' }; // tools listed, none may be called
 * client.messages.stream({ ...params, tools, tool_choice: choice });
 * ```
 */
export interface ToolChoiceNone extends t.TypeOf<typeof ToolChoiceNoneCodec> {}
/** The io-ts codec of {@link ToolChoiceNone}. */
export const ToolChoiceNone: t.Type<ToolChoiceNone> = ToolChoiceNoneCodec;

/**
 * How the model may use the request's tools: `auto`, `any`, `tool` (a named one) or `none`.
 *
 * ## Example
 * ```ts
 * const choice: ToolChoice = { type: 'tool', name: 'get_weather', disable_parallel_tool_use: true };
 * ```
 *
 * @see Tool
 */
export const ToolChoice = openUnion('ToolChoice', { auto: ToolChoiceAuto, any: ToolChoiceAny, tool: ToolChoiceTool, none: ToolChoiceNone });
export type ToolChoice = t.TypeOf<typeof ToolChoice>;
