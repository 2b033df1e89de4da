import type { MessageCreateParams } from 'rx-anthropic';
import { withAssistantPrefill } from '../../lib/recovery/withAssistantPrefill';

const params: MessageCreateParams = { model: 'claude-sonnet-4-6', max_tokens: 256, messages: [{ role: 'user', content: 'Count to ten' }] };

describe('withAssistantPrefill', () => {
  it('appends the text as an assistant message, without its trailing whitespace, and leaves the params as they were', () => {
    const before = JSON.stringify(params);
    expect(withAssistantPrefill(params, 'One, two,\n \t')).toEqual({ ...params, messages: [params.messages[0], { role: 'assistant', content: 'One, two,' }] });
    expect(JSON.stringify(params)).toBe(before);
  });

  it('gives the params themselves when the text is only whitespace', () => {
    expect(withAssistantPrefill(params, ' \n')).toBe(params);
  });

  it("adds to the request's own prefill: a string", () => {
    const prefilled: MessageCreateParams = { ...params, messages: [...params.messages, { role: 'assistant', content: 'Sure:' }] };
    expect(withAssistantPrefill(prefilled, ' one, two ').messages).toEqual([params.messages[0], { role: 'assistant', content: 'Sure: one, two' }]);
    expect(withAssistantPrefill(prefilled, '  ').messages).toEqual(prefilled.messages);
  });

  it("adds to the request's own prefill: its last text block, or a new text block after another kind", () => {
    const text: MessageCreateParams = { ...params, messages: [...params.messages, { role: 'assistant', content: [{ type: 'text', text: 'Sure:', cache_control: { type: 'ephemeral' } }] }] };
    expect(withAssistantPrefill(text, ' one ').messages.at(-1)).toEqual({ role: 'assistant', content: [{ type: 'text', text: 'Sure: one', cache_control: { type: 'ephemeral' } }] });
    const thinking = { type: 'thinking' as const, thinking: 'hm', signature: 'c2ln' };
    const other: MessageCreateParams = { ...params, messages: [...params.messages, { role: 'assistant', content: [thinking] }] };
    expect(withAssistantPrefill(other, 'one ').messages.at(-1)).toEqual({ role: 'assistant', content: [thinking, { type: 'text', text: 'one' }] });
    expect(withAssistantPrefill(other, ' ').messages.at(-1)).toEqual({ role: 'assistant', content: [thinking] });
  });
});
