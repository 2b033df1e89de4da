import * as t from 'io-ts';
import { lastValueFrom, of, toArray } from 'rxjs';
import {
  APIError,
  createClient,
  ToolError,
  toolLoop,
  turnMessages,
  type MessageCreateParams,
  type RunnableTool,
  type ToolContext,
  type ToolLoopEndEvent,
  type ToolLoopEvent,
  type ToolLoopOptions,
} from 'rx-anthropic';
import { createMockServer, errorReply, messageReply, type MockContentBlock, type MockServer, type MockTurn } from 'rx-anthropic/testing';

/**
 * The official SDKs' own tool-runner scenarios (TypeScript `tests/lib/tools/ToolRunner.test.ts`,
 * Python `tests/lib/tools/test_runners.py`), replayed against `toolLoop` on the mock server: the
 * same tools, the same replies, the same expectations on the requests and the results. Where a
 * scenario drives the official runner through a method (`setMessagesParams`, `pushMessages`), the
 * loop's counterpart is `prepareTurn`.
 */
const weatherTool: RunnableTool<{ location: string }> = {
  name: 'getWeather',
  description: 'Get weather',
  input_schema: { type: 'object', properties: { location: { type: 'string' } } },
  // The official tools' `parse` takes the input as it is; so does io-ts's `unknown`.
  input: t.unknown as never,
  run: ({ location }) => `Sunny in ${location}`,
};
const calculatorTool: RunnableTool<{ a: number; b: number; operation: string }> = {
  name: 'calculate',
  description: 'Perform calculations',
  input_schema: { type: 'object', properties: { a: { type: 'number' }, b: { type: 'number' }, operation: { type: 'string', enum: ['add', 'multiply'] } } },
  input: t.unknown as never,
  run: ({ a, b, operation }) => {
    if (operation === 'add') return String(a + b);
    if (operation === 'multiply') return String(a * b);
    throw new Error(`Unknown operation: ${operation}`);
  },
};
const weatherUse = (location: string, id = 'tool_1'): MockContentBlock => ({ type: 'tool_use', id, name: 'getWeather', input: { location } });
const weatherResult = (location: string, id = 'tool_1') => ({ type: 'tool_result', tool_use_id: id, content: `Sunny in ${location}` });
const textContent = (text = 'Some text content'): MockContentBlock => ({ type: 'text', text });
const CONTAINER_ID = 'container_01Q9CzvCUGo5cSz4Harm6ngG';
const OTHER_CONTAINER_ID = 'container_01ZzKkWwXxYyAaBbCcDdEeFf';
const container = (id: string) => ({ id, expires_at: '2026-07-11T00:00:00Z', skills: null });
/** A reply as the official tests build it: `tool_use` when it calls a tool, `end_turn` otherwise. */
const assistant = (content: MockContentBlock[], extra: { container?: object | null; stop_reason?: string } = {}): MockTurn =>
  messageReply({ content, stop_reason: content.some((block) => block.type === 'tool_use') ? 'tool_use' : 'end_turn', ...extra });

const params: MessageCreateParams = { model: 'claude-3-5-sonnet-latest', max_tokens: 1000, messages: [{ role: 'user', content: 'What is the weather?' }] };

let server: MockServer;
afterEach(async () => server?.close());
async function run(script: MockTurn[], options: Partial<ToolLoopOptions> = {}, p: Partial<MessageCreateParams> = {}) {
  server = await createMockServer(script);
  const client = createClient({ baseURL: server.baseURL, apiKey: 'test-key', maxRetries: 0 });
  const events = await lastValueFrom(of({ ...params, ...p }).pipe(toolLoop(client, { tools: [weatherTool], ...options }), toArray()));
  const end = events.at(-1) as ToolLoopEndEvent;
  return { events, end, bodies: server.requests.map((request) => request.body as Record<string, unknown> & MessageCreateParams) };
}
const messagesOf = async (events: ToolLoopEvent[]) => lastValueFrom(of(...events).pipe(turnMessages(), toArray()));

