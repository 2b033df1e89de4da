import { createClient, InvalidArgumentError } from 'rx-anthropic';
import { createProxyHandler, createProxyServer, DEFAULT_ALLOWED_PARAMS, type ProxyOptions, type ProxyServerOptions } from 'rx-anthropic/proxy';
import { textReply } from 'rx-anthropic/testing';
import { ATTACK_HOSTS, expectRefusal, params, send, SERVER_KEY, spyAuthorize, useRelay } from '../support/attackHarness';

/** What an `authorize` may answer that is not exactly `true` or `{ user: '<non-empty string>' }`: each one refuses (401). */
const NOT_LET_IN: readonly (readonly [string, unknown])[] = [
  ['false', false],
  ['"false"', 'false'],
  ['"true"', 'true'],
  ['{ allowed: false }', { allowed: false }],
  ['{}', {}],
  ['[]', []],
  ['1', 1],
  ['0', 0],
  ['null', null],
  ['undefined', undefined],
  ["{ user: '' }", { user: '' }],
  ['{ user: 42 }', { user: 42 }],
];

describe.each(ATTACK_HOSTS)('authorize answers on %s', (host) => {
  const { start } = useRelay(host);

  it.each(NOT_LET_IN)('refuses an answer of %s with 401 authentication_error, nothing upstream', async (_name, value) => {
    const spy = spyAuthorize(() => value);
    const { port, mock } = await start([textReply('never')], { authorize: spy.authorize });
    expectRefusal(await send(port), 401, 'authentication_error');
    expect(spy.calls).toHaveLength(1);
    expect(mock.requests).toHaveLength(0);
  });

  it.each(NOT_LET_IN)('refuses a Promise of %s too', async (_name, value) => {
    const spy = spyAuthorize(() => Promise.resolve(value));
    const { port, mock } = await start([textReply('never')], { authorize: spy.authorize });
    expectRefusal(await send(port, { path: '/api/v1/messages' }), 401, 'authentication_error');
    expect(mock.requests).toHaveLength(0);
  });

  it("lets in exactly true and { user: 'u1' } (the control)", async () => {
    const answers: unknown[] = [true, { user: 'u1' }];
    const spy = spyAuthorize(() => answers.shift());
    const { port, mock } = await start([textReply('one'), textReply('two')], { authorize: spy.authorize });
    expect((await send(port)).status).toBe(200);
    expect((await send(port)).status).toBe(200);
    expect(mock.requests).toHaveLength(2);
  });

  it('hands prepare the identity authorize answered, whatever user header the browser claims', async () => {
    const { port, mock } = await start([textReply('ok')], {
      authorize: () => ({ user: 'u1' }),
      allowedParams: [...DEFAULT_ALLOWED_PARAMS, 'metadata'],
      prepare: (checked, { identity }) => ({ ...checked, metadata: { user_id: identity?.user ?? 'anonymous' } }),
    });
    const body = { ...params, metadata: { user_id: 'admin' } };
    expect((await send(port, { body, headers: { 'x-user-id': 'admin' } })).status).toBe(200);
    expect(mock.requests[0]?.body).toMatchObject({ metadata: { user_id: 'u1' } });
  });
});

describe('a relay without authorize', () => {
  const client = createClient({ apiKey: SERVER_KEY, baseURL: 'http://127.0.0.1:9', maxRetries: 0 });

  it('createProxyHandler({ client }) throws InvalidArgumentError', () => {
    expect(() => createProxyHandler({ client } as unknown as ProxyOptions)).toThrow(InvalidArgumentError);
    expect(() => createProxyHandler({ client, authorize: undefined } as unknown as ProxyOptions)).toThrow(InvalidArgumentError);
  });

  it('createProxyServer({ client }) throws (or rejects with) InvalidArgumentError, and listens on nothing', async () => {
    const outcome = await Promise.resolve()
      .then(() => createProxyServer({ client } as unknown as ProxyServerOptions))
      .then(
        async (server) => {
          await server.close();
          return 'it listened';
        },
        (error: unknown) => error,
      );
    expect(outcome).toBeInstanceOf(InvalidArgumentError);
  });
});
