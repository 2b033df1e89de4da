import type { InputMessage, Message } from 'rx-anthropic';
import { appendToolResult, appendTurn, isPrompt, settleInterruptedReply, upToLastPrompt } from '../../lib/angular/conversation';

/** The conversation of a chat store as replies finish, tools answer, replies stop and prompts are retried. */

const toolTurn: InputMessage = {
  role: 'assistant',
  content: [
    { type: 'text', text: 'Let me look.' },
    { type: 'tool_use', id: 'toolu_1', name: 'search', input: { q: 'rx' } },
    { type: 'tool_use', id: 'toolu_2', name: 'search', input: { q: 'js' } },
  ],
};
const result = (id: string) => ({ type: 'tool_result' as const, tool_use_id: id, name: 'search', content: `found ${id}`, is_error: false });

describe('the conversation of a chat store', () => {
  it('appends a finished turn as an assistant message with its blocks, leaving the old array alone', () => {
    const before: InputMessage[] = [{ role: 'user', content: 'Hi' }];
    const message = { content: [{ type: 'text', text: 'Hello' }] } as unknown as Message;
    const after = appendTurn(before, message);
    expect(after).toEqual([{ role: 'user', content: 'Hi' }, { role: 'assistant', content: [{ type: 'text', text: 'Hello' }] }]);
    expect(before).toHaveLength(1);
  });

  it('gathers the results of one turn in one user message, after the turn', () => {
    const once = appendToolResult([toolTurn], result('toolu_1'));
    const twice = appendToolResult(once, result('toolu_2'));
    expect(twice).toEqual([
      toolTurn,
      {
        role: 'user',
        content: [
          { type: 'tool_result', tool_use_id: 'toolu_1', content: 'found toolu_1', is_error: false },
          { type: 'tool_result', tool_use_id: 'toolu_2', content: 'found toolu_2', is_error: false },
        ],
      },
    ]);
    expect(once[1]).not.toBe(twice[1]);
  });

  it('after an interruption, drops the tool uses that got no results and keeps the text that had streamed', () => {
    expect(settleInterruptedReply([{ role: 'user', content: 'Find it' }, toolTurn], '')).toEqual([
      { role: 'user', content: 'Find it' },
      { role: 'assistant', content: [{ type: 'text', text: 'Let me look.' }] },
    ]);
    const onlyToolUse: InputMessage = { role: 'assistant', content: [{ type: 'tool_use', id: 'toolu_3', name: 'search', input: {} }] };
    expect(settleInterruptedReply([{ role: 'user', content: 'Find it' }, onlyToolUse], 'Half a')).toEqual([
      { role: 'user', content: 'Find it' },
      { role: 'assistant', content: [{ type: 'text', text: 'Half a' }] },
    ]);
    // Stopped while the tools ran: one had answered, the other had not.
    const halfAnswered = appendToolResult([{ role: 'user', content: 'Find it' }, toolTurn], result('toolu_1'));
    expect(settleInterruptedReply(halfAnswered, '')).toEqual([
      { role: 'user', content: 'Find it' },
      { role: 'assistant', content: [{ type: 'text', text: 'Let me look.' }, { type: 'tool_use', id: 'toolu_1', name: 'search', input: { q: 'rx' } }] },
      halfAnswered[2],
    ]);
    // Stopped while the next turn streamed: every tool had answered, the turn's text so far is kept.
    const answered = appendToolResult(halfAnswered, result('toolu_2'));
    expect(settleInterruptedReply(answered, 'Both found')).toEqual([...answered, { role: 'assistant', content: [{ type: 'text', text: 'Both found' }] }]);
  });

  it('finds the last prompt to retry: a user message that is not only tool results', () => {
    const conversation = appendToolResult([{ role: 'user', content: 'Find it' }, toolTurn], result('toolu_1'));
    expect(isPrompt(conversation[2]!)).toBe(false);
    expect(upToLastPrompt([...conversation, { role: 'assistant', content: 'Found.' }])).toEqual([{ role: 'user', content: 'Find it' }]);
    expect(upToLastPrompt([{ role: 'user', content: [{ type: 'text', text: 'Look' }] }])).toHaveLength(1);
    expect(upToLastPrompt([])).toBeUndefined();
  });
});
