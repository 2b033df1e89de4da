import { isRight } from 'fp-ts/Either';
import { Message, Usage } from '../../lib/schema';
import { loadFixtures } from '../support/fixtures';

describe('Message', () => {
  const withMessages = loadFixtures('real-world').filter((fixture) => fixture.expected?.message !== undefined);

  it('has the accumulated message of every real-world fixture to check', () => {
    expect(withMessages).toHaveLength(19);
  });

  it.each(withMessages.map((f) => [f.name, f.expected.message] as const))('decodes the final message of %s as the same object', (_, message) => {
    const result = Message.decode(message);
    expect(isRight(result) && result.right).toBe(message);
  });

  it('accepts a message without the optional fields and keeps unknown ones', () => {
    const message = {
      id: 'msg_1',
      type: 'message',
      role: 'assistant',
      content: [{ type: 'brand_new_block', payload: [1] }],
      model: 'claude-x',
      stop_reason: 'brand_new_reason',
      stop_sequence: null,
      usage: { input_tokens: 1, output_tokens: 2 },
      brand_new_field: true,
    };
    const result = Message.decode(message);
    expect(isRight(result) && result.right).toBe(message);
  });

  it('requires the fields the API always sends', () => {
    const message = { id: 'msg_1', type: 'message', role: 'assistant', content: [], model: 'm', stop_reason: null, stop_sequence: null, usage: { input_tokens: 1, output_tokens: 2 } };
    expect(isRight(Message.decode(message))).toBe(true);
    for (const key of Object.keys(message)) {
      const { [key]: _, ...rest } = message as Record<string, unknown>;
      expect(isRight(Message.decode(rest))).toBe(false);
    }
  });
});

describe('Usage', () => {
  it('requires only input_tokens and output_tokens, and accepts null for the rest', () => {
    expect(isRight(Usage.decode({ input_tokens: 1, output_tokens: 2 }))).toBe(true);
    expect(isRight(Usage.decode({ output_tokens: 2 }))).toBe(false);
    const full = {
      input_tokens: 1,
      output_tokens: 2,
      cache_creation_input_tokens: null,
      cache_read_input_tokens: null,
      cache_creation: null,
      server_tool_use: null,
      service_tier: null,
      inference_geo: null,
      output_tokens_details: null,
      iterations: null,
      fallback_credit: null,
      speed: null,
    };
    expect(isRight(Usage.decode(full))).toBe(true);
  });

  it('accepts usage iterations without a model (fable-fallback quirk) and of kinds it does not know', () => {
    const usage = {
      input_tokens: 1,
      output_tokens: 2,
      iterations: [
        { type: 'message', input_tokens: 1, output_tokens: 2, cache_read_input_tokens: 0, cache_creation_input_tokens: 0 },
        { type: 'brand_new_iteration', widgets: 3 },
      ],
    };
    expect(isRight(Usage.decode(usage))).toBe(true);
  });
});
