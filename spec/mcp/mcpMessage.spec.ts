import { mcpMessage, mcpMessages, UnsupportedMCPValueError } from 'rx-anthropic/mcp';
import { PNG, startInProcessServer, type InProcessServer } from './support/inProcessServer';

jest.setTimeout(10_000);

let mcp: InProcessServer;
beforeEach(async () => {
  mcp = await startInProcessServer();
});
afterEach(async () => mcp.close());

const reviewMessages = [
  { role: 'user', content: [{ type: 'text', text: 'Review this file.' }] },
  { role: 'user', content: [{ type: 'document', source: { type: 'text', media_type: 'text/plain', data: 'export {}' } }] },
  { role: 'assistant', content: [{ type: 'text', text: 'Here is my review.' }] },
  { role: 'user', content: [{ type: 'image', source: { type: 'base64', media_type: 'image/png', data: PNG } }] },
];

describe('mcpMessage', () => {
  it('converts a prompt message of prompts/get to a message with one block, keeping the role', async () => {
    const prompt = await mcp.client.getPrompt({ name: 'review' });
    expect(prompt.messages.map((message) => mcpMessage(message))).toEqual(reviewMessages);
  });

  it('puts cache_control on the block when asked', async () => {
    const prompt = await mcp.client.getPrompt({ name: 'review' });
    expect(mcpMessage(prompt.messages[0]!, { cache_control: { type: 'ephemeral', ttl: '1h' } })).toEqual({
      role: 'user',
      content: [{ type: 'text', text: 'Review this file.', cache_control: { type: 'ephemeral', ttl: '1h' } }],
    });
  });

  it('fails with UnsupportedMCPValueError for content the API cannot take', async () => {
    const prompt = await mcp.client.getPrompt({ name: 'listen' });
    expect(() => mcpMessage(prompt.messages[0]!)).toThrow(UnsupportedMCPValueError);
    expect(() => mcpMessage(prompt.messages[0]!)).toThrow('Unsupported MCP content type "audio" (audio/wav) in a user prompt message');
  });
});

describe('mcpMessages', () => {
  it('converts a whole prompts/get result, in order', async () => {
    expect(mcpMessages(await mcp.client.getPrompt({ name: 'review' }))).toEqual(reviewMessages);
  });

  it('takes the messages array as well', async () => {
    const { messages } = await mcp.client.getPrompt({ name: 'review' });
    expect(mcpMessages(messages)).toEqual(reviewMessages);
  });

  it('puts cache_control on every block when asked', async () => {
    const messages = mcpMessages(await mcp.client.getPrompt({ name: 'review' }), { cache_control: { type: 'ephemeral' } });
    for (const message of messages) expect(message.content).toEqual([expect.objectContaining({ cache_control: { type: 'ephemeral' } })]);
  });

  it('names the message that cannot be converted', async () => {
    const listen = await mcp.client.getPrompt({ name: 'listen' });
    expect(() => mcpMessages(listen)).toThrow('in prompt message 0 (user)');
    expect(() => mcpMessages({ messages: [{ role: 'user', content: { type: 'text', text: 'ok' } }, { role: 'assistant', content: { type: 'audio', data: '', mimeType: 'audio/wav' } }] })).toThrow(
      'in prompt message 1 (assistant)',
    );
  });
});
