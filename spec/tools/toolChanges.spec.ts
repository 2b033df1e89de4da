import * as t from 'io-ts';
import { lastValueFrom, of, toArray } from 'rxjs';
import {
  createClient,
  defineTool,
  toApiTool,
  toolLoop,
  type InputMessage,
  type MessageCreateParams,
  type ToolLoopEndEvent,
  type ToolLoopEvent,
  type ToolLoopOptions,
  type ToolResultEvent,
} from 'rx-anthropic';
import { createMockServer, messageReply, textReply, toolUseReply, type MockServer, type MockTurn } from 'rx-anthropic/testing';

/**
 * Tools offered and withdrawn mid-conversation (`system` messages of `tool_addition` and
 * `tool_removal` blocks): the loop runs only the tools available at the turn it answers, as the
 * official runner's `availableToolNames` does, and `prepareTurn` can make such changes itself.
 */
const params: MessageCreateParams = { model: 'claude-test', max_tokens: 256, messages: [{ role: 'user', content: 'Plan my day.' }] };

let server: MockServer;
afterEach(async () => server?.close());
const runLoop = async (script: MockTurn[], options: ToolLoopOptions, p: MessageCreateParams = params) => {
  server = await createMockServer(script);
  const client = createClient({ baseURL: server.baseURL, apiKey: 'k', maxRetries: 0 });
  return lastValueFrom(of(p).pipe(toolLoop(client, options), toArray()));
};
const resultsOf = (events: ToolLoopEvent[]) => events.filter((e): e is ToolResultEvent => e.type === 'tool_result');
const endOf = (events: ToolLoopEvent[]) => events.at(-1) as ToolLoopEndEvent;
const sent = (index: number) => server.requests[index]?.body as MessageCreateParams;

const runs: string[] = [];
beforeEach(() => runs.splice(0));
const getWeather = defineTool({ name: 'get_weather', description: 'Weather', input: t.type({ city: t.string }), run: ({ city }) => (runs.push(`get_weather ${city}`), `Sunny in ${city}`) });
const getTime = defineTool({ name: 'get_time', description: 'The time', input: t.type({}), run: () => (runs.push('get_time'), 'noon') });
const withdraw = (name: string): InputMessage => ({ role: 'system', content: [{ type: 'tool_removal', tool: { type: 'tool_reference', name } }] });
const offer = (name: string): InputMessage => ({ role: 'system', content: [{ type: 'tool_addition', tool: { type: 'tool_reference', name } }] });

