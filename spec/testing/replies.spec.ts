import { errorReply } from '../../lib/testing/errorReply';
import { eventsReply } from '../../lib/testing/eventsReply';
import { jsonReply } from '../../lib/testing/jsonReply';
import { sseReply } from '../../lib/testing/sseReply';
import { textReply } from '../../lib/testing/textReply';
import { toolUseReply } from '../../lib/testing/toolUseReply';

describe('reply helpers', () => {
  it('compose: spreading options over a reply equals passing them', () => {
    expect({ ...textReply('hi'), chunkDelayMs: 5 }).toEqual(textReply('hi', { chunkDelayMs: 5 }));
    expect({ ...errorReply(500), cutAfterBytes: 3 }).toEqual(errorReply(500, { cutAfterBytes: 3 }));
  });

  it('textReply keeps message fields in the message and delivery options on the turn', () => {
    const turn = textReply('hi', { id: 'msg_x', stopReason: 'max_tokens', usage: { output_tokens: 9 }, delayMs: 10, chunkSize: 2 });
    expect(turn).toMatchObject({
      kind: 'message',
      delayMs: 10,
      chunkSize: 2,
      message: { id: 'msg_x', content: [{ type: 'text', text: 'hi' }], stop_reason: 'max_tokens', usage: { output_tokens: 9 } },
    });
    expect(turn).not.toHaveProperty('stopReason');
  });

  it('toolUseReply puts the text first and stops with tool_use', () => {
    expect(toolUseReply([{ name: 'f', input: { a: 1 } }], { text: 'Calling f.' }).message).toMatchObject({
      content: [
        { type: 'text', text: 'Calling f.' },
        { type: 'tool_use', name: 'f', input: { a: 1 } },
      ],
      stop_reason: 'tool_use',
    });
  });

  it('errorReply picks the API error type from the status', () => {
    expect(errorReply(429).error.type).toBe('rate_limit_error');
    expect(errorReply(529).error.type).toBe('overloaded_error');
    expect(errorReply(503).error.type).toBe('api_error');
    expect(errorReply(418)).toMatchObject({ kind: 'error', status: 418, error: { type: 'invalid_request_error' } });
    expect(errorReply(400, { type: 'custom', message: 'm' }).error).toEqual({ type: 'custom', message: 'm' });
  });

  it('tags each kind of turn', () => {
    expect([eventsReply([]).kind, sseReply('').kind, jsonReply(null).kind]).toEqual(['events', 'sse', 'json']);
  });
});
