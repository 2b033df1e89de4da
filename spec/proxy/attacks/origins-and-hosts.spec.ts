import { textReply } from 'rx-anthropic/testing';
import { ATTACK_HOSTS, expectRefusal, send, spyAuthorize, useRelay } from '../support/attackHarness';

/** Other sites: a DNS-rebound `Host`, a foreign `Origin`, preflights from pages that are not listed. */
describe.each(ATTACK_HOSTS)('Host and Origin on %s', (host) => {
  const { start } = useRelay(host);

  describe('Host (DNS rebinding)', () => {
    it('refuses a rebinding Host (evil.example:<port>) with 403 permission_error, nothing upstream', async () => {
      const { port, mock } = await start([textReply('never')], { authorize: 'anyone' });
      expectRefusal(await send(port, { headers: { host: `evil.example:${port}` } }), 403, 'permission_error');
      expect(mock.requests).toHaveLength(0);
    });

    it('refuses a loopback name on another port than the relay’s', async () => {
      const { port, mock } = await start([textReply('never')], { authorize: 'anyone' });
      expectRefusal(await send(port, { headers: { host: `localhost:${port === 1 ? 2 : port - 1}` } }), 403, 'permission_error');
      expect(mock.requests).toHaveLength(0);
    });

    it.each(['localhost', '127.0.0.1', '[::1]'])('lets %s:<port> in by default on a loopback relay (the control)', async (name) => {
      const { port, mock } = await start([textReply('ok')], { authorize: 'anyone' });
      expect((await send(port, { headers: { host: `${name}:${port}` } })).status).toBe(200);
      expect(mock.requests).toHaveLength(1);
    });

    it("allowedHosts ['relay.example'] lets relay.example in on any port, and refuses others", async () => {
      const { port, mock } = await start([textReply('one'), textReply('two')], { authorize: 'anyone', allowedHosts: ['relay.example'] });
      expect((await send(port, { headers: { host: 'relay.example:8080' } })).status).toBe(200);
      expect((await send(port, { headers: { host: 'relay.example' } })).status).toBe(200);
      expectRefusal(await send(port, { headers: { host: 'relay.example.evil.example' } }), 403, 'permission_error');
      expectRefusal(await send(port, { headers: { host: 'evil.example' } }), 403, 'permission_error');
      expect(mock.requests).toHaveLength(2);
    });

    it("allowedHosts ['relay.example:8080'] lets that port only", async () => {
      const { port, mock } = await start([textReply('one')], { authorize: 'anyone', allowedHosts: ['relay.example:8080'] });
      expect((await send(port, { headers: { host: 'relay.example:8080' } })).status).toBe(200);
      expectRefusal(await send(port, { headers: { host: 'relay.example:8081' } }), 403, 'permission_error');
      expectRefusal(await send(port, { headers: { host: 'relay.example' } }), 403, 'permission_error');
      expect(mock.requests).toHaveLength(1);
    });
  });

  describe('Origin', () => {
    it('refuses a page of another site with 403 permission_error, nothing upstream', async () => {
      const { port, mock } = await start([textReply('never')], { authorize: 'anyone' });
      expectRefusal(await send(port, { headers: { origin: 'https://evil.example' } }), 403, 'permission_error');
      expect(mock.requests).toHaveLength(0);
    });

    it('refuses Origin: null (a sandboxed frame, a file: page)', async () => {
      const { port, mock } = await start([textReply('never')], { authorize: 'anyone' });
      expectRefusal(await send(port, { headers: { origin: 'null' } }), 403, 'permission_error');
      expect(mock.requests).toHaveLength(0);
    });

    it('refuses another site even with a logged-in user’s cookie (cookie-based authorize)', async () => {
      const spy = spyAuthorize((request) => (String(request.headers.cookie).includes('sid=valid') ? { user: 'u1' } : false));
      const { port, mock } = await start([textReply('never')], { authorize: spy.authorize });
      expectRefusal(await send(port, { headers: { origin: 'https://evil.example', cookie: 'sid=valid' } }), 403, 'permission_error');
      expect(mock.requests).toHaveLength(0);
    });

    it('refuses an origin on the relay’s port but another host name', async () => {
      const { port, mock } = await start([textReply('never')], { authorize: 'anyone' });
      expectRefusal(await send(port, { headers: { origin: `http://evil.example:${port}` } }), 403, 'permission_error');
      expect(mock.requests).toHaveLength(0);
    });

    it.each(['http://app.example', 'https://app.example.evil.example', 'https://evil.example', 'https://app.example:8443'])(
      "refuses %s when only https://app.example is listed",
      async (origin) => {
        const { port, mock } = await start([textReply('never')], { authorize: 'anyone', allowedOrigins: ['https://app.example'] });
        const answer = await send(port, { headers: { origin } });
        expectRefusal(answer, 403, 'permission_error');
        expect(answer.headers['access-control-allow-origin']).toBeUndefined();
        expect(mock.requests).toHaveLength(0);
      },
    );

    it('lets the relay’s own origin in (the control)', async () => {
      const { port, mock } = await start([textReply('ok')], { authorize: 'anyone' });
      expect((await send(port, { headers: { origin: `http://127.0.0.1:${port}` } })).status).toBe(200);
      expect(mock.requests).toHaveLength(1);
    });

    it('lets a listed origin in, with access-control-allow-origin on the answer', async () => {
      const { port, mock } = await start([textReply('ok')], { authorize: 'anyone', allowedOrigins: ['https://app.example'] });
      const answer = await send(port, { headers: { origin: 'https://app.example' } });
      expect(answer.status).toBe(200);
      expect(answer.headers['access-control-allow-origin']).toBe('https://app.example');
      expect(mock.requests).toHaveLength(1);
    });

    it('judges a request without Origin by authorize alone', async () => {
      const { port, mock } = await start([textReply('ok')], { authorize: (request) => request.headers['authorization'] === 'Bearer t' });
      expectRefusal(await send(port), 401, 'authentication_error');
      expect((await send(port, { headers: { authorization: 'Bearer t' } })).status).toBe(200);
      expect(mock.requests).toHaveLength(1);
    });
  });

  describe('OPTIONS preflights', () => {
    const preflight = (origin: string) => ({
      method: 'OPTIONS',
      body: '',
      contentType: null,
      headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
    });

    it('answers a listed origin 204 with CORS headers, without asking authorize', async () => {
      const spy = spyAuthorize(() => false);
      const { port, mock } = await start([textReply('never')], { authorize: spy.authorize, allowedOrigins: ['https://app.example'] });
      const answer = await send(port, preflight('https://app.example'));
      expect(answer.status).toBe(204);
      expect(answer.headers['access-control-allow-origin']).toBe('https://app.example');
      expect(String(answer.headers['access-control-allow-methods']).toUpperCase()).toContain('POST');
      expect(spy.calls).toHaveLength(0);
      expect(mock.requests).toHaveLength(0);
    });

    it('answers another origin 403 without access-control-allow-origin, without asking authorize', async () => {
      const spy = spyAuthorize(() => true);
      const { port, mock } = await start([textReply('never')], { authorize: spy.authorize, allowedOrigins: ['https://app.example'] });
      const answer = await send(port, preflight('https://evil.example'));
      expect(answer.status).toBe(403);
      expect(answer.headers['access-control-allow-origin']).toBeUndefined();
      expect(spy.calls).toHaveLength(0);
      expect(mock.requests).toHaveLength(0);
    });
  });
});