describe('toolLoop and tool changes', () => {
  it('answers a call to a withdrawn tool like an unknown one, without running it', async () => {
    const events = await runLoop([toolUseReply([{ id: 'a', name: 'get_weather', input: { city: 'Oslo' } }]), textReply('Sorry.')], { tools: [getWeather] }, {
      ...params,
      messages: [...params.messages, withdraw('get_weather')],
    });
    expect(runs).toEqual([]);
    expect(resultsOf(events)).toMatchObject([{ tool_use_id: 'a', is_error: true, content: "Error: Tool 'get_weather' not found" }]);
    expect(server.requests.map((request) => request.refusal)).toEqual([undefined, undefined]);
  });

  it('runs a tool again once a later tool_addition offers it back', async () => {
    await runLoop([toolUseReply([{ name: 'get_weather', input: { city: 'Oslo' } }]), textReply('Sunny.')], { tools: [getWeather] }, {
      ...params,
      messages: [...params.messages, withdraw('get_weather'), { role: 'assistant', content: 'Noted.' }, { role: 'user', content: 'Go on.' }, offer('get_weather')],
    });
    expect(runs).toEqual(['get_weather Oslo']);
  });

  it('applies addTools and removeTools from prepareTurn as a system message after the tool results, leaving `tools` alone', async () => {
    const events = await runLoop(
      [
        toolUseReply([{ id: 'a', name: 'get_weather', input: { city: 'Oslo' } }]),
        toolUseReply([{ id: 'b', name: 'get_weather', input: { city: 'Rome' } }, { id: 'c', name: 'get_time', input: {} }]),
        textReply('Noon, and no weather.'),
      ],
      { tools: [getWeather], prepareTurn: ({ iteration }) => (iteration === 1 ? { addTools: [getTime], removeTools: ['get_weather'] } : undefined) },
    );
    expect(runs).toEqual(['get_weather Oslo', 'get_time']);
    expect(resultsOf(events).map((result) => [result.tool_use_id, result.content])).toEqual([
      ['a', 'Sunny in Oslo'],
      ['b', "Error: Tool 'get_weather' not found"],
      ['c', 'noon'],
    ]);
    expect(sent(1).tools).toEqual(sent(0).tools);
    expect(sent(1).messages.slice(2)).toEqual([
      { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'a', content: 'Sunny in Oslo' }] },
      {
        role: 'system',
        content: [
          { type: 'tool_addition', tool: { type: 'tool_definition', definition: toApiTool(getTime) } },
          { type: 'tool_removal', tool: { type: 'tool_reference', name: 'get_weather' } },
        ],
      },
    ]);
    // The change stays in the conversation: the API reads tool availability from the history.
    expect(sent(2).messages[3]).toEqual(sent(1).messages[3]);
    expect(endOf(events).messages[3]).toEqual(sent(1).messages[3]);
  });

  it('runs a runnable tool written by value into a tool_definition, sending only its API fields', async () => {
    const addition: InputMessage = { role: 'system', content: [{ type: 'tool_addition', tool: { type: 'tool_definition', definition: getTime } }] };
    await runLoop([toolUseReply([{ name: 'get_time', input: {} }]), textReply('Noon.')], { tools: [] }, { ...params, messages: [...params.messages, addition] });
    expect(runs).toEqual(['get_time']);
    expect(sent(0).messages[1]).toEqual({ role: 'system', content: [{ type: 'tool_addition', tool: { type: 'tool_definition', definition: toApiTool(getTime) } }] });
    expect(sent(0)).not.toHaveProperty('tools');
  });

  it('replaces the tools sent with prepareTurn `tools`: a tool left out is no longer run', async () => {
    const events = await runLoop(
      [toolUseReply([{ id: 'a', name: 'get_weather', input: { city: 'Oslo' } }, { id: 'b', name: 'get_time', input: {} }]), textReply('Noon.')],
      { tools: [getWeather], prepareTurn: () => ({ tools: [getTime] }) },
    );
    expect(sent(0).tools).toEqual([toApiTool(getTime)]);
    expect(runs).toEqual(['get_time']);
    expect(resultsOf(events).map((result) => result.is_error)).toEqual([true, false]);
  });

  it('holds tool changes while a paused turn is resumed, then sends them', async () => {
    const paused = messageReply({ content: [{ type: 'server_tool_use', id: 'srv_1', name: 'web_search', input: { query: 'weather' } }], stop_reason: 'pause_turn' });
    await runLoop([paused, toolUseReply([{ id: 'a', name: 'get_weather', input: { city: 'Oslo' } }]), textReply('Done.')], {
      tools: [getWeather, { type: 'web_search_20250305', name: 'web_search' }],
      prepareTurn: ({ iteration }) => (iteration === 1 ? { removeTools: ['web_search'] } : undefined),
    });
    // The resumed request ends with the paused assistant turn, as the API requires: no change yet.
    expect(sent(1).messages.map((message) => message.role)).toEqual(['user', 'assistant']);
    // The request after it carries the change, after the tool results.
    expect(sent(2).messages.slice(3)).toEqual([
      { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'a', content: 'Sunny in Oslo' }] },
      { role: 'system', content: [{ type: 'tool_removal', tool: { type: 'tool_reference', name: 'web_search' } }] },
    ]);
  });
});
