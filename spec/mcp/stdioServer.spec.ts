import type { Client as MCPClient } from '@modelcontextprotocol/sdk/client/index.js';
import { filter, firstValueFrom, lastValueFrom, of, toArray, type Observable } from 'rxjs';
import { createClient, toolLoop, type Message, type MessageParam, type ToolLoopEndEvent, type ToolLoopEvent, type ToolResultEvent } from 'rx-anthropic';
import { mcpTools } from 'rx-anthropic/mcp';
import { createMockServer, textReply, toolUseReply, type MockServer } from 'rx-anthropic/testing';
import { connectEverythingServer } from '../../examples/mcp';

/**
 * A real MCP server in its own process: @modelcontextprotocol/server-everything over stdio,
 * started once for the file (it takes about a second) and closed after it.
 */

jest.setTimeout(30_000);

let mcpClient: MCPClient;
let server: MockServer | undefined;
beforeAll(async () => {
  mcpClient = await connectEverythingServer();
});
afterAll(async () => mcpClient?.close());
afterEach(async () => server?.close());

const params = { model: 'claude-test', max_tokens: 256, messages: [{ role: 'user' as const, content: 'Echo "hi".' }] };

async function runLoop(script: Parameters<typeof createMockServer>[0]): Promise<ToolLoopEvent[]> {
  server = await createMockServer(script);
  const client = createClient({ baseURL: server.baseURL, apiKey: 'k', maxRetries: 0 });
  const tools = await firstValueFrom(mcpTools(mcpClient));
  return lastValueFrom(of(params).pipe(toolLoop(client, { tools }), toArray()));
}

const toolResults = (events: ToolLoopEvent[]) => events.filter((event): event is ToolResultEvent => event.type === 'tool_result');
const sentBack = (index: number) => ((server!.requests[index]!.body as { messages: MessageParam[] }).messages.at(-1)!.content as object[])[0];

