import { accumulateEvents } from '../../lib/testing/accumulateEvents';
import { messageToEvents } from '../../lib/testing/messageToEvents';
import type { MockMessage } from '../../lib/testing/types';

const message: MockMessage = {
  id: 'msg_1',
  type: 'message',
  role: 'assistant',
  model: 'claude-test',
  content: [
    { type: 'thinking', thinking: 'Think 🤔 twice', signature: 'sig' },
    { type: 'redacted_thinking', data: 'opaque' },
    { type: 'text', text: 'See 👋🏽 here', citations: [{ type: 'char_location', cited_text: 'x' }] },
    { type: 'server_tool_use', id: 'srvtoolu_1', name: 'web_search', input: { query: 'rxjs operators' } },
    { type: 'tool_use', id: 'toolu_1', name: 'noop', input: {} },
  ],
  stop_reason: 'tool_use',
  stop_sequence: null,
  usage: { input_tokens: 10, output_tokens: 20, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 },
};

describe('messageToEvents', () => {
  it('streams a message that accumulates back to itself', () => {
    expect(accumulateEvents(messageToEvents(message, 3, 5))).toEqual({ kind: 'message', message });
  });

  it('follows the API order, with one ping after the first block starts', () => {
    const types = messageToEvents({ ...message, content: [{ type: 'text', text: 'ab' }] }, 1).map(
      (event) => (event as { type: string }).type,
    );
    expect(types).toEqual([
      'message_start',
      'content_block_start',
      'ping',
      'content_block_delta',
      'content_block_delta',
      'content_block_stop',
      'message_delta',
      'message_stop',
    ]);
  });

  it('never splits a character made of two UTF-16 units', () => {
    const events = messageToEvents({ ...message, content: [{ type: 'text', text: '😀😀😀' }] }, 1) as {
      delta?: { text?: string };
    }[];
    const texts = events.flatMap((event) => (event.delta?.text === undefined ? [] : [event.delta.text]));
    expect(texts).toEqual(['😀', '😀', '😀']);
  });
});
