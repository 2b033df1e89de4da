import { textReply } from 'rx-anthropic/testing';
import { ATTACK_HOSTS, expectRefusal, GUARD_NO_SESSION, GUARD_RATE_LIMITED, rawExchange, send, SESSION, SESSION_HEADER, spyAuthorize, useRelay } from '../support/attackHarness';

/**
 * Path confusion: the relay answers only exact, canonical paths under `basePath`. A path a
 * router in front of it reads one way and a normaliser another is refused (400) before
 * `authorize`, so a guard mounted on `/api` cannot be walked around.
 */
const UNCANONICAL: readonly string[] = [
  '/x/../api/messages',
  '/x/%2e%2e/api/messages',
  '/x/%2E%2E/api/messages',
  '/api/./messages',
  '/api/%2e/messages',
  '/api//messages',
  '//evil.example/api/messages',
  '/api/%2e%2e/api/messages',
  '/api/v1/messages/../messages',
  '/api/v1/./messages/count_tokens',
  '/api\\messages',
  '/api%2fmessages',
  '/api/v1%2Fmessages',
  '/api%5cmessages',
  '/api/v1//messages',
];

describe.each(ATTACK_HOSTS)('non-canonical paths on %s', (host) => {
  const { start } = useRelay(host);

  it.each(UNCANONICAL)('%s: 400 invalid_request_error before authorize, nothing upstream', async (path) => {
    const spy = spyAuthorize(() => ({ user: 'u1' }));
    const { port, mock } = await start([textReply('never')], { authorize: spy.authorize });
    // With a session, the Express guard lets it by wherever it sees it: the relay alone must refuse.
    const answer = await send(port, { path, headers: { [SESSION_HEADER]: SESSION } });
    expectRefusal(answer, 400, 'invalid_request_error');
    expect(spy.calls).toHaveLength(0);
    expect(mock.requests).toHaveLength(0);
  });

  it('refuses the backslash path written on a raw socket too', async () => {
    const spy = spyAuthorize();
    const { port, mock } = await start([textReply('never')], { authorize: spy.authorize });
    const body = '{"model":"claude-sonnet-4-6","max_tokens":64,"messages":[{"role":"user","content":"Hi"}]}';
    const answer = await rawExchange(
      port,
      `POST /api\\messages HTTP/1.1\r\nhost: 127.0.0.1:${port}\r\ncontent-type: application/json\r\ncontent-length: ${body.length}\r\nconnection: close\r\n\r\n${body}`,
      2_000,
    );
    expect(answer.status).toBe(400);
    expect(answer.text).toContain('invalid_request_error');
    expect(spy.calls).toHaveLength(0);
    expect(mock.requests).toHaveLength(0);
  });
});

describe('the /api guard in front of the relay under Express', () => {
  const { start } = useRelay('Express');

  it('is not walked around: 20 path-confused requests without a session, past a 2-per-minute limit, send nothing upstream', async () => {
    const spy = spyAuthorize(() => ({ user: 'u1' }));
    const { port, mock, guard } = await start([textReply('never')], { authorize: spy.authorize }, { guard: { requireSession: true, perMinute: 2 } });
    const paths = Array.from({ length: 20 }, (_, index) => UNCANONICAL[index % UNCANONICAL.length] as string);
    const answers = await Promise.all(paths.map((path) => send(port, { path })));
    for (const [index, answer] of answers.entries()) {
      const path = paths[index] as string;
      if (guard?.refused.includes(path)) expect(answer.text).toBe(GUARD_NO_SESSION);
      else expectRefusal(answer, 400, 'invalid_request_error');
    }
    expect(spy.calls).toHaveLength(0);
    expect(mock.requests).toHaveLength(0);
    // Nothing reached upstream that the guard had not let through.
    expect(mock.requests.length).toBeLessThanOrEqual(guard?.passed.length ?? 0);
  });

  it('holds on the canonical path (the control): no session is refused by the guard, and a third request in the minute too', async () => {
    const spy = spyAuthorize(() => ({ user: 'u1' }));
    const { port, mock } = await start([textReply('one'), textReply('two'), textReply('never')], { authorize: spy.authorize }, { guard: { requireSession: true, perMinute: 2 } });
    expect((await send(port)).text).toBe(GUARD_NO_SESSION);
    expect((await send(port, { headers: { [SESSION_HEADER]: SESSION } })).status).toBe(200);
    expect((await send(port, { path: '/api/v1/messages', headers: { [SESSION_HEADER]: SESSION } })).status).toBe(200);
    expect((await send(port, { headers: { [SESSION_HEADER]: SESSION } })).text).toBe(GUARD_RATE_LIMITED);
    expect(mock.requests).toHaveLength(2);
    expect(spy.calls).toHaveLength(2);
  });
});
