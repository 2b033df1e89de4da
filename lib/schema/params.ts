import * as t from 'io-ts';
import { CacheControl } from './cacheControl';
import { nullable, openEnum, struct } from './combinators';
import { ContentBlockParam, SystemContentBlockParam, TextBlockParam } from './contentBlockParams';
import type { KnownModel } from './knownModel';
import { openUnion } from './openUnion';
import { ToolChoice, ToolUnion } from './tools';

/**
 * A model name: one of the {@link KnownModel} names (`claude-sonnet-4-6`, …), which editors
 * complete, or any other string, so that a new model needs no new release. The codec accepts
 * any string. A deprecated model (see {@link DEPRECATED_MODELS}) warns once when a request names it.
 *
 * ## Example
 * ```ts
 * const model: Model = 'claude-sonnet-4-6';
 * client.messages.stream({ model, max_tokens: 1024, messages: [{ role: 'user', content: 'Hi' }] });
 * ```
 */
export const Model: t.Type<Model, string, unknown> = t.string;
// `string & {}` keeps the known names apart from `string` in the union, so that editors offer them.
export type Model = KnownModel | (string & {});

/**
 * A whole number, as the API requires for `max_tokens` and `top_k`: `1024.5` or `"1024"` is
 * refused. Typed `number`, not io-ts's branded `Int`, so that plain numbers still type-check.
 */
const WholeNumber = new t.Type<number, number, unknown>(
  'integer',
  (u): u is number => typeof u === 'number' && Number.isInteger(u),
  (u, c) => (typeof u === 'number' && Number.isInteger(u) ? t.success(u) : t.failure(u, c)),
  t.identity,
);

/**
 * A message's content: a string (one text block) or a list of blocks.
 *
 * ## Example
 * ```ts
 * const text: MessageContent = 'What is in this image?';
 * const blocks: MessageContent = [{ type: 'image', source: { type: 'url', url: imageUrl } }, { type: 'text', text }];
 * ```
 */
export const MessageContent = t.union([t.string, t.array(ContentBlockParam)], 'MessageContent');
export type MessageContent = t.TypeOf<typeof MessageContent>;

const MessageParamCodec = struct('MessageParam', { role: t.keyof({ user: null, assistant: null }, 'Role'), content: MessageContent });
/**
 * One turn of a conversation: a `user` or `assistant` message.
 *
 * ## Example
 * ```ts
 * const messages: MessageParam[] = [
 *   { role: 'user', content: 'What is the weather in Paris?' },
 *   { role: 'assistant', content: previous.content },
 *   { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_01', content: '18°C, sunny' }] },
 * ];
 * ```
 *
 * @see ContentBlockParam
 * @see MessageCreateParams
 */
export interface MessageParam extends t.TypeOf<typeof MessageParamCodec> {}
/** The io-ts codec of {@link MessageParam}. */
export const MessageParam: t.Type<MessageParam> = MessageParamCodec;

const SystemMessageParamCodec = struct(
  'SystemMessageParam',
  { role: t.literal('system') },
  {
    content: t.union([t.string, t.array(SystemContentBlockParam)], 'SystemMessageContent'),
    clear_at: nullable(openEnum(['next_user_message', 'never'])),
    output_config: nullable(struct('SystemMessageOutputConfig', {}, { effort: nullable(openEnum(['low', 'medium', 'high', 'xhigh', 'max'])) })),
  },
);
/**
 * A `system` message in the middle of `messages`: instructions from that point on, and tools
 * offered (`tool_addition`) or withdrawn (`tool_removal`) from that point on, so that the
 * request's `tools` (and the prompt cache) need not change.
 *
 * ## Example
 * ```ts
 * const withdraw: SystemMessageParam = { role: 'system', content: [{ type: 'tool_removal', tool: { type: 'tool_reference', name: 'web_search' } }] };
 * client.messages.stream({ ...params, messages: [...params.messages, withdraw] });
 * ```
 *
 * @see ToolAdditionBlockParam
 * @see ToolRemovalBlockParam
 */
export interface SystemMessageParam extends t.TypeOf<typeof SystemMessageParamCodec> {}
/** The io-ts codec of {@link SystemMessageParam}. */
export const SystemMessageParam: t.Type<SystemMessageParam> = SystemMessageParamCodec;

