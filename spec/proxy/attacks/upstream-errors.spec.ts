import { errorReply, eventsReply, textReply } from 'rx-anthropic/testing';
import { ATTACK_HOSTS, expectRefusal, params, send, sseEvents, useRelay, within } from '../support/attackHarness';

/** A stream that does not end for a minute: a message start, then a delta every 20 ms (cheap for the mock to build: its first event goes out at once). */
const ENDLESS = eventsReply(
  [
    {
      type: 'message_start',
      message: { id: 'msg_1', type: 'message', role: 'assistant', model: params.model, content: [], stop_reason: null, stop_sequence: null, usage: { input_tokens: 9, output_tokens: 1 } },
    },
    { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } },
    ...Array.from({ length: 3_000 }, () => ({ type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'more ' } })),
  ],
  { chunkDelayMs: 20 },
);

/** The server's own key refused upstream, and an upstream that never ends. */
describe.each(ATTACK_HOSTS)('upstream failures on %s', (host) => {
  const { start } = useRelay(host);

  describe.each([
    [401, 'authentication_error'],
    [403, 'permission_error'],
  ])('the server’s key refused upstream (%i)', (status, upstreamType) => {
    it.each([
      ['/api/messages', params],
      ['/api/v1/messages', params],
      ['/api/v1/messages/count_tokens', { model: params.model, messages: params.messages }],
    ])('answers %s with 502 api_error naming the relay’s credentials, and reports it to onError', async (path, body) => {
      const refused = errorReply(status, { message: 'invalid x-api-key: sk-ant-…6789' });
      const reported: unknown[] = [];
      const { port, mock } = await start([refused], { authorize: 'anyone', onError: (error) => reported.push(error) }, { mock: { countTokens: () => refused } });
      const answer = await send(port, { path, body });
      const refusal = expectRefusal(answer, 502, 'api_error');
      expect(refusal.error.message).toMatch(/credentials were refused upstream/i);
      // The browser never sees the upstream's own error: it would take it for the relay's 401.
      expect(answer.text).not.toContain(upstreamType);
      expect(answer.text).not.toContain('x-api-key');
      expect(reported).toHaveLength(1);
      expect(mock.requests).toHaveLength(1);
    });
  });

  it('ends an endless stream after maxStreamMs with an SSE error event (timeout_error), and aborts the upstream request', async () => {
    const { port, mock } = await start([ENDLESS], { authorize: 'anyone', maxStreamMs: 400 });
    const answer = await send(port, { timeoutMs: 3_000 });
    expect(answer.status).toBe(200);
    const events = sseEvents(answer.text);
    expect(events[0]?.event).toBe('message_start');
    const last = events[events.length - 1];
    expect(last?.event).toBe('error');
    expect(last?.data).toMatchObject({ type: 'error', error: { type: 'timeout_error' } });
    const recorded = await mock.waitForRequest(0);
    await within(recorded.closed, 1_000, 'the upstream request to close');
    expect(recorded.abortedByClient).toBe(true);
    expect(recorded.completed).toBe(false);
  });

  it('answers 504 timeout_error when the upstream sends nothing within maxStreamMs, and aborts it', async () => {
    const { port, mock } = await start([{ ...textReply('never'), hang: true }], { authorize: 'anyone', maxStreamMs: 300 });
    expectRefusal(await send(port, { timeoutMs: 3_000 }), 504, 'timeout_error');
    const recorded = await mock.waitForRequest(0);
    await within(recorded.closed, 1_000, 'the upstream request to close');
    expect(recorded.abortedByClient).toBe(true);
  });
});