describe('server-everything over stdio', () => {
  it('lists its tools as runnable tools', async () => {
    const tools = await firstValueFrom(mcpTools(mcpClient));
    expect(tools.map((tool) => tool.name)).toEqual(expect.arrayContaining(['echo', 'get-sum', 'get-tiny-image', 'trigger-long-running-operation']));
    expect(tools.find((tool) => tool.name === 'echo')).toMatchObject({
      name: 'echo',
      description: 'Echoes back the input string',
      input_schema: { type: 'object', properties: { message: { type: 'string' } }, required: ['message'] },
    });
  });

  it('runs a tool loop that calls echo and sends its result back in the next request', async () => {
    const events = await runLoop([toolUseReply([{ name: 'echo', input: { message: 'hi' } }]), textReply('done')]);
    const [result] = toolResults(events);
    expect(result).toEqual({ type: 'tool_result', tool_use_id: expect.stringMatching(/^toolu_/), name: 'echo', content: [{ type: 'text', text: 'Echo: hi' }], is_error: false });
    expect(server!.requests).toHaveLength(2);
    const messages = (server!.requests[1]!.body as { messages: MessageParam[] }).messages;
    expect(messages).toEqual([
      params.messages[0],
      { role: 'assistant', content: [{ type: 'tool_use', id: result!.tool_use_id, name: 'echo', input: { message: 'hi' } }] },
      { role: 'user', content: [{ type: 'tool_result', tool_use_id: result!.tool_use_id, content: [{ type: 'text', text: 'Echo: hi' }] }] },
    ]);
    expect((server!.requests[0]!.body as { tools: object[] }).tools).toContainEqual(expect.objectContaining({ name: 'echo', input_schema: expect.objectContaining({ type: 'object' }) }));
    expect(events.at(-1)).toMatchObject({ type: 'tool_loop_end', stop_reason: 'end_turn', iterations: 2 } satisfies Partial<ToolLoopEndEvent>);
  });

  it('sends an image result back as text and image blocks', async () => {
    await runLoop([toolUseReply([{ name: 'get-tiny-image', input: {} }]), textReply('a logo')]);
    expect(sentBack(1)).toMatchObject({
      type: 'tool_result',
      content: [
        { type: 'text', text: "Here's the image you requested:" },
        { type: 'image', source: { type: 'base64', media_type: 'image/png', data: expect.any(String) } },
        { type: 'text', text: 'The image above is the MCP logo.' },
      ],
    });
  });

  it('turns a result the API cannot take (resource links) into an is_error result, and the loop goes on', async () => {
    const events = await runLoop([toolUseReply([{ name: 'get-resource-links', input: { count: 1 } }]), textReply('sorry')]);
    const [result] = toolResults(events);
    expect(result).toMatchObject({ name: 'get-resource-links', is_error: true });
    expect(result!.content).toMatch(/Unsupported MCP content type "resource_link" \(demo:\/\/resource\/\S+\) in the result of tool "get-resource-links"/);
    expect(sentBack(1)).toMatchObject({ type: 'tool_result', is_error: true });
    expect(events.at(-1)).toMatchObject({ type: 'tool_loop_end', stop_reason: 'end_turn' });
  });

  // The SDK client drops a progress notification that it reads together with the response
  // (modelcontextprotocol/typescript-sdk#2580): over stdio the last step often shares a chunk
  // with the result, so only the steps before it are certain to arrive.
  it('reports the progress notifications of a long-running tool', async () => {
    const tools = await firstValueFrom(mcpTools(mcpClient));
    const operation = tools.find((tool) => tool.name === 'trigger-long-running-operation')!;
    const context = { signal: new AbortController().signal, toolUseId: 'toolu_1', message: {} as Message };
    const values = await lastValueFrom((operation.run({ duration: 0.3, steps: 3 }, context) as Observable<unknown>).pipe(toArray()));
    const progress = values.slice(0, -1);
    expect(progress.length).toBeGreaterThanOrEqual(2);
    expect(progress).toEqual(
      [1, 2, 3].slice(0, progress.length).map((step) => ({ type: 'tool_progress', progress: { progress: step, total: 3 } })),
    );
    expect(values.at(-1)).toEqual({ content: [{ type: 'text', text: 'Long running operation completed. Duration: 0.3 seconds, Steps: 3.' }] });
  });

  it('reports the progress as tool_progress events of the loop', async () => {
    const events = await runLoop([toolUseReply([{ name: 'trigger-long-running-operation', input: { duration: 0.3, steps: 3 } }]), textReply('done')]);
    const progress = events.filter((event) => event.type === 'tool_progress');
    expect(progress.length).toBeGreaterThanOrEqual(2);
    expect(progress[0]).toEqual({ type: 'tool_progress', tool_use_id: expect.any(String), name: 'trigger-long-running-operation', progress: { progress: 1, total: 3 } });
    expect(events.findIndex((event) => event.type === 'tool_progress')).toBeLessThan(events.findIndex((event) => event.type === 'tool_result'));
  });

  it('cancels a running call when the loop is unsubscribed, and the server stays usable', async () => {
    server = await createMockServer([toolUseReply([{ name: 'trigger-long-running-operation', input: { duration: 20, steps: 40 } }]), textReply('never')]);
    const client = createClient({ baseURL: server.baseURL, apiKey: 'k', maxRetries: 0 });
    const tools = await firstValueFrom(mcpTools(mcpClient));
    const pending = () => (mcpClient as unknown as { _responseHandlers: Map<number, unknown> })._responseHandlers.size;
    const started = Date.now();
    // The first progress event proves the call is running; firstValueFrom then unsubscribes the loop.
    await firstValueFrom(of(params).pipe(toolLoop(client, { tools }), filter((event) => event.type === 'tool_progress')));
    expect(pending()).toBe(0);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(server.requests).toHaveLength(1);
    const echo = tools.find((tool) => tool.name === 'echo')!;
    const context = { signal: new AbortController().signal, toolUseId: 'toolu_2', message: {} as Message };
    expect(await lastValueFrom(echo.run({ message: 'still here' }, context) as Observable<unknown>)).toEqual({ content: [{ type: 'text', text: 'Echo: still here' }] });
  });
});
