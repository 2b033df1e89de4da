import { requestRefusal } from '../../lib/testing/requestRefusal';

const MESSAGES = 'POST /v1/messages';
const COUNT = 'POST /v1/messages/count_tokens';
const valid = { model: 'claude-test', max_tokens: 64, messages: [{ role: 'user', content: 'Hi' }] };

describe('requestRefusal', () => {
  it.each([
    ['no model', { max_tokens: 64, messages: [] }, 'model: Field required'],
    ['no max_tokens', { model: 'm', messages: [] }, 'max_tokens: Field required'],
    ['no messages', { model: 'm', max_tokens: 64 }, 'messages: Field required'],
    ['a model that is not a string', { ...valid, model: 4 }, 'model: expected string, got 4 (a number)'],
    ['max_tokens as a string', { ...valid, max_tokens: '64' }, 'max_tokens: expected integer, got "64" (a string)'],
    ['max_tokens not whole', { ...valid, max_tokens: 64.5 }, 'max_tokens: expected integer, got 64.5 (a number)'],
    ['messages as an object', { ...valid, messages: { role: 'user', content: 'Hi' } }, /^messages: expected Array<MessageParam>, got an object with keys role, content$/],
    ['a message without role', { ...valid, messages: [{ content: 'Hi' }] }, 'messages.0.role: Field required'],
    ['a message with another role', { ...valid, messages: [{ role: 'tool', content: 'Hi' }] }, /^messages\.0\.role: expected /],
    ['a message without content', { ...valid, messages: [{ role: 'user' }] }, 'messages.0.content: Field required'],
    ['a text block without text', { ...valid, messages: [{ role: 'user', content: [{ type: 'text' }] }] }, 'messages.0.content.0.text: Field required'],
  ])('refuses a Messages request with %s, naming the field', (_, body, message) => {
    const refusal = requestRefusal(MESSAGES, body, true);
    if (typeof message === 'string') expect(refusal).toBe(message);
    else expect(refusal).toMatch(message);
  });

  it.each([
    ['the minimum', valid],
    ['stream: true', { ...valid, stream: true }],
    ['fields the API may add later', { ...valid, future_option: { level: 3 }, messages: [{ role: 'user', content: 'Hi', future_field: 1 }] }],
    ['block types the API may add later', { ...valid, messages: [{ role: 'user', content: [{ type: 'hologram', data: 'x' }] }] }],
    ['server tools with their own settings', { ...valid, tools: [{ type: 'web_search_20250305', name: 'web_search', max_uses: 3 }] }],
    ['a custom tool, a tool result and thinking', {
      ...valid,
      tools: [{ name: 'get_weather', input_schema: { type: 'object', properties: { city: { type: 'string' } } } }],
      thinking: { type: 'enabled', budget_tokens: 1024 },
      messages: [
        { role: 'user', content: 'Weather?' },
        { role: 'assistant', content: [{ type: 'tool_use', id: 'toolu_1', name: 'get_weather', input: { city: 'Paris' } }] },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_1', content: 'Sunny' }] },
      ],
    }],
  ])('accepts %s', (_, body) => {
    expect(requestRefusal(MESSAGES, body, true)).toBeUndefined();
  });

  it('checks a token count against its own codec: no max_tokens needed, model and messages are', () => {
    expect(requestRefusal(COUNT, { model: 'm', messages: [] }, true)).toBeUndefined();
    expect(requestRefusal(COUNT, { messages: [] }, true)).toBe('model: Field required');
  });

  it('refuses a body that is not a JSON object even without validation, and checks nothing else then', () => {
    for (const body of [undefined, null, 'text', [valid], 42]) {
      expect(requestRefusal(MESSAGES, body, false)).toBe('The request body is not a JSON object.');
      expect(requestRefusal(COUNT, body, true)).toBe('The request body is not a JSON object.');
    }
    expect(requestRefusal(MESSAGES, { anything: true }, false)).toBeUndefined();
  });

  it('leaves other routes alone', () => {
    expect(requestRefusal('POST /v1/files', 'multipart text', true)).toBeUndefined();
    expect(requestRefusal('GET /v1/models', undefined, true)).toBeUndefined();
    expect(requestRefusal('OPTIONS /v1/messages', undefined, true)).toBeUndefined();
  });
});