describe('official TypeScript ToolRunner scenarios', () => {
  it('yields one message per turn (iterator.next() yields BetaMessage)', async () => {
    const { events } = await run([assistant([weatherUse('SF')]), assistant([textContent()])]);
    expect((await messagesOf(events)).map((message) => message.content)).toEqual([[weatherUse('SF')], [textContent()]]);
  });

  it('handles multiple tools', async () => {
    const { end } = await run([assistant([weatherUse('NYC'), { type: 'tool_use', id: 'tool_2', name: 'calculate', input: { a: 2, b: 3, operation: 'add' } }]), assistant([textContent()])], {
      tools: [weatherTool, calculatorTool],
    }, { messages: [{ role: 'user', content: 'Get weather and calculate 2+3' }] });
    expect(end.messages).toHaveLength(4);
    expect(end.messages[2]).toEqual({ role: 'user', content: [weatherResult('NYC'), { type: 'tool_result', tool_use_id: 'tool_2', content: '5' }] });
  });

  it('handles missing tool', async () => {
    const { bodies, end } = await run([assistant([{ type: 'tool_use', id: 'tool_1', name: 'unknownTool', input: { param: 'value' } }]), assistant([textContent()])]);
    expect(bodies[1]?.messages[2]).toEqual({ role: 'user', content: [{ type: 'tool_result', tool_use_id: 'tool_1', content: "Error: Tool 'unknownTool' not found", is_error: true }] });
    expect(end.message.content).toEqual([textContent()]);
  });

  it('handles tool execution errors', async () => {
    const { bodies } = await run([assistant([{ type: 'tool_use', id: 'tool_1', name: 'calculate', input: { a: 1, b: 2, operation: 'divide' } }]), assistant([textContent()])], { tools: [calculatorTool] });
    expect(bodies[1]?.messages[2]).toEqual({ role: 'user', content: [{ type: 'tool_result', tool_use_id: 'tool_1', content: 'Error: Unknown operation: divide', is_error: true }] });
  });

  it('handles ToolError with structured content', async () => {
    const toolErrorTool: RunnableTool<unknown> = {
      ...weatherTool,
      name: 'toolErrorTool',
      run: () => {
        throw new ToolError([{ type: 'text', text: 'Something went wrong' }, { type: 'text', text: 'Here are more details' }]);
      },
    } as RunnableTool<unknown>;
    const { bodies } = await run([assistant([{ type: 'tool_use', id: 'tool_1', name: 'toolErrorTool', input: { shouldFail: true } }]), assistant([textContent()])], { tools: [toolErrorTool] });
    expect(bodies[1]?.messages[2]).toEqual({
      role: 'user',
      content: [{ type: 'tool_result', tool_use_id: 'tool_1', content: [{ type: 'text', text: 'Something went wrong' }, { type: 'text', text: 'Here are more details' }], is_error: true }],
    });
  });

  it('handles api errors', async () => {
    const error = await run([errorReply(500)]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(APIError);
    expect((error as APIError).status).toBe(500);
  });

  it('respects max_iterations: the last turn\'s tools run, no further request, the final message is the last tool_use one', async () => {
    const { bodies, end } = await run([assistant([weatherUse('Paris')]), assistant([weatherUse('Berlin', 'tool_2')]), assistant([textContent()])], { maxIterations: 2 });
    expect(bodies).toHaveLength(2);
    expect(end.messages).toHaveLength(5);
    expect(end.message).toMatchObject({ role: 'assistant', content: [weatherUse('Berlin', 'tool_2')] });
  });

  it('does not execute tools and ends the loop when the turn is refusal-terminated', async () => {
    let runs = 0;
    const { bodies, end } = await run([assistant([weatherUse('SF')], { stop_reason: 'refusal' })], { tools: [{ ...weatherTool, run: () => (runs += 1, 'should never run') }] });
    expect(runs).toBe(0);
    expect(bodies).toHaveLength(1);
    expect(end.messages).toHaveLength(2);
    expect(end.message.stop_reason).toBe('refusal');
  });

  it('updates parameters for the next iteration (setMessagesParams before iterating → prepareTurn)', async () => {
    const { bodies } = await run([assistant([textContent()])], {
      prepareTurn: () => ({ messages: [{ role: 'user', content: 'Updated message' }], max_tokens: 200 }),
    }, { messages: [{ role: 'user', content: 'Initial message' }], max_tokens: 100 });
    expect(bodies[0]).toMatchObject({ max_tokens: 200, messages: [{ role: 'user', content: 'Updated message' }] });
  });

  it('records the assistant turn when only other params change (setMessagesParams max_tokens → prepareTurn)', async () => {
    const { bodies } = await run([assistant([weatherUse('SF')]), assistant([textContent('Done')])], { prepareTurn: ({ iteration }) => (iteration === 1 ? { max_tokens: 512 } : undefined) });
    expect(bodies[1]?.max_tokens).toBe(512);
    expect(bodies[1]?.messages).toEqual([params.messages[0], { role: 'assistant', content: [weatherUse('SF')] }, { role: 'user', content: [weatherResult('SF')] }]);
  });

  it('passes an abort signal tied to the caller\'s to the tool (abort signal support)', async () => {
    const controller = new AbortController();
    let seen: AbortSignal | undefined;
    await run([assistant([weatherUse('SF')]), assistant([textContent('Done!')])], {
      tools: [{ ...weatherTool, run: ({ location }: { location: string }, ctx: ToolContext) => ((seen = ctx.signal), `Sunny in ${location}`) }],
      requestOptions: { signal: controller.signal },
    });
    expect(seen?.aborted).toBe(false);
  });

  describe('container', () => {
    it('forwards a server-reported container id on the next request', async () => {
      const { bodies } = await run([assistant([weatherUse('SF')]), assistant([weatherUse('NYC')], { container: container(CONTAINER_ID) }), assistant([textContent('Done')])]);
      expect(bodies).toHaveLength(3);
      expect(bodies[0]).not.toHaveProperty('container');
      expect(bodies[1]).not.toHaveProperty('container');
      expect(bodies[2]?.container).toBe(CONTAINER_ID);
    });

    it("preserves the caller's container config, replacing only the id", async () => {
      const skills = [{ type: 'custom', skill_id: 'skill_1', version: 'latest' }];
      const { bodies } = await run([assistant([weatherUse('SF')]), assistant([weatherUse('NYC')], { container: container(CONTAINER_ID) }), assistant([textContent('Done')])], {}, { container: { skills } });
      expect(bodies[0]?.container).toEqual({ skills });
      expect(bodies[2]?.container).toEqual({ skills, id: CONTAINER_ID });
    });

    it('forwards the latest container id when the server reports a new one', async () => {
      const { bodies } = await run([
        assistant([weatherUse('SF')], { container: container(CONTAINER_ID) }),
        assistant([weatherUse('NYC')], { container: container(OTHER_CONTAINER_ID) }),
        assistant([textContent('Done')]),
      ]);
      expect(bodies[1]?.container).toBe(CONTAINER_ID);
      expect(bodies[2]?.container).toBe(OTHER_CONTAINER_ID);
    });

    it('keeps the captured container id when a later response reports no container', async () => {
      const { bodies } = await run([assistant([weatherUse('SF')], { container: container(CONTAINER_ID) }), assistant([weatherUse('NYC')], { container: null }), assistant([textContent('Done')])]);
      expect([bodies[1]?.container, bodies[2]?.container]).toEqual([CONTAINER_ID, CONTAINER_ID]);
    });

    it('does not override a container id the caller set, nor an explicit null', async () => {
      const script = () => [assistant([weatherUse('SF')], { container: container(CONTAINER_ID) }), assistant([textContent('Done')])];
      const chosen = await run(script(), { prepareTurn: ({ iteration }) => (iteration === 1 ? { container: 'container_from_caller' } : undefined) });
      expect(chosen.bodies[1]?.container).toBe('container_from_caller');
      await server.close();
      const cleared = await run(script(), { prepareTurn: ({ iteration }) => (iteration === 1 ? { container: null } : undefined) });
      expect(cleared.bodies[1]?.container).toBeNull();
    });

    it('does not override an id the caller set inside a container object', async () => {
      const skills = [{ type: 'custom', skill_id: 'skill_1', version: 'latest' }];
      const { bodies } = await run([assistant([weatherUse('SF')], { container: container(CONTAINER_ID) }), assistant([textContent('Done')])], {}, {
        container: { id: 'container_from_caller', skills },
      });
      expect(bodies[1]?.container).toEqual({ id: 'container_from_caller', skills });
    });

    it("omits container when the server never reports one, and leaves the caller's id untouched", async () => {
      const never = await run([assistant([weatherUse('SF')]), assistant([textContent('Done')])]);
      for (const body of never.bodies) expect(body).not.toHaveProperty('container');
      await server.close();
      const mine = await run([assistant([weatherUse('SF')]), assistant([textContent('Done')])], {}, { container: 'container_from_caller' });
      expect(mine.bodies.map((body) => body.container)).toEqual(['container_from_caller', 'container_from_caller']);
    });
  });

  it('captures the container id when the consumer pushes a message during the turn (pushMessages → prepareTurn)', async () => {
    const { bodies } = await run([assistant([weatherUse('SF')], { container: container(CONTAINER_ID) }), assistant([textContent('Done')])], {
      prepareTurn: ({ iteration, messages }) => (iteration === 1 ? { messages: [...messages, { role: 'user', content: 'Also NYC?' }] } : undefined),
    });
    expect(bodies[1]?.container).toBe(CONTAINER_ID);
    expect(bodies[1]?.messages.at(-1)).toEqual({ role: 'user', content: 'Also NYC?' });
  });
});

describe('official Python tool runner scenarios', () => {
  const webSearch = { type: 'web_search_20250305', name: 'web_search' };
  const pausedTurn = { role: 'assistant', content: [{ type: 'server_tool_use', id: 'srvtoolu_paused', name: 'web_search', input: { query: 'weather in SF' } }] };

  it('test_pause_turn_resumes_runner: two calls, the paused assistant turn last in the second', async () => {
    const { bodies, end } = await run(
      [messageReply({ content: pausedTurn.content, stop_reason: 'pause_turn' }), assistant([textContent('It is sunny.')])],
      { tools: [weatherTool, webSearch] },
      { messages: [{ role: 'user', content: 'What is the weather in SF?' }] },
    );
    expect(bodies).toHaveLength(2);
    expect(bodies[1]?.messages.at(-1)).toEqual(pausedTurn);
    expect(end.message.stop_reason).toBe('end_turn');
  });

  it('test_server_side_tool: the server tool\'s blocks come back in the message, nothing runs locally', async () => {
    const { events, bodies } = await run([
      assistant([
        { type: 'server_tool_use', id: 'srvtoolu_1', name: 'web_search', input: { query: 'weather SF' } },
        { type: 'web_search_tool_result', tool_use_id: 'srvtoolu_1', content: [{ type: 'web_search_result', title: 'SF weather', url: 'https://example.com', encrypted_content: 'x', page_age: null }] },
        textContent('Sunny.'),
      ]),
    ], { tools: [webSearch] });
    const [message] = await messagesOf(events);
    expect(message?.content.map((block) => block.type)).toEqual(['server_tool_use', 'web_search_tool_result', 'text']);
    expect(bodies).toHaveLength(1);
    expect(events.some((event) => event.type === 'tool_result')).toBe(false);
  });

  it('test_max_iterations: two tool responses with max_iterations=2', async () => {
    const { end } = await run([assistant([weatherUse('San Francisco, CA', 'toolu_a')]), assistant([weatherUse('New York, NY', 'toolu_b')]), assistant([textContent()])], { maxIterations: 2 });
    const toolResponses = end.messages.filter((message) => message.role === 'user' && Array.isArray(message.content));
    expect(toolResponses).toEqual([
      { role: 'user', content: [weatherResult('San Francisco, CA', 'toolu_a')] },
      { role: 'user', content: [weatherResult('New York, NY', 'toolu_b')] },
    ]);
  });
});
