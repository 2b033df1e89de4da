import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { lastValueFrom, of, toArray } from 'rxjs';
import { createClient, toolLoop, turnMessages, type MessageCreateParams, type ToolLoopEndEvent, type ToolLoopEvent } from 'rx-anthropic';
import { createMockServer, sseReply, type MockServer } from 'rx-anthropic/testing';

/**
 * A server tool's long turn paused by the API (`stop_reason: "pause_turn"`), in the API's own
 * stream format: the loop sends the paused turn back unchanged so that the model continues it,
 * and counts that request against `maxIterations`; `pauseTurn: 'stop'` ends the loop instead.
 */
const read = (name: string) => readFileSync(resolve(__dirname, '../../examples/pause-turn', name), 'utf8');
const webSearch = { type: 'web_search_20250305', name: 'web_search', max_uses: 3 };
const params: MessageCreateParams = { model: 'claude-sonnet-4-6', max_tokens: 1024, messages: [{ role: 'user', content: 'What is the weather in Lisbon today?' }] };

let server: MockServer;
afterEach(async () => server?.close());
const runLoop = async (options: Partial<Parameters<typeof toolLoop>[1]> = {}) => {
  server = await createMockServer([sseReply(read('paused.sse')), sseReply(read('resumed.sse'))]);
  const client = createClient({ baseURL: server.baseURL, apiKey: 'k', maxRetries: 0 });
  return lastValueFrom(of(params).pipe(toolLoop(client, { tools: [webSearch], ...options }), toArray()));
};
const endOf = (events: ToolLoopEvent[]) => events.at(-1) as ToolLoopEndEvent;

describe('toolLoop and pause_turn', () => {
  it('sends the paused turn back as the last message, and the model finishes it', async () => {
    const events = await runLoop();
    expect(server.requests).toHaveLength(2);
    const [first, second] = server.requests.map((request) => request.body as MessageCreateParams);
    const paused = (await lastValueFrom(of(...events).pipe(turnMessages(), toArray())))[0];
    expect(second?.messages).toEqual([...params.messages, { role: 'assistant', content: paused?.content }]);
    expect(second?.tools).toEqual(first?.tools);
    expect(paused?.content.map((block) => block.type)).toEqual(['text', 'server_tool_use', 'web_search_tool_result']);
    expect(endOf(events)).toMatchObject({ stop_reason: 'end_turn', iterations: 2 });
    expect(endOf(events).message.content).toEqual([{ type: 'text', text: 'It is sunny in Lisbon today, with a high of 24°C.' }]);
  });

  it('counts the resumed request against maxIterations', async () => {
    const events = await runLoop({ maxIterations: 1 });
    expect(server.requests).toHaveLength(1);
    expect(endOf(events)).toMatchObject({ stop_reason: 'max_iterations', iterations: 1 });
    expect(endOf(events).messages.at(-1)?.role).toBe('assistant');
  });

  it('stops at the paused turn with pauseTurn: "stop", the conversation ready to be sent back', async () => {
    const events = await runLoop({ pauseTurn: 'stop' });
    expect(server.requests).toHaveLength(1);
    expect(endOf(events)).toMatchObject({ stop_reason: 'pause_turn', iterations: 1 });
    expect(endOf(events).messages.map((message) => message.role)).toEqual(['user', 'assistant']);
  });
});
