import * as fs from 'fs';
import * as path from 'path';
import { isLeft, isRight } from 'fp-ts/Either';
import {
  ContentBlockParam,
  MessageCountTokensParams,
  MessageCreateParams,
  MessageParam,
  Tool,
  ToolChoice,
  ToolUnion,
  type ContentBlock,
  type Message,
} from '../../lib/schema';
import { FIXTURES_DIR } from '../support/fixtures';

const requestFiles = fs.readdirSync(path.join(FIXTURES_DIR, 'sdk-sse')).filter((file) => file.endsWith('.request.json'));

describe('MessageCreateParams', () => {
  it('has recorded requests to check', () => {
    expect(requestFiles.length).toBeGreaterThanOrEqual(5);
  });

  it.each(requestFiles)('decodes the recorded request %s as the same object', (file) => {
    const body = JSON.parse(fs.readFileSync(path.join(FIXTURES_DIR, 'sdk-sse', file), 'utf8'));
    const result = MessageCreateParams.decode(body);
    expect(isRight(result) && result.right).toBe(body);
  });

  it('accepts every documented option', () => {
    const params: MessageCreateParams = {
      model: 'claude-sonnet-4-6',
      max_tokens: 1024,
      messages: [
        { role: 'user', content: [{ type: 'text', text: 'hi', cache_control: { type: 'ephemeral', ttl: '1h' } }, { type: 'image', source: { type: 'url', url: 'https://x/y.png' } }] },
        { role: 'assistant', content: [{ type: 'thinking', thinking: 'hm', signature: 'sig' }, { type: 'tool_use', id: 'toolu_1', name: 'f', input: { a: 1 } }] },
        {
          role: 'user',
          content: [
            { type: 'tool_result', tool_use_id: 'toolu_1', is_error: false, content: [{ type: 'text', text: 'ok' }, { type: 'search_result', source: 's', title: 't', content: [{ type: 'text', text: 'r' }] }] },
            { type: 'document', source: { type: 'text', media_type: 'text/plain', data: 'doc' }, citations: { enabled: true }, title: 'D' },
            { type: 'document', source: { type: 'content', content: [{ type: 'text', text: 'part' }] } },
          ],
        },
      ],
      system: [{ type: 'text', text: 'be brief' }],
      tools: [
        { name: 'f', description: 'F', input_schema: { type: 'object', properties: { a: { type: 'number' } }, required: ['a'] }, strict: true, cache_control: { type: 'ephemeral' } },
        { type: 'web_search_20250305', name: 'web_search', max_uses: 2 },
      ],
      tool_choice: { type: 'auto', disable_parallel_tool_use: true },
      temperature: 0.5,
      top_p: 0.9,
      top_k: 40,
      stop_sequences: ['###'],
      metadata: { user_id: 'u' },
      thinking: { type: 'enabled', budget_tokens: 2048 },
      stream: true,
      service_tier: 'auto',
      container: 'container_01',
      mcp_servers: [{ type: 'url', url: 'https://mcp.example.com/sse', name: 'example', authorization_token: null }],
      output_format: { type: 'json_schema', schema: { type: 'object' } },
      output_config: { effort: 'high' },
    };
    const result = MessageCreateParams.decode(params);
    expect(isRight(result) && result.right).toBe(params);
  });

  it('requires model, max_tokens and messages', () => {
    expect(isLeft(MessageCreateParams.decode({ model: 'm', messages: [] }))).toBe(true);
    expect(isLeft(MessageCreateParams.decode({ max_tokens: 1, messages: [] }))).toBe(true);
    expect(isLeft(MessageCreateParams.decode({ model: 'm', max_tokens: 1 }))).toBe(true);
  });
});

describe('MessageCountTokensParams', () => {
  it('needs no max_tokens', () => {
    expect(isRight(MessageCountTokensParams.decode({ model: 'm', messages: [{ role: 'user', content: 'hi' }], system: 'x' }))).toBe(true);
  });
});

describe('MessageParam', () => {
  it('accepts a string or blocks, for user and assistant only', () => {
    expect(isRight(MessageParam.decode({ role: 'user', content: 'hi' }))).toBe(true);
    expect(isRight(MessageParam.decode({ role: 'assistant', content: [{ type: 'text', text: 'a' }] }))).toBe(true);
    expect(isLeft(MessageParam.decode({ role: 'system', content: 'hi' }))).toBe(true);
    expect(isLeft(MessageParam.decode({ role: 'user', content: 3 }))).toBe(true);
  });

  it('lets block types it does not know through', () => {
    const block = { type: 'video', source: { type: 'url', url: 'https://x/y.mp4' } };
    expect(isRight(ContentBlockParam.decode(block))).toBe(true);
  });

  it('takes an assistant message content as it is (a type-level check)', () => {
    const reply = (message: Message): MessageParam => ({ role: 'assistant', content: message.content });
    const block: ContentBlock = { type: 'tool_use', id: 'toolu_1', name: 'f', input: {} };
    const param: ContentBlockParam = block;
    expect(reply({ content: [param] } as Message).content).toEqual([block]);
  });
});

describe('tools', () => {
  it('tells a custom tool from a server tool', () => {
    expect(isRight(Tool.decode({ name: 'f', input_schema: { type: 'object' } }))).toBe(true);
    expect(isLeft(Tool.decode({ name: 'f', input_schema: { type: 'array' } }))).toBe(true);
    expect(isRight(ToolUnion.decode({ type: 'bash_20250124', name: 'bash' }))).toBe(true);
    expect(isLeft(ToolUnion.decode({ name: 'f' }))).toBe(true);
  });

  it('decodes each tool choice', () => {
    for (const choice of [{ type: 'auto' }, { type: 'any' }, { type: 'tool', name: 'f' }, { type: 'none' }]) expect(isRight(ToolChoice.decode(choice))).toBe(true);
    expect(isLeft(ToolChoice.decode({ type: 'tool' }))).toBe(true);
  });
});
