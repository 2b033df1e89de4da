import * as t from 'io-ts';
import { ContentBlock } from './contentBlocks';
import { nullable, openEnum, struct } from './combinators';
import { openUnion } from './openUnion';
import { Usage } from './usage';

/**
 * Why the model stopped. A value added later decodes too.
 *
 * ## Example
 * ```ts
 * const reason: StopReason = 'tool_use';
 * if (message.stop_reason === 'max_tokens') console.warn('truncated: raise max_tokens');
 * ```
 */
export const StopReason = openEnum([
  'end_turn',
  'max_tokens',
  'stop_sequence',
  'tool_use',
  'pause_turn',
  'refusal',
  'model_context_window_exceeded',
]);
export type StopReason = t.TypeOf<typeof StopReason>;

const ContainerSkillCodec = struct('ContainerSkill', { skill_id: t.string }, { type: t.string, version: t.string });
/**
 * A skill loaded into the code execution container.
 *
 * ## Example
 * ```ts
 * const skill: ContainerSkill = { skill_id: 'pptx', type: 'anthropic', version: 'latest' };
 * message.container?.skills?.forEach((s) => console.log(s.skill_id));
 * ```
 */
export interface ContainerSkill extends t.TypeOf<typeof ContainerSkillCodec> {}
/** The io-ts codec of {@link ContainerSkill}. */
export const ContainerSkill: t.Type<ContainerSkill> = ContainerSkillCodec;

const ContainerCodec = struct('Container', { id: t.string }, { expires_at: t.string, skills: nullable(t.array(ContainerSkill)) });
/**
 * The code execution container the request used; pass `id` back to reuse it.
 *
 * ## Example
 * ```ts
 * const container: Container = { id: 'container_011CQ', expires_at: '2025-06-01T12:00:00Z' };
 * const next = { ...params, container: message.container?.id }; // reuse it in the next request
 * ```
 */
export interface Container extends t.TypeOf<typeof ContainerCodec> {}
/** The io-ts codec of {@link Container}. */
export const Container: t.Type<Container> = ContainerCodec;

const RefusalStopDetailsCodec = struct(
  'RefusalStopDetails',
  { type: t.literal('refusal') },
  {
    category: nullable(openEnum(['cyber', 'bio', 'frontier_llm', 'reasoning_extraction', 'general_harms'])),
    explanation: nullable(t.string),
    fallback_credit_token: nullable(t.string),
    fallback_has_prefill_claim: nullable(t.boolean),
    recommended_model: nullable(t.string),
  },
);
/**
 * Why a `refusal` stop happened.
 *
 * ## Example
 * ```ts
 * const details: RefusalStopDetails = { type: 'refusal', category: 'cyber', explanation: null };
 * if (message.stop_details?.type === 'refusal') console.log(message.stop_details.category);
 * ```
 */
export interface RefusalStopDetails extends t.TypeOf<typeof RefusalStopDetailsCodec> {}
/** The io-ts codec of {@link RefusalStopDetails}. */
export const RefusalStopDetails: t.Type<RefusalStopDetails> = RefusalStopDetailsCodec;

/**
 * More about `stop_reason`; today only for `refusal`. Other kinds pass through.
 *
 * ## Example
 * ```ts
 * const details: StopDetails = { type: 'refusal', category: 'bio' };
 * StopDetails.is(message.stop_details); // true when the API sent refusal details
 * ```
 */
export const StopDetails = openUnion('StopDetails', { refusal: RefusalStopDetails });
export type StopDetails = t.TypeOf<typeof StopDetails>;

const ClearToolUsesEditResponseCodec = struct(
  'ClearToolUsesEditResponse',
  { type: t.literal('clear_tool_uses_20250919') },
  { cleared_input_tokens: t.number, cleared_tool_uses: t.number },
);
/**
 * Tool uses the API cleared from the context.
 *
 * ## Example
 * ```ts
 * const edit: ClearToolUsesEditResponse = { type: 'clear_tool_uses_20250919', cleared_input_tokens: 5000, cleared_tool_uses: 3 };
 * ClearToolUsesEditResponse.is(edit); // true
 * ```
 */
export interface ClearToolUsesEditResponse extends t.TypeOf<typeof ClearToolUsesEditResponseCodec> {}
/** The io-ts codec of {@link ClearToolUsesEditResponse}. */
export const ClearToolUsesEditResponse: t.Type<ClearToolUsesEditResponse> = ClearToolUsesEditResponseCodec;

const ClearThinkingEditResponseCodec = struct(
  'ClearThinkingEditResponse',
  { type: t.literal('clear_thinking_20251015') },
  { cleared_input_tokens: t.number, cleared_thinking_turns: t.number },
);
/**
 * Thinking turns the API cleared from the context.
 *
 * ## Example
 * ```ts
 * const edit: ClearThinkingEditResponse = { type: 'clear_thinking_20251015', cleared_input_tokens: 2000, cleared_thinking_turns: 2 };
 * ClearThinkingEditResponse.is(edit); // true
 * ```
 */
export interface ClearThinkingEditResponse extends t.TypeOf<typeof ClearThinkingEditResponseCodec> {}
/** The io-ts codec of {@link ClearThinkingEditResponse}. */
export const ClearThinkingEditResponse: t.Type<ClearThinkingEditResponse> = ClearThinkingEditResponseCodec;

const ContextManagementCodec = struct(
  'ContextManagement',
  {},
  {
    applied_edits: t.array(
      openUnion('AppliedContextEdit', { clear_tool_uses_20250919: ClearToolUsesEditResponse, clear_thinking_20251015: ClearThinkingEditResponse }),
    ),
  },
);
/**
 * The context edits the API applied (the `context_management` request option).
 *
 * ## Example
 * ```ts
 * const management: ContextManagement = { applied_edits: [{ type: 'clear_tool_uses_20250919', cleared_tool_uses: 3 }] };
 * message.context_management?.applied_edits?.forEach((edit) => console.log(edit.type));
 * ```
 */
export interface ContextManagement extends t.TypeOf<typeof ContextManagementCodec> {}
/** The io-ts codec of {@link ContextManagement}. */
export const ContextManagement: t.Type<ContextManagement> = ContextManagementCodec;

const MessageCodec = struct(
  'Message',
  {
    id: t.string,
    type: t.literal('message'),
    role: t.literal('assistant'),
    content: t.array(ContentBlock),
    model: t.string,
    stop_reason: nullable(StopReason),
    stop_sequence: nullable(t.string),
    usage: Usage,
  },
  {
    container: nullable(Container),
    context_management: nullable(ContextManagement),
    stop_details: nullable(StopDetails),
    diagnostics: nullable(t.UnknownRecord),
  },
);
/**
 * An assistant message: what `message_start` opens and a non-streaming request answers.
 *
 * Always present: `id`, `type`, `role`, `content`, `model`, `stop_reason`, `stop_sequence`
 * (both `null` until the end) and `usage`. `container`, `context_management`, `stop_details`
 * and fields added later are optional and kept.
 *
 * ## Example
 * ```ts
 * client.messages.create({ model: 'claude-sonnet-4-6', max_tokens: 1024, messages }).subscribe((message: Message) => {
 *   console.log(message.stop_reason, message.usage.output_tokens);
 * });
 * ```
 *
 * @see ContentBlock
 * @see Usage
 * @see RawMessageStartEvent
 */
export interface Message extends t.TypeOf<typeof MessageCodec> {}
/** The io-ts codec of {@link Message}. */
export const Message: t.Type<Message> = MessageCodec;
