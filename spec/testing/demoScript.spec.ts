import { demoScript } from '../../lib/testing/demoScript';
import type { RecordedRequest } from '../../lib/testing/types';

function requestWith(body: unknown): RecordedRequest {
  return {
    index: 0,
    requestId: 'req_mock_1',
    method: 'POST',
    path: '/v1/messages',
    query: {},
    headers: {},
    body,
    rawBody: new Uint8Array(),
    closed: Promise.resolve(),
    completed: false,
    abortedByClient: false,
  };
}

function answer(body: unknown): string {
  const turn = demoScript(requestWith(body), 0);
  if (turn.kind !== 'message') throw new Error(`expected a message turn, got ${turn.kind}`);
  return String(turn.message.content[0]?.text);
}

describe('demoScript', () => {
  it('mentions the last user message', () => {
    const body = {
      messages: [
        { role: 'user', content: 'first' },
        { role: 'assistant', content: 'reply' },
        { role: 'user', content: [{ type: 'text', text: 'What is   a cold\nObservable?' }] },
      ],
    };
    expect(answer(body)).toContain('“What is a cold Observable?”');
  });

  it('shortens a long question and copes with no question at all', () => {
    expect(answer({ messages: [{ role: 'user', content: 'x'.repeat(500) }] })).toContain(`“${'x'.repeat(79)}…”`);
    expect(answer({})).toContain('your message');
  });
});
