import { textReply } from 'rx-anthropic/testing';
import { ATTACK_HOSTS, expectRefusal, openStream, send, spyAuthorize, useRelay, within, type Answer, type RelayOptions } from '../support/attackHarness';
import { EXPRESS_FALLBACK } from '../support/proxyHarness';

/**
 * The stream routes (`GET`/`DELETE {basePath}/streams/{id}`): an attacker who knows or guesses a
 * stream's id must neither read nor stop it. Each test starts a stream as `u1`, attacks it while it
 * runs, and then checks the refusal, that nothing more went upstream, and that the stream ran to
 * its end (not stopped).
 */

/** About 1.6 s of events: the attacks run while it streams. */
const SLOW = textReply('slow '.repeat(40), { chunkSize: 5, chunkDelayMs: 40 });

/** `authorize` by the `x-user` header: `{ user }`, or refused. */
const byUser: RelayOptions['authorize'] = (request) => {
  const user = request.headers['x-user'];
  return typeof user === 'string' && user !== '' ? { user } : false;
};

/** A request to a stream's path as an attacker sends it: no body, its own headers. */
const streamRequest = (method: string, path: string, headers: Record<string, string> = {}) => ({ method, path, headers, body: '', contentType: null });

describe.each(ATTACK_HOSTS)('the stream routes on %s', (host) => {
  const { start } = useRelay(host);

  /** A relay with a stream of u1's running; `settled()` asserts nothing else went upstream and the stream was not stopped. */
  async function withRunningStream(options: Partial<RelayOptions> = {}) {
    const spy = spyAuthorize((request) => (typeof byUser === 'function' ? byUser(request) : false));
    const relay = await start([SLOW, textReply('never')], { authorize: spy.authorize, allowedOrigins: ['https://app.example'], ...options });
    const stream = await openStream(relay.port, { headers: { 'x-user': 'u1' } });
    const id = String(stream.headers['x-stream-id']);
    expect(id).toMatch(/^strm_/);
    const upstream = await relay.mock.waitForRequest(0);
    const authorizedBefore = spy.calls.length;
    return {
      ...relay,
      id,
      spy,
      authorizedSince: () => spy.calls.length - authorizedBefore,
      async settled(): Promise<void> {
        stream.close();
        await within(upstream.closed, 4_000, 'the stream to run to its end');
        expect({ completed: upstream.completed, abortedByClient: upstream.abortedByClient }).toEqual({ completed: true, abortedByClient: false });
        expect(relay.mock.requests).toHaveLength(1);
      },
    };
  }

  it('another user can neither read nor stop the stream: the same 404 as an unknown id', async () => {
    const relay = await withRunningStream();
    const answers: Answer[] = [
      await send(relay.port, streamRequest('GET', `/api/streams/${relay.id}`, { 'x-user': 'u2' })),
      await send(relay.port, streamRequest('DELETE', `/api/streams/${relay.id}`, { 'x-user': 'u2' })),
      await send(relay.port, streamRequest('GET', `/api/streams/${relay.id}`, { 'x-user': 'u2', 'last-event-id': '3' })),
      await send(relay.port, streamRequest('DELETE', '/api/streams/strm_AAAAAAAAAAAAAAAAAAAAAA', { 'x-user': 'u1' })),
    ];
    for (const answer of answers) expectRefusal(answer, 404, 'not_found_error');
    expect(new Set(answers.map((answer) => answer.text)).size).toBe(1);
    await relay.settled();
  });

  it('without authorize’s yes: 401, nothing read, nothing stopped', async () => {
    const relay = await withRunningStream();
    for (const method of ['GET', 'DELETE']) {
      const answer = await send(relay.port, streamRequest(method, `/api/streams/${relay.id}`));
      expectRefusal(answer, 401, 'authentication_error');
      expect(answer.text).not.toContain('event:');
    }
    await relay.settled();
  });

  it('a page of a foreign origin: 403 before authorize, nothing read, nothing stopped; a listed origin’s preflight allows GET and DELETE', async () => {
    const relay = await withRunningStream();
    for (const method of ['GET', 'DELETE', 'OPTIONS']) {
      const answer = await send(relay.port, streamRequest(method, `/api/streams/${relay.id}`, { 'x-user': 'u1', origin: 'https://evil.example', 'access-control-request-method': 'DELETE' }));
      expectRefusal(answer, 403, 'permission_error');
    }
    expect(relay.authorizedSince()).toBe(0);
    const preflight = await send(relay.port, streamRequest('OPTIONS', `/api/streams/${relay.id}`, { origin: 'https://app.example', 'access-control-request-method': 'DELETE' }));
    expect(preflight.status).toBe(204);
    expect(preflight.headers['access-control-allow-methods']).toBe('GET, DELETE');
    await relay.settled();
  });

  it('a foreign Host (DNS rebinding): 403, nothing stopped', async () => {
    const relay = await withRunningStream();
    const answer = await send(relay.port, streamRequest('DELETE', `/api/streams/${relay.id}`, { 'x-user': 'u1', host: 'evil.example' }));
    expectRefusal(answer, 403, 'permission_error');
    await relay.settled();
  });

  it('path tricks around the stream’s path never stop it: refused (400) before authorize, or not the relay’s (404)', async () => {
    const relay = await withRunningStream();
    const { id } = relay;
    const uncanonical = [
      `/api/streams/../streams/${id}`,
      `/api/streams/%2e%2e/streams/${id}`,
      '/api/streams/%2e%2e',
      '/api/streams/..',
      `/api/streams/./${id}`,
      `/api/streams//${id}`,
      `/api//streams/${id}`,
      `/api/streams%2f${id}`,
      `/api/streams/${id}%2f`,
      `/api/streams\\${id}`,
      `/x/../api/streams/${id}`,
    ];
    for (const path of uncanonical) {
      const answer = await send(relay.port, streamRequest('DELETE', path, { 'x-user': 'u1' }));
      expect({ path, status: answer.status }).toEqual({ path, status: 400 });
      expectRefusal(answer, 400, 'invalid_request_error');
    }
    expect(relay.authorizedSince()).toBe(0);
    const others = [`/api/streams/${id}/`, `/api/streams/${id}/x`, `/API/streams/${id}`, `/api/Streams/${id}`, `/api/streams/${id}.json`, `/api/streams/${id}%41`, '/api/streams/', '/api/streams'];
    for (const path of others) {
      const answer = await send(relay.port, streamRequest('DELETE', path, { 'x-user': 'u1' }));
      expect({ path, status: answer.status }).toEqual({ path, status: 404 });
      if (host === 'Express') expect(answer.text).toBe(EXPRESS_FALLBACK);
      else expectRefusal(answer, 404, 'not_found_error');
    }
    await relay.settled();
  });

  it('methods other than GET and DELETE, and a GET with a body, are not answered with the stream', async () => {
    const relay = await withRunningStream();
    for (const method of ['POST', 'PUT', 'PATCH']) {
      const answer = await send(relay.port, { method, path: `/api/streams/${relay.id}`, headers: { 'x-user': 'u1' } });
      expect({ method, status: answer.status }).toEqual({ method, status: 404 });
    }
    const withBody = await send(relay.port, { method: 'DELETE', path: `/api/streams/${relay.id}`, headers: { 'x-user': 'u1' }, body: '{"stop":true}' });
    expectRefusal(withBody, 400, 'invalid_request_error');
    await relay.settled();
  });

  it('the owner (the control): DELETE stops it, and GET then reads what came before the stop', async () => {
    const relay = await withRunningStream();
    await new Promise((resolve) => setTimeout(resolve, 200));
    const stopped = await send(relay.port, streamRequest('DELETE', `/api/streams/${relay.id}`, { 'x-user': 'u1' }));
    expect(stopped.status).toBe(204);
    const upstream = await relay.mock.waitForRequest(0);
    await within(upstream.closed, 2_000, 'the stream to be stopped');
    expect(upstream.abortedByClient).toBe(true);
    const read = await send(relay.port, streamRequest('GET', `/api/streams/${relay.id}`, { 'x-user': 'u1', 'last-event-id': '2' }));
    expect(read.status).toBe(200);
    expect(read.text.startsWith('id: 3\n')).toBe(true);
  });
});