/**
 * One entry of a request's `messages`: a `user` or `assistant` turn ({@link MessageParam}), or a
 * `system` message ({@link SystemMessageParam}).
 *
 * Told apart by `role`: a message whose role is `system` is checked as a system message, every
 * other one as a {@link MessageParam}, so an error names the field of the message it is about.
 *
 * ## Example
 * ```ts
 * const messages: InputMessage[] = [
 *   { role: 'user', content: 'Plan my trip.' },
 *   { role: 'system', content: [{ type: 'tool_addition', tool: { type: 'tool_reference', name: 'book_flight' } }] },
 * ];
 * ```
 */
export const InputMessage = new t.UnionType<[typeof MessageParam, typeof SystemMessageParam], MessageParam | SystemMessageParam>(
  'InputMessage',
  (u): u is MessageParam | SystemMessageParam => (isSystemMessage(u) ? SystemMessageParam.is(u) : MessageParam.is(u)),
  // One member is chosen by role, not tried in turn; its context entry is a union member's, so error paths skip it.
  (u, c) => (isSystemMessage(u) ? SystemMessageParam.validate(u, t.appendContext(c, '1', SystemMessageParam, u)) : MessageParam.validate(u, t.appendContext(c, '0', MessageParam, u))),
  (a) => (isSystemMessage(a) ? SystemMessageParam.encode(a) : MessageParam.encode(a)),
  [MessageParam, SystemMessageParam],
);
export type InputMessage = t.TypeOf<typeof InputMessage>;

/** `messages` of a request; named after the API's own term in error messages (`expected Array<MessageParam>`). */
const InputMessages = t.array(InputMessage, 'Array<MessageParam>');

function isSystemMessage(u: unknown): u is SystemMessageParam {
  return typeof u === 'object' && u !== null && (u as { role?: unknown }).role === 'system';
}

/**
 * The system prompt: a string or text blocks (which may carry `cache_control`).
 *
 * ## Example
 * ```ts
 * const system: SystemPrompt = [{ type: 'text', text: 'You are terse.', cache_control: { type: 'ephemeral' } }];
 * client.messages.stream({ ...params, system });
 * ```
 */
export const SystemPrompt = t.union([t.string, t.array(TextBlockParam)], 'SystemPrompt');
export type SystemPrompt = t.TypeOf<typeof SystemPrompt>;

const ThinkingConfigEnabledCodec = struct(
  'ThinkingConfigEnabled',
  { type: t.literal('enabled'), budget_tokens: t.number },
  { display: nullable(openEnum(['summarized', 'omitted'])) },
);
/**
 * Extended thinking on, with a token budget.
 *
 * ## Example
 * ```ts
 * const thinking: ThinkingConfigEnabled = { type: 'enabled', budget_tokens: 4096 };
 * client.messages.stream({ ...params, max_tokens: 16000, thinking });
 * ```
 */
export interface ThinkingConfigEnabled extends t.TypeOf<typeof ThinkingConfigEnabledCodec> {}
/** The io-ts codec of {@link ThinkingConfigEnabled}. */
export const ThinkingConfigEnabled: t.Type<ThinkingConfigEnabled> = ThinkingConfigEnabledCodec;

const ThinkingConfigDisabledCodec = struct('ThinkingConfigDisabled', { type: t.literal('disabled') });
/**
 * Extended thinking off.
 *
 * ## Example
 * ```ts
 * const thinking: ThinkingConfigDisabled = { type: 'disabled' };
 * client.messages.stream({ ...params, thinking });
 * ```
 */
export interface ThinkingConfigDisabled extends t.TypeOf<typeof ThinkingConfigDisabledCodec> {}
/** The io-ts codec of {@link ThinkingConfigDisabled}. */
export const ThinkingConfigDisabled: t.Type<ThinkingConfigDisabled> = ThinkingConfigDisabledCodec;

const ThinkingConfigAdaptiveCodec = struct(
  'ThinkingConfigAdaptive',
  { type: t.literal('adaptive') },
  { display: nullable(openEnum(['summarized', 'omitted'])) },
);
/**
 * The model decides how much to think.
 *
 * ## Example
 * ```ts
 * const thinking: ThinkingConfigAdaptive = { type: 'adaptive', display: 'summarized' };
 * client.messages.stream({ ...params, thinking });
 * ```
 */
export interface ThinkingConfigAdaptive extends t.TypeOf<typeof ThinkingConfigAdaptiveCodec> {}
/** The io-ts codec of {@link ThinkingConfigAdaptive}. */
export const ThinkingConfigAdaptive: t.Type<ThinkingConfigAdaptive> = ThinkingConfigAdaptiveCodec;

