import * as t from 'io-ts';
import { lastValueFrom, of, throwError, toArray } from 'rxjs';
import { AnthropicError, createClient, defineTool, ToolError, toolLoop, type MessageCreateParams, type ToolResultEvent } from 'rx-anthropic';
import { createMockServer, textReply, toolUseReply, type MockServer } from 'rx-anthropic/testing';

const params: MessageCreateParams = { model: 'claude-test', max_tokens: 256, messages: [{ role: 'user', content: 'Show me the chart.' }] };
const blocks = [
  { type: 'text' as const, text: 'Something went wrong' },
  { type: 'image' as const, source: { type: 'base64' as const, media_type: 'image/png' as const, data: 'iVBORw0KGgo=' } },
];

let server: MockServer;
afterEach(async () => server?.close());

describe('ToolError', () => {
  it('carries a string or blocks as its content; its message is their text, other blocks named', () => {
    expect(new ToolError('City not found')).toMatchObject({ name: 'ToolError', message: 'City not found', content: 'City not found' });
    const error = new ToolError(blocks);
    expect(error.content).toBe(blocks);
    expect(error.message).toBe('Something went wrong [image]');
    expect(error).toBeInstanceOf(AnthropicError);
  });

  it('gives the model its content as an is_error result, thrown or emitted as an Observable error', async () => {
    const thrown = defineTool({
      name: 'chart',
      description: 'A chart',
      input: t.type({}),
      run: () => {
        throw new ToolError(blocks);
      },
    });
    const emitted = defineTool({ name: 'table', description: 'A table', input: t.type({}), run: () => throwError(() => new ToolError('No rows.')) });
    server = await createMockServer([
      toolUseReply([
        { id: 'a', name: 'chart', input: {} },
        { id: 'b', name: 'table', input: {} },
      ]),
      textReply('Sorry.'),
    ]);
    const client = createClient({ baseURL: server.baseURL, apiKey: 'k', maxRetries: 0 });
    const events = await lastValueFrom(of(params).pipe(toolLoop(client, { tools: [thrown, emitted] }), toArray()));
    const results = events.filter((e): e is ToolResultEvent => e.type === 'tool_result');
    expect(results.map(({ content, is_error }) => ({ content, is_error }))).toEqual([
      { content: blocks, is_error: true },
      { content: 'No rows.', is_error: true },
    ]);
    expect(results[0]?.error).toBeInstanceOf(ToolError);
    expect((server.requests[1]?.body as MessageCreateParams).messages.at(-1)).toEqual({
      role: 'user',
      content: [
        { type: 'tool_result', tool_use_id: 'a', content: blocks, is_error: true },
        { type: 'tool_result', tool_use_id: 'b', content: 'No rows.', is_error: true },
      ],
    });
  });
});
