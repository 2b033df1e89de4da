import * as t from 'io-ts';
import { lastValueFrom, of, toArray } from 'rxjs';
import {
  createClient,
  defineTool,
  InvalidArgumentError,
  toApiTool,
  toolCalled,
  toolLoop,
  type MessageCreateParams,
  type ToolApprovalRequest,
  type ToolLoopEndEvent,
  type ToolLoopEvent,
  type ToolLoopOptions,
  type ToolLoopState,
  type ToolResultEvent,
} from 'rx-anthropic';
import { createMockServer, textReply, toolUseReply, type MockServer, type MockTurn } from 'rx-anthropic/testing';

/** The loop's hooks from the user's side, against the mock server: what they see, what they change, what they stop. */
const params: MessageCreateParams = { model: 'claude-big', max_tokens: 1024, messages: [{ role: 'user', content: 'Research the weather.' }] };

let server: MockServer;
afterEach(async () => server?.close());
const runLoop = async (script: MockTurn[], options: ToolLoopOptions) => {
  server = await createMockServer(script);
  const client = createClient({ baseURL: server.baseURL, apiKey: 'k', maxRetries: 0 });
  return lastValueFrom(of(params).pipe(toolLoop(client, options), toArray()));
};
const endOf = (events: ToolLoopEvent[]) => events.at(-1) as ToolLoopEndEvent;
const resultsOf = (events: ToolLoopEvent[]) => events.filter((e): e is ToolResultEvent => e.type === 'tool_result');
const sent = (index: number) => server.requests[index]?.body as MessageCreateParams;

let runs: string[] = [];
beforeEach(() => (runs = []));
const getWeather = defineTool({ name: 'get_weather', description: 'Weather', input: t.type({ city: t.string }), run: ({ city }) => (runs.push(city), `Sunny in ${city}`) });
const finalAnswer = defineTool({ name: 'final_answer', description: 'The answer', input: t.type({ answer: t.string }), run: ({ answer }) => (runs.push('final'), answer) });
const weatherTurn = (city: string, usage = { input_tokens: 100, output_tokens: 10 }) => toolUseReply([{ id: `toolu_${city}`, name: 'get_weather', input: { city } }], { usage });

