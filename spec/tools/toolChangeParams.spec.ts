import { isLeft, isRight } from 'fp-ts/Either';
import { lastValueFrom } from 'rxjs';
import { createClient, describeValidationErrors, InputMessage, MessageCountTokensParams, MessageCreateParams, SystemMessageParam, type Message } from 'rx-anthropic';
import { createMockServer, textReply, type MockServer } from 'rx-anthropic/testing';
import { toolChangeMessage } from '../../lib/tools/toolChangeMessage';

/** `system` messages with tool changes, as the official SDK types them (`BetaRequestToolAdditionBlock`, `BetaRequestToolRemovalBlock`). */
const withToolChanges: MessageCreateParams = {
  model: 'claude-test',
  max_tokens: 256,
  tools: [{ name: 'get_weather', input_schema: { type: 'object' } }, { type: 'web_search_20250305', name: 'web_search' }],
  messages: [
    { role: 'user', content: 'Plan my day.' },
    {
      role: 'system',
      content: [
        { type: 'tool_removal', tool: { type: 'tool_reference', name: 'web_search' } },
        { type: 'tool_addition', tool: { type: 'tool_definition', definition: { name: 'get_time', description: 'The time', input_schema: { type: 'object' } } } },
        { type: 'tool_addition', tool: { type: 'mcp_toolset_reference', server_name: 'calendar' }, cache_control: { type: 'ephemeral' } },
        { type: 'tool_removal', tool: { type: 'mcp_tool_reference', server_name: 'calendar', name: 'delete_event' } },
      ],
    },
    { role: 'system', content: 'From now on, answer in French.', clear_at: 'next_user_message', output_config: { effort: 'low' } },
  ],
};

describe('system messages with tool changes', () => {
  it('decode as the same object in a Messages and a token-count request', () => {
    const created = MessageCreateParams.decode(withToolChanges);
    expect(isRight(created) && created.right).toBe(withToolChanges);
    const { max_tokens: _maxTokens, ...countParams } = withToolChanges;
    expect(isRight(MessageCountTokensParams.decode(countParams))).toBe(true);
  });

  it('are told apart from user and assistant messages by role, so errors name the right fields', () => {
    const badRole = MessageCreateParams.decode({ ...withToolChanges, messages: [{ role: 'robot', content: 'hi' }] });
    expect(isLeft(badRole) && describeValidationErrors(badRole.left).path).toBe('messages.0.role');
    const badRemoval = MessageCreateParams.decode({ ...withToolChanges, messages: [{ role: 'system', content: [{ type: 'tool_removal', tool: { type: 'tool_reference' } }] }] });
    expect(isLeft(badRemoval) && describeValidationErrors(badRemoval.left).path).toBe('messages.0.content.0.tool.name');
    const badAddition = MessageCreateParams.decode({
      ...withToolChanges,
      messages: [{ role: 'system', content: [{ type: 'tool_addition', tool: { type: 'tool_definition', definition: { name: 'f' } } }] }],
    });
    expect(isLeft(badAddition)).toBe(true);
  });

  it('let block and reference types the library does not know yet through', () => {
    const future: SystemMessageParam = { role: 'system', content: [{ type: 'tool_addition', tool: { type: 'skill_reference', skill_id: 'pdf' } } as never, { type: 'sparkle' } as never] };
    expect(isRight(InputMessage.decode(future))).toBe(true);
  });

  it('are accepted by the mock server, which refuses what the API would', async () => {
    const server: MockServer = await createMockServer([textReply('Bonjour.')]);
    try {
      const client = createClient({ baseURL: server.baseURL, apiKey: 'k', maxRetries: 0 });
      const message = (await lastValueFrom(client.messages.create(withToolChanges))) as Message;
      expect(message.content).toEqual([{ type: 'text', text: 'Bonjour.' }]);
      expect(server.requests[0]?.refusal).toBeUndefined();
      const refused = await lastValueFrom(client.messages.create({ ...withToolChanges, messages: [{ role: 'system', content: [{ type: 'tool_removal' }] }] } as never)).catch((error: unknown) => error);
      expect((refused as Error).message).toContain('messages.0.content.0.tool: Field required');
    } finally {
      await server.close();
    }
  });

  it('toolChangeMessage writes additions (API fields only) then removals, and nothing when there is no change', () => {
    const getTime = { name: 'get_time', input_schema: { type: 'object' as const }, input: {} as never, run: () => 'noon', needsApproval: true };
    expect(toolChangeMessage([getTime], ['web_search'])).toEqual({
      role: 'system',
      content: [
        { type: 'tool_addition', tool: { type: 'tool_definition', definition: { name: 'get_time', input_schema: { type: 'object' } } } },
        { type: 'tool_removal', tool: { type: 'tool_reference', name: 'web_search' } },
      ],
    });
    expect(toolChangeMessage([], [])).toBeUndefined();
  });
});
