import type { Tool as MCPToolDefinition } from '@modelcontextprotocol/sdk/types.js';
import { filter, firstValueFrom, lastValueFrom, of, toArray, type Observable } from 'rxjs';
import { createClient, toolLoop, type MessageParam, type ToolResultEvent } from 'rx-anthropic';
import { mcpTool, UnsupportedMCPValueError } from 'rx-anthropic/mcp';
import { createMockServer, textReply, toolUseReply, type MockServer } from 'rx-anthropic/testing';
import type { Message } from '../../lib/schema';
import type { RunnableTool, ToolContext, ToolOutput } from '../../lib/tools/RunnableTool';
import { PDF, PNG, startInProcessServer, type InProcessServer } from './support/inProcessServer';

jest.setTimeout(10_000);

let mcp: InProcessServer;
beforeEach(async () => {
  mcp = await startInProcessServer();
});
afterEach(async () => mcp.close());

const context = (signal: AbortSignal = new AbortController().signal): ToolContext => ({ signal, toolUseId: 'toolu_1', message: {} as Message });

async function toolNamed(name: string): Promise<RunnableTool<Record<string, unknown>>> {
  const { tools } = await mcp.client.listTools();
  const tool = tools.find((candidate) => candidate.name === name);
  if (tool === undefined) throw new Error(`no tool ${name}`);
  return mcpTool(tool, mcp.client);
}

/** What `run` emits, as an array (the last value is the result). */
async function runValues(name: string, signal?: AbortSignal): Promise<unknown[]> {
  const tool = await toolNamed(name);
  return lastValueFrom((tool.run({}, context(signal)) as Observable<unknown>).pipe(toArray()));
}

async function runResult(name: string): Promise<ToolOutput> {
  return (await runValues(name)).at(-1) as ToolOutput;
}

async function runError(name: string): Promise<UnsupportedMCPValueError> {
  const error = await runValues(name).then(
    () => undefined,
    (failure: unknown) => failure,
  );
  expect(error).toBeInstanceOf(UnsupportedMCPValueError);
  return error as UnsupportedMCPValueError;
}

