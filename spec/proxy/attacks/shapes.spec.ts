import { textReply } from 'rx-anthropic/testing';
import { ATTACK_HOSTS, expectRefusal, params, send, useRelay, type RelayOptions } from '../support/attackHarness';

const WEB_SEARCH = { type: 'web_search_20250305', name: 'web_search' };
const { max_tokens: _dropped, ...withoutMaxTokens } = params;

/**
 * Values of the wrong shape are refused (400) before anything goes upstream, never forwarded for
 * the API to judge: a `tools` that is not an array used to skip the tool check, a missing
 * `max_tokens` the cap.
 */
const BAD_SHAPES: readonly (readonly [string, unknown])[] = [
  ['tools as an object', { ...params, tools: { search: WEB_SEARCH } }],
  ['tools as an array-like object', { ...params, tools: { 0: WEB_SEARCH, length: 1 } }],
  ['tools as a string', { ...params, tools: 'web_search_20250305' }],
  ['tools as null', { ...params, tools: null }],
  ['messages as an object', { ...params, messages: { 0: { role: 'user', content: 'Hi' } } }],
  ['messages as a string', { ...params, messages: 'Hi' }],
  ['messages missing', { model: params.model, max_tokens: 64 }],
  ['a message that is a string', { ...params, messages: ['Hi'] }],
  ['a message that is null', { ...params, messages: [null] }],
  ['a message that is an array', { ...params, messages: [[{ role: 'user', content: 'Hi' }]] }],
  ['a message with an unknown role', { ...params, messages: [{ role: 'developer', content: 'Hi' }] }],
  ['a message without a role', { ...params, messages: [{ content: 'Hi' }] }],
  ['a message whose content is a number', { ...params, messages: [{ role: 'user', content: 42 }] }],
  ['a message whose content is an object', { ...params, messages: [{ role: 'user', content: { type: 'tool_addition', tool_definition: WEB_SEARCH } }] }],
  ['a message without content', { ...params, messages: [{ role: 'user' }] }],
  ['max_tokens missing', withoutMaxTokens],
  ['max_tokens 0', { ...params, max_tokens: 0 }],
  ['max_tokens negative', { ...params, max_tokens: -64 }],
  ['max_tokens fractional', { ...params, max_tokens: 1.5 }],
  ['max_tokens a string', { ...params, max_tokens: '64' }],
  ['max_tokens null', { ...params, max_tokens: null }],
  ['max_tokens true', { ...params, max_tokens: true }],
];

describe.each(ATTACK_HOSTS)('request shapes on %s', (host) => {
  const { start } = useRelay(host);

  describe.each(['/api/messages', '/api/v1/messages'])('%s', (path) => {
    it.each(BAD_SHAPES)('refuses %s with 400 invalid_request_error, nothing upstream', async (_name, body) => {
      const { port, mock } = await start([textReply('never')], { authorize: 'anyone' });
      expectRefusal(await send(port, { path, body }), 400, 'invalid_request_error');
      expect(mock.requests).toHaveLength(0);
    });
  });

  it.each<readonly [string, RelayOptions]>([
    ['refuse', { authorize: 'anyone', maxTokens: 128 }],
    ['clamp', { authorize: 'anyone', maxTokens: 128, overMaxTokens: 'clamp' }],
  ])('refuses a missing max_tokens under a cap (overMaxTokens %s)', async (_mode, options) => {
    const { port, mock } = await start([textReply('never')], options);
    expectRefusal(await send(port, { body: withoutMaxTokens }), 400, 'invalid_request_error');
    expect(mock.requests).toHaveLength(0);
  });

  it.each(BAD_SHAPES.filter(([name]) => !name.startsWith('max_tokens')))('refuses %s on count_tokens too', async (_name, body) => {
    const { port, mock } = await start([textReply('never')], { authorize: 'anyone' });
    const { max_tokens: _ignored, ...count } = body as Record<string, unknown>;
    expectRefusal(await send(port, { path: '/api/v1/messages/count_tokens', body: count }), 400, 'invalid_request_error');
    expect(mock.requests).toHaveLength(0);
  });

  it('counts tokens without max_tokens (the control: count_tokens has none)', async () => {
    const { port, mock } = await start([], { authorize: 'anyone' });
    const answer = await send(port, { path: '/api/v1/messages/count_tokens', body: withoutMaxTokens });
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.text)).toEqual({ input_tokens: expect.any(Number) });
    expect(mock.requests).toHaveLength(1);
  });
});

/** A refusal names what was wrong, but never echoes a large value back (a reflected page, a log flood). */
describe.each(ATTACK_HOSTS)('refusals echo nothing large on %s', (host) => {
  const { start } = useRelay(host);
  const huge = 'x'.repeat(10_000);

  const expectShort = (text: string): void => {
    expect(Buffer.byteLength(text)).toBeLessThan(1024);
    expect(text).not.toContain('x'.repeat(300));
  };

  it.each<readonly [string, RelayOptions, unknown, number]>([
    ['a 10 kB model name', { authorize: 'anyone', allowedModels: ['claude-sonnet-4-6'] }, { ...params, model: huge }, 403],
    ['a 10 kB param name', { authorize: 'anyone' }, { ...params, [huge]: 1 }, 403],
    ['a 10 kB content block type', { authorize: 'anyone' }, { ...params, messages: [{ role: 'user', content: [{ type: huge }] }] }, 403],
    ['a 10 kB tool type', { authorize: 'anyone' }, { ...params, tools: [{ type: huge, name: 'x' }] }, 403],
    ['a 10 kB file_id', { authorize: 'anyone' }, { ...params, messages: [{ role: 'user', content: [{ type: 'document', source: { type: 'file', file_id: huge } }] }] }, 403],
    ['a 10 kB role', { authorize: 'anyone' }, { ...params, messages: [{ role: huge, content: 'Hi' }] }, 400],
    ['a 10 kB max_tokens string', { authorize: 'anyone' }, { ...params, max_tokens: huge }, 400],
  ])('%s: the refusal is short', async (_name, options, body, status) => {
    const { port, mock } = await start([textReply('never')], options);
    const answer = await send(port, { body });
    expect(answer.status).toBe(status);
    expectShort(answer.text);
    expect(mock.requests).toHaveLength(0);
  });

  it.each([
    ['anthropic-beta', { 'anthropic-beta': huge }],
    ['Host', { host: `${huge}.example` }],
    ['Origin', { origin: `https://${huge}.example` }],
  ])('a 10 kB %s header: the refusal is short', async (_name, headers) => {
    const { port, mock } = await start([textReply('never')], { authorize: 'anyone' });
    const answer = await send(port, { headers });
    expect(answer.status).toBe(403);
    expectShort(answer.text);
    expect(mock.requests).toHaveLength(0);
  });
});
