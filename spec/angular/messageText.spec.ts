import type { InputMessage } from 'rx-anthropic';
import { messageText } from '../../lib/angular/messageText';

const toolTurn: InputMessage = {
  role: 'assistant',
  content: [
    { type: 'text', text: 'Let me look.' },
    { type: 'tool_use', id: 'toolu_1', name: 'search', input: { q: 'rx' } },
  ],
};

describe('messageText', () => {
  it('shows the text of a message: a string as it is, text blocks joined, other blocks left out', () => {
    expect(messageText({ role: 'user', content: 'Plain' })).toBe('Plain');
    expect(messageText(toolTurn)).toBe('Let me look.');
    expect(messageText({ role: 'assistant', content: [{ type: 'text', text: 'a' }, { type: 'text', text: 'b' }] })).toBe('ab');
  });
});