describe('prepareTurn', () => {
  it('is called before every request, the first included, with the iteration, the params, the conversation, the last message and the usage', async () => {
    const states: ToolLoopState[] = [];
    await runLoop([weatherTurn('Oslo'), textReply('Sunny.', { usage: { input_tokens: 130, output_tokens: 4 } })], {
      tools: [getWeather],
      prepareTurn: (state) => void states.push(state),
    });
    expect(states).toHaveLength(2);
    const [first, second] = states as [ToolLoopState, ToolLoopState];
    expect(first).toEqual({
      iteration: 0,
      params: { ...params, tools: [toApiTool(getWeather)] },
      messages: params.messages,
      usage: { input_tokens: 0, output_tokens: 0, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 },
    });
    expect(first).not.toHaveProperty('message');
    expect(second.iteration).toBe(1);
    expect({ ...second.params, stream: true }).toEqual(sent(0));
    expect(second.message?.content).toEqual([{ type: 'tool_use', id: 'toolu_Oslo', name: 'get_weather', input: { city: 'Oslo' } }]);
    expect(second.messages.map((message) => message.role)).toEqual(['user', 'assistant', 'user']);
    expect(second.messages.at(-1)).toEqual({ role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_Oslo', content: 'Sunny in Oslo' }] });
    expect(second.usage).toEqual({ input_tokens: 100, output_tokens: 10, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 });
  });

  it('changes the request it answers for, and the change stays for the requests after it', async () => {
    await runLoop([weatherTurn('Oslo'), weatherTurn('Rome'), textReply('Done.')], {
      tools: [getWeather],
      prepareTurn: ({ iteration }) => (iteration === 1 ? { model: 'claude-small', max_tokens: 256 } : undefined),
    });
    expect(server.requests.map((request) => [(request.body as MessageCreateParams).model, (request.body as MessageCreateParams).max_tokens])).toEqual([
      ['claude-big', 1024],
      ['claude-small', 256],
      ['claude-small', 256],
    ]);
  });

  it('adds messages to the conversation, as pushMessages does, when it returns them (a Promise will do)', async () => {
    await runLoop([weatherTurn('Oslo'), textReply('Oslo, then Rome.'), textReply('unused')], {
      tools: [getWeather],
      prepareTurn: async ({ iteration, messages }) => (iteration === 1 ? { messages: [...messages, { role: 'user', content: 'Also Rome, please.' }] } : undefined),
    });
    expect(sent(1).messages.slice(2)).toEqual([
      { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_Oslo', content: 'Sunny in Oslo' }] },
      { role: 'user', content: 'Also Rome, please.' },
    ]);
  });

  it('fails the loop with the error it throws, before the request', async () => {
    const error = await runLoop([textReply('unused')], {
      tools: [],
      prepareTurn: () => {
        throw new Error('no budget left');
      },
    }).catch((e: unknown) => e);
    expect(error).toEqual(new Error('no budget left'));
    expect(server.requests).toHaveLength(0);
  });
});

describe('stopWhen', () => {
  it('is asked after each turn whose tools ran, never after the turn that ends the loop', async () => {
    const asked: number[] = [];
    const events = await runLoop([weatherTurn('Oslo'), weatherTurn('Rome'), textReply('Done.')], {
      tools: [getWeather],
      stopWhen: ({ iteration }) => (asked.push(iteration), false),
    });
    expect(asked).toEqual([1, 2]);
    expect(endOf(events)).toMatchObject({ stop_reason: 'end_turn', iterations: 3 });
  });

  it('ends with stop_when once toolCalled("final_answer") holds: the tool ran, its result is in the conversation, nothing more is sent', async () => {
    const events = await runLoop(
      [weatherTurn('Oslo'), toolUseReply([{ id: 'toolu_final', name: 'final_answer', input: { answer: 'Sunny in Oslo.' } }]), textReply('unused')],
      { tools: [getWeather, finalAnswer], stopWhen: toolCalled('final_answer') },
    );
    expect(runs).toEqual(['Oslo', 'final']);
    expect(server.requests).toHaveLength(2);
    const end = endOf(events);
    expect(end).toMatchObject({ stop_reason: 'stop_when', iterations: 2 });
    expect(end.messages.at(-1)).toEqual({ role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_final', content: 'Sunny in Oslo.' }] });
  });

  it('is asked before maxIterations is counted, so its stop reason wins on the last turn', async () => {
    const events = await runLoop([weatherTurn('Oslo')], { tools: [getWeather], maxIterations: 1, stopWhen: () => true });
    expect(endOf(events).stop_reason).toBe('stop_when');
  });
});

describe('approve and needsApproval', () => {
  const deleteFile = defineTool({ name: 'delete_file', description: 'Deletes a file', input: t.type({ path: t.string }), needsApproval: true, run: ({ path }) => (runs.push(path), `deleted ${path}`) });
  const deleteTurn = toolUseReply([{ id: 'toolu_del', name: 'delete_file', input: { path: 'notes.md' } }]);

  it('emits the approval request before asking, and asks with that same object', async () => {
    const asked: ToolApprovalRequest[] = [];
    const events = await runLoop([deleteTurn, textReply('Deleted.')], { tools: [deleteFile], approve: (request) => (asked.push(request), { approved: true }) });
    const request = events.find((event) => event.type === 'tool_approval_request');
    expect(request).toEqual({ type: 'tool_approval_request', tool_use_id: 'toolu_del', name: 'delete_file', input: { path: 'notes.md' } });
    expect(asked).toEqual([request]);
    expect(asked[0]).toBe(request);
    expect(events.indexOf(request as ToolLoopEvent)).toBeLessThan(events.findIndex((event) => event.type === 'tool_result'));
    expect(runs).toEqual(['notes.md']);
  });

  it('sends { result } instead of running the tool', async () => {
    const events = await runLoop([deleteTurn, textReply('Kept.')], { tools: [deleteFile], approve: () => Promise.resolve({ result: 'The user moved it to the bin instead.' }) });
    expect(runs).toEqual([]);
    expect(resultsOf(events)).toEqual([{ type: 'tool_result', tool_use_id: 'toolu_del', name: 'delete_file', content: 'The user moved it to the bin instead.', is_error: false }]);
    expect(sent(1).messages.at(-1)).toEqual({ role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_del', content: 'The user moved it to the bin instead.' }] });
  });

  it('denies when the approver completes without answering', async () => {
    const events = await runLoop([deleteTurn, textReply('Kept.')], { tools: [deleteFile], approve: () => of() });
    expect(runs).toEqual([]);
    expect(resultsOf(events)[0]).toMatchObject({ is_error: true, content: "Error: Tool 'delete_file' was not approved" });
  });

  it('fails the loop with InvalidArgumentError for an answer of another shape, and the tool never runs', async () => {
    const error = await runLoop([deleteTurn, textReply('unused')], { tools: [deleteFile], approve: () => true as never }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidArgumentError);
    expect((error as InvalidArgumentError).argument).toBe('approve');
    expect((error as Error).message).toBe('`approve` answered true about tool "delete_file": answer { approved: true }, { approved: false, reason? } or { result: content }.');
    expect(runs).toEqual([]);
  });

  it('refuses to start a loop whose tool needs approval but that has no approve, before any request', async () => {
    const error = await runLoop([deleteTurn], { tools: [deleteFile] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidArgumentError);
    expect((error as Error).message).toBe('Tool "delete_file" needs approval, but the tool loop has no `approve` option to ask: add one, or drop `needsApproval`.');
    expect(server.requests).toHaveLength(0);
  });

  it('asks about every tool with the loop\'s needsApproval, except one that says needsApproval: false', async () => {
    const readFile = defineTool({ name: 'read_file', description: 'Reads', input: t.type({ path: t.string }), needsApproval: false, run: ({ path }) => (runs.push(`read ${path}`), 'text') });
    const asked: string[] = [];
    await runLoop(
      [toolUseReply([{ name: 'read_file', input: { path: 'a' } }, { name: 'get_weather', input: { city: 'Oslo' } }]), textReply('ok')],
      { tools: [readFile, getWeather], needsApproval: true, approve: (request) => (asked.push(request.name), { approved: true }) },
    );
    expect(asked).toEqual(['get_weather']);
    expect(runs.sort()).toEqual(['Oslo', 'read a']);
  });

  it('never asks about an unknown tool or input the codec refuses: those are answered at once', async () => {
    const asked: string[] = [];
    const events = await runLoop(
      [toolUseReply([{ name: 'delete_file', input: { path: 42 } }, { name: 'format_disk', input: {} }]), textReply('ok')],
      { tools: [deleteFile], approve: (request) => (asked.push(request.name), { approved: true }) },
    );
    expect(asked).toEqual([]);
    expect(resultsOf(events).map((result) => result.is_error)).toEqual([true, true]);
  });
});