/**
 * Extended thinking: `enabled` (with `budget_tokens`), `disabled` or `adaptive`.
 *
 * ## Example
 * ```ts
 * const thinking: ThinkingConfig = useThinking ? { type: 'enabled', budget_tokens: 2048 } : { type: 'disabled' };
 * client.messages.stream({ ...params, thinking });
 * ```
 */
export const ThinkingConfig = openUnion('ThinkingConfig', {
  enabled: ThinkingConfigEnabled,
  disabled: ThinkingConfigDisabled,
  adaptive: ThinkingConfigAdaptive,
});
export type ThinkingConfig = t.TypeOf<typeof ThinkingConfig>;

const MetadataCodec = struct('Metadata', {}, { user_id: nullable(t.string) });
/**
 * Request metadata: an opaque `user_id` for abuse detection.
 *
 * ## Example
 * ```ts
 * const metadata: Metadata = { user_id: 'user-4821' }; // an opaque id, never personal data
 * client.messages.stream({ ...params, metadata });
 * ```
 */
export interface Metadata extends t.TypeOf<typeof MetadataCodec> {}
/** The io-ts codec of {@link Metadata}. */
export const Metadata: t.Type<Metadata> = MetadataCodec;

const JSONOutputFormatCodec = struct('JSONOutputFormat', { type: t.literal('json_schema'), schema: t.UnknownRecord });
/**
 * Structured output: the answer's text is JSON that follows `schema`.
 *
 * ## Example
 * ```ts
 * const format: JSONOutputFormat = { type: 'json_schema', schema: { type: 'object', properties: { city: { type: 'string' } } } };
 * client.messages.create({ ...params, output_config: { format } });
 * ```
 */
export interface JSONOutputFormat extends t.TypeOf<typeof JSONOutputFormatCodec> {}
/** The io-ts codec of {@link JSONOutputFormat}. */
export const JSONOutputFormat: t.Type<JSONOutputFormat> = JSONOutputFormatCodec;

/**
 * The shape of the answer: a JSON schema (other kinds pass through).
 *
 * ## Example
 * ```ts
 * const format: OutputFormat = { type: 'json_schema', schema: { type: 'object', properties: { answer: { type: 'string' } } } };
 * client.messages.create({ ...params, output_config: { format } });
 * ```
 */
export const OutputFormat = openUnion('OutputFormat', { json_schema: JSONOutputFormat });
export type OutputFormat = t.TypeOf<typeof OutputFormat>;

const OutputConfigCodec = struct(
  'OutputConfig',
  {},
  { effort: nullable(openEnum(['low', 'medium', 'high', 'xhigh', 'max'])), format: nullable(OutputFormat) },
);
/**
 * Output settings: `effort` and structured-output `format`.
 *
 * ## Example
 * ```ts
 * const output_config: OutputConfig = { effort: 'low' };
 * client.messages.stream({ ...params, output_config });
 * ```
 */
export interface OutputConfig extends t.TypeOf<typeof OutputConfigCodec> {}
/** The io-ts codec of {@link OutputConfig}. */
export const OutputConfig: t.Type<OutputConfig> = OutputConfigCodec;

const SkillParamsCodec = struct('SkillParams', { skill_id: t.string }, { type: t.string, version: t.string });
/**
 * A skill to load into the container.
 *
 * ## Example
 * ```ts
 * const skill: SkillParams = { type: 'anthropic', skill_id: 'xlsx', version: 'latest' };
 * client.messages.stream({ ...params, container: { skills: [skill] } });
 * ```
 */
export interface SkillParams extends t.TypeOf<typeof SkillParamsCodec> {}
/** The io-ts codec of {@link SkillParams}. */
export const SkillParams: t.Type<SkillParams> = SkillParamsCodec;

const ContainerParamsCodec = struct('ContainerParams', {}, { id: nullable(t.string), skills: nullable(t.array(SkillParams)) });
/**
 * Which code execution container to use, and the skills to load into it.
 *
 * ## Example
 * ```ts
 * const container: ContainerParams = { id: previous.container?.id ?? null, skills: [{ type: 'anthropic', skill_id: 'pdf' }] };
 * client.messages.stream({ ...params, container });
 * ```
 */