describe('mcpTool', () => {
  describe('the definition', () => {
    const definition: MCPToolDefinition = {
      name: 'get_weather',
      description: 'The weather of a city',
      inputSchema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'], additionalProperties: false },
      annotations: { readOnlyHint: true },
    };

    it('takes the name, the description and the input schema, and the extras', () => {
      const tool = mcpTool(definition, mcp.client, { cache_control: { type: 'ephemeral' }, defer_loading: true });
      expect(tool).toMatchObject({
        name: 'get_weather',
        description: 'The weather of a city',
        input_schema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'], additionalProperties: false },
        cache_control: { type: 'ephemeral' },
        defer_loading: true,
      });
      expect(tool).not.toHaveProperty('annotations');
    });

    it('leaves the description out when the MCP tool has none', () => {
      const { description: _description, ...withoutDescription } = definition;
      expect(mcpTool(withoutDescription, mcp.client)).not.toHaveProperty('description');
    });

    it('normalises the input schema to type "object"', () => {
      const loose = { name: 'loose', inputSchema: { properties: {} } } as unknown as MCPToolDefinition;
      expect(mcpTool(loose, mcp.client).input_schema).toEqual({ type: 'object', properties: {} });
    });

    it('accepts any object as input and nothing else (the server validates)', () => {
      const { input } = mcpTool(definition, mcp.client);
      expect(input.decode({ anything: [1, 2] })._tag).toBe('Right');
      expect(input.decode('Paris')._tag).toBe('Left');
      expect(input.decode(null)._tag).toBe('Left');
    });

    it('takes its definition from a live server', async () => {
      const tool = await toolNamed('text');
      expect(tool).toMatchObject({ name: 'text', description: 'Answers text content', input_schema: { type: 'object' } });
    });
  });

  describe('run: the result of tools/call, converted', () => {
    it('text → a text block', async () => {
      expect(await runResult('text')).toEqual({ content: [{ type: 'text', text: 'plain text' }] });
    });

    it('a PNG image → a base64 image block', async () => {
      expect(await runResult('image_png')).toEqual({ content: [{ type: 'image', source: { type: 'base64', media_type: 'image/png', data: PNG } }] });
    });

    it('several items → several blocks, in order', async () => {
      expect(await runResult('mixed')).toEqual({
        content: [
          { type: 'text', text: 'a caption' },
          { type: 'image', source: { type: 'base64', media_type: 'image/png', data: PNG } },
        ],
      });
    });

    it('an embedded text resource → a plain-text document', async () => {
      expect(await runResult('embedded_text')).toEqual({
        content: [{ type: 'document', source: { type: 'text', media_type: 'text/plain', data: '# Notes' } }],
      });
    });

    it('an embedded PDF blob → a base64 PDF document', async () => {
      expect(await runResult('embedded_pdf')).toEqual({
        content: [{ type: 'document', source: { type: 'base64', media_type: 'application/pdf', data: PDF } }],
      });
    });

    it('isError: true → the converted content as an is_error result', async () => {
      expect(await runResult('failing')).toEqual({ content: [{ type: 'text', text: 'the city is unknown' }], is_error: true });
    });

    it('empty content with structuredContent → its JSON text', async () => {
      expect(await runResult('structured')).toEqual({ content: '{"temperature":18,"unit":"C"}' });
    });

    it('an SVG image fails with UnsupportedMCPValueError naming the type and the tool', async () => {
      const error = await runError('image_svg');
      expect(error.message).toContain('"image/svg+xml"');
      expect(error.message).toContain('tool "image_svg"');
      expect(error).toMatchObject({ kind: 'image', mimeType: 'image/svg+xml' });
    });

    it('audio fails with UnsupportedMCPValueError', async () => {
      expect((await runError('audio')).message).toMatch(/"audio" \(audio\/wav\) in the result of tool "audio"/);
    });

    it('a resource link fails with UnsupportedMCPValueError naming the URI', async () => {
      const error = await runError('resource_link');
      expect(error).toMatchObject({ kind: 'resource_link', uri: 'file:///notes.md' });
      expect(error.message).toContain('file:///notes.md');
    });

    it('an embedded JSON resource fails naming the MIME type and the URI', async () => {
      const error = await runError('embedded_json');
      expect(error.message).toContain('"application/json"');
      expect(error.message).toContain('file:///data.json');
    });

    it('an isError result with content the API cannot take fails too', async () => {
      expect((await runError('failing_with_audio')).kind).toBe('audio');
    });
  });

  describe('result size', () => {
    it('refuses a result over maxResultBytes with a clear error, and accepts it under the limit', async () => {
      const { tools } = await mcp.client.listTools();
      const text = tools.find((candidate) => candidate.name === 'text');
      if (text === undefined) throw new Error('no tool text');
      const run = (maxResultBytes: number) =>
        lastValueFrom((mcpTool(text, mcp.client, {}, { maxResultBytes }).run({}, context()) as Observable<unknown>).pipe(toArray())).then(
          (values) => ({ values }),
          (error: unknown) => ({ error }),
        );
      const refused = (await run(10)) as { error: UnsupportedMCPValueError };
      expect(refused.error).toBeInstanceOf(UnsupportedMCPValueError);
      expect(refused.error.kind).toBe('oversized_result');
      expect(refused.error.message).toMatch(/^The result of tool "text" is \d+ bytes, over the limit of 10 \(maxResultBytes\)/);
      expect(await run(100_000)).toHaveProperty('values');
    });
  });

  describe('progress', () => {
    it('emits each progress notification of the call as a toolProgress value, then the result', async () => {
      const values = await runValues('progress');
      expect(values).toEqual([
        { type: 'tool_progress', progress: { progress: 1, total: 3, message: 'step 1' } },
        { type: 'tool_progress', progress: { progress: 2, total: 3, message: 'step 2' } },
        { type: 'tool_progress', progress: { progress: 3, total: 3, message: 'step 3' } },
        { content: [{ type: 'text', text: 'all done' }] },
      ]);
      expect(mcp.progressTokens).toEqual([expect.anything()]);
    });
  });

  describe('cancellation', () => {
    it('is cold: nothing is called before subscribe', async () => {
      const tool = await toolNamed('slow');
      tool.run({}, context());
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(mcp.slowCalls).toHaveLength(0);
    });

    it('unsubscribing sends notifications/cancelled: the server handler’s signal aborts', async () => {
      const tool = await toolNamed('slow');
      const values: unknown[] = [];
      const subscription = (tool.run({}, context()) as Observable<unknown>).subscribe({ next: (value) => values.push(value) });
      await waitFor(() => mcp.slowCalls[0]);
      await mcp.slowCalls[0]?.started;
      subscription.unsubscribe();
      const reason = await mcp.slowCalls[0]?.cancelled;
      expect(String(reason)).toContain('The call of tool "slow" was unsubscribed.');
      expect(values).toEqual([]);
    });

    it('the loop’s signal aborting cancels the call as well, and fails the Observable', async () => {
      const tool = await toolNamed('slow');
      const controller = new AbortController();
      const outcome = lastValueFrom(tool.run({}, context(controller.signal)) as Observable<unknown>).then(
        () => 'completed',
        () => 'failed',
      );
      await waitFor(() => mcp.slowCalls[0]);
      controller.abort('the loop was unsubscribed');
      expect(String(await mcp.slowCalls[0]?.cancelled)).toContain('the loop was unsubscribed');
      expect(await outcome).toBe('failed');
    });
  });

  describe('in a tool loop', () => {
    let server: MockServer | undefined;
    afterEach(async () => server?.close());
    const params = { model: 'claude-test', max_tokens: 64, messages: [{ role: 'user' as const, content: 'Go' }] };

    async function loopWith(...names: string[]) {
      server = await createMockServer([toolUseReply(names.map((name) => ({ name, input: {} }))), textReply('done')]);
      const { tools } = await mcp.client.listTools();
      const runnable = tools.map((tool) => mcpTool(tool, mcp.client));
      return of(params).pipe(toolLoop(createClient({ baseURL: server.baseURL, apiKey: 'k', maxRetries: 0 }), { tools: runnable }));
    }

    it('a conversion error becomes an is_error result, and the loop goes on', async () => {
      const events = await lastValueFrom((await loopWith('audio', 'text')).pipe(toArray()));
      const results = events.filter((event): event is ToolResultEvent => event.type === 'tool_result');
      expect(results.find((result) => result.name === 'audio')).toMatchObject({ is_error: true, content: expect.stringContaining('Unsupported MCP content type "audio"') });
      const sent = (server!.requests[1]!.body as { messages: MessageParam[] }).messages.at(-1);
      expect(sent).toEqual({
        role: 'user',
        content: [
          { type: 'tool_result', tool_use_id: expect.any(String), content: expect.stringContaining('(audio/wav) in the result of tool "audio"'), is_error: true },
          { type: 'tool_result', tool_use_id: expect.any(String), content: [{ type: 'text', text: 'plain text' }] },
        ],
      });
    });

    it('an MCP isError result is sent back with is_error', async () => {
      await lastValueFrom(await loopWith('failing'));
      expect((server!.requests[1]!.body as { messages: MessageParam[] }).messages.at(-1)?.content).toEqual([
        { type: 'tool_result', tool_use_id: expect.any(String), content: [{ type: 'text', text: 'the city is unknown' }], is_error: true },
      ]);
    });

    it('progress of the call comes out as tool_progress events', async () => {
      const events = await lastValueFrom((await loopWith('progress')).pipe(toArray()));
      expect(events.filter((event) => event.type === 'tool_progress').map((event) => (event as { progress: unknown }).progress)).toEqual([
        { progress: 1, total: 3, message: 'step 1' },
        { progress: 2, total: 3, message: 'step 2' },
        { progress: 3, total: 3, message: 'step 3' },
      ]);
    });

    it('unsubscribing the loop cancels the call on the server', async () => {
      const loop = await loopWith('slow');
      const subscription = loop.subscribe();
      await waitFor(() => mcp.slowCalls[0]);
      subscription.unsubscribe();
      expect(String(await mcp.slowCalls[0]!.cancelled)).toMatch(/unsubscribed|abort/i);
      expect(server!.requests).toHaveLength(1);
    });
  });
});

async function waitFor<T>(probe: () => T | undefined, timeoutMs = 2000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('waitFor: timed out');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
