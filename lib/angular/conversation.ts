/**
 * How a chat store's conversation changes as replies stream, stop and are retried: pure functions
 * over the `messages` array, each returning a new array (the signal's value is never mutated).
 */
import type { ContentBlockParam, InputMessage, Message } from '../schema';
import type { ToolResultEvent } from '../tools/ToolLoopEvent';

type Block = { readonly type: string; readonly text?: unknown };

const blocksOf = (message: InputMessage): readonly Block[] | undefined => (Array.isArray(message.content) ? (message.content as readonly Block[]) : undefined);

/** A finished turn, appended as the assistant message the next request sends back. */
export function appendTurn(messages: readonly InputMessage[], message: Message): InputMessage[] {
  return [...messages, { role: 'assistant', content: message.content as ContentBlockParam[] }];
}

/** A tool's result, added to the user message of tool results that follows its turn (started if need be). */
export function appendToolResult(messages: readonly InputMessage[], result: ToolResultEvent): InputMessage[] {
  const block = { type: 'tool_result', tool_use_id: result.tool_use_id, content: result.content, is_error: result.is_error } as ContentBlockParam;
  const last = messages[messages.length - 1];
  if (last && isToolResults(last)) {
    return [...messages.slice(0, -1), { role: 'user', content: [...(blocksOf(last) as ContentBlockParam[]), block] }];
  }
  return [...messages, { role: 'user', content: [block] }];
}

/** Whether a message holds tool results only: what follows a turn whose tools ran. */
function isToolResults(message: InputMessage): boolean {
  const blocks = message.role === 'user' ? blocksOf(message) : undefined;
  return blocks !== undefined && blocks.length > 0 && blocks.every((block) => block.type === 'tool_result');
}

/**
 * The conversation after a reply stopped or failed, fit to send again: the last turn's tool uses
 * that got no result (its tools were stopped) are removed, since the API refuses a tool use without
 * its result, and the text that had streamed of the reply is kept as assistant text.
 */
export function settleInterruptedReply(messages: readonly InputMessage[], partialText: string): InputMessage[] {
  const settled = [...messages];
  const results = settled.length > 0 && isToolResults(settled[settled.length - 1]!) ? settled[settled.length - 1] : undefined;
  const turnIndex = settled.length - (results ? 2 : 1);
  const turn = settled[turnIndex];
  const turnBlocks = turn?.role === 'assistant' ? blocksOf(turn) : undefined;
  if (turnBlocks?.some((block) => block.type === 'tool_use')) {
    const answered = new Set((results ? (blocksOf(results) as readonly { tool_use_id?: unknown }[]) : []).map((block) => block.tool_use_id));
    const kept = turnBlocks.filter((block) => block.type !== 'tool_use' || answered.has((block as { id?: unknown }).id)) as ContentBlockParam[];
    settled.splice(turnIndex, 1, ...(kept.length > 0 ? [{ role: 'assistant' as const, content: kept }] : []));
  }
  if (partialText !== '') settled.push({ role: 'assistant', content: [{ type: 'text', text: partialText }] });
  return settled;
}

/** Whether a message is a prompt: a user message that is not only tool results. */
export function isPrompt(message: InputMessage): boolean {
  if (message.role !== 'user') return false;
  const blocks = blocksOf(message);
  return blocks === undefined || blocks.some((block) => block.type !== 'tool_result');
}

/** The conversation up to and with its last prompt (what `retry()` sends again), or `undefined` without one. */
export function upToLastPrompt(messages: readonly InputMessage[]): InputMessage[] | undefined {
  for (let index = messages.length - 1; index >= 0; index -= 1) {
    if (isPrompt(messages[index]!)) return messages.slice(0, index + 1);
  }
  return undefined;
}