export interface ContainerParams extends t.TypeOf<typeof ContainerParamsCodec> {}
/** The io-ts codec of {@link ContainerParams}. */
export const ContainerParams: t.Type<ContainerParams> = ContainerParamsCodec;

const MCPServerURLDefinitionCodec = struct(
  'MCPServerURLDefinition',
  { type: t.literal('url'), url: t.string, name: t.string },
  {
    authorization_token: nullable(t.string),
    tool_configuration: nullable(struct('MCPServerToolConfiguration', {}, { allowed_tools: nullable(t.array(t.string)), enabled: nullable(t.boolean) })),
  },
);
/**
 * A remote MCP server the API connects to and whose tools the model may call.
 *
 * ## Example
 * ```ts
 * const server: MCPServerURLDefinition = { type: 'url', url: 'https://mcp.example.com/sse', name: 'example', authorization_token: token };
 * client.messages.stream({ ...params, mcp_servers: [server] }, { betas: ['mcp-client-2025-04-04'] });
 * ```
 */
export interface MCPServerURLDefinition extends t.TypeOf<typeof MCPServerURLDefinitionCodec> {}
/** The io-ts codec of {@link MCPServerURLDefinition}. */
export const MCPServerURLDefinition: t.Type<MCPServerURLDefinition> = MCPServerURLDefinitionCodec;

/** The optional fields both {@link MessageCreateParams} and {@link MessageCountTokensParams} take. */
const sharedOptionalParams = {
  system: SystemPrompt,
  tools: t.array(ToolUnion),
  tool_choice: ToolChoice,
  thinking: ThinkingConfig,
  mcp_servers: t.array(MCPServerURLDefinition),
  output_config: OutputConfig,
  output_format: nullable(OutputFormat),
  context_management: nullable(t.UnknownRecord),
  cache_control: nullable(CacheControl),
  speed: nullable(openEnum(['standard', 'fast'])),
};

const MessageCreateParamsCodec = struct(
  'MessageCreateParams',
  { model: Model, max_tokens: WholeNumber, messages: InputMessages },
  {
    ...sharedOptionalParams,
    temperature: t.number,
    top_p: t.number,
    top_k: WholeNumber,
    stop_sequences: t.array(t.string),
    metadata: Metadata,
    stream: t.boolean,
    service_tier: openEnum(['auto', 'standard_only']),
    container: nullable(t.union([t.string, ContainerParams], 'string | ContainerParams')),
    inference_geo: nullable(t.string),
  },
);
/**
 * The body of a Messages request (`POST /v1/messages`).
 *
 * `model`, `max_tokens` and `messages` are required. `stream` is set by
 * `client.messages.stream()` itself. Fields this library does not list are sent as they are if
 * you add them (cast the object), so a new API parameter needs no new release.
 *
 * ## Example
 * ```ts
 * const params: MessageCreateParams = {
 *   model: 'claude-sonnet-4-6',
 *   max_tokens: 1024,
 *   system: 'Answer in one sentence.',
 *   messages: [{ role: 'user', content: 'Why is the sky blue?' }],
 * };
 * client.messages.stream(params).pipe(textDeltas()).subscribe((text) => process.stdout.write(text));
 * ```
 *
 * @see MessageParam
 * @see ToolUnion
 * @see MessageCountTokensParams
 */
export interface MessageCreateParams extends t.TypeOf<typeof MessageCreateParamsCodec> {}
/** The io-ts codec of {@link MessageCreateParams}. */
export const MessageCreateParams: t.Type<MessageCreateParams> = MessageCreateParamsCodec;

const MessageCountTokensParamsCodec = struct(
  'MessageCountTokensParams',
  { model: Model, messages: InputMessages },
  sharedOptionalParams,
);
/**
 * The body of a token-count request (`POST /v1/messages/count_tokens`): a Messages request
 * without `max_tokens` and the sampling options.
 *
 * ## Example
 * ```ts
 * client.messages.countTokens({ model: 'claude-sonnet-4-6', messages }).subscribe(({ input_tokens }) => console.log(input_tokens));
 * ```
 *
 * @see MessageCreateParams
 */
export interface MessageCountTokensParams extends t.TypeOf<typeof MessageCountTokensParamsCodec> {}
/** The io-ts codec of {@link MessageCountTokensParams}. */
export const MessageCountTokensParams: t.Type<MessageCountTokensParams> = MessageCountTokensParamsCodec;
