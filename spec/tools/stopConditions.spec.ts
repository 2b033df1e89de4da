import { costBudget, tokenBudget, toolCalled, type Message, type ToolLoopState } from 'rx-anthropic';

const usage = { input_tokens: 1_000_000, output_tokens: 100_000, cache_creation_input_tokens: 200_000, cache_read_input_tokens: 500_000 };
const stateWith = (content: Message['content'], totals = usage): ToolLoopState => ({
  iteration: 1,
  params: { model: 'm', max_tokens: 10, messages: [] },
  messages: [],
  message: { id: 'msg_1', type: 'message', role: 'assistant', model: 'm', content, stop_reason: 'tool_use', stop_sequence: null, usage: { input_tokens: 1, output_tokens: 1 } },
  usage: totals,
});

describe('stop conditions', () => {
  it('toolCalled: the last turn called one of the named tools, or any tool without a name', () => {
    const called = stateWith([{ type: 'text', text: 'Done.', citations: null }, { type: 'tool_use', id: 't', name: 'final_answer', input: {} }]);
    const searched = stateWith([{ type: 'server_tool_use', id: 's', name: 'web_search', input: { query: 'q' } }]);
    const talked = stateWith([{ type: 'text', text: 'Hi', citations: null }]);
    expect([toolCalled('final_answer')(called), toolCalled('submit')(called), toolCalled('submit', 'final_answer')(called)]).toEqual([true, false, true]);
    expect([toolCalled()(searched), toolCalled('web_search')(searched), toolCalled()(talked)]).toEqual([true, true, false]);
    expect(toolCalled()({ ...talked, message: undefined })).toBe(false);
  });

  it('tokenBudget: every kind of token counts', () => {
    // 1,000,000 + 100,000 + 200,000 + 500,000 = 1,800,000
    expect([tokenBudget(1_800_000)(stateWith([])), tokenBudget(1_800_001)(stateWith([]))]).toEqual([true, false]);
  });

  it('costBudget: each kind at its price per million, cache prices from the input price by default', () => {
    // 1 × 3 + 0.1 × 15 + 0.2 × 3.75 + 0.5 × 0.3 = 3 + 1.5 + 0.75 + 0.15 = 5.4
    expect([costBudget(5.4, { input: 3, output: 15 })(stateWith([])), costBudget(5.41, { input: 3, output: 15 })(stateWith([]))]).toEqual([true, false]);
    // 3 + 1.5 + 0.2 × 6 + 0.5 × 0 = 5.7
    expect(costBudget(5.7, { input: 3, output: 15, cacheWrite: 6, cacheRead: 0 })(stateWith([]))).toBe(true);
  });
});
