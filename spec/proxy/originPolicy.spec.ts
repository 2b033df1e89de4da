import type { IncomingMessage, ServerResponse } from 'node:http';
import { InvalidArgumentError } from 'rx-anthropic';
import { ProxyRefusalError } from 'rx-anthropic/proxy';
import { answerPreflight, corsHeaders, originPolicy, type RequestOrigin } from '../../lib/proxy/originPolicy';
import { thrownRefusal } from './support/thrownRefusal';

/** A request with these headers, received on 127.0.0.1:8787. */
const requestWith = (headers: Record<string, string>): IncomingMessage =>
  ({ headers, socket: { localAddress: '127.0.0.1', localPort: 8787 } }) as unknown as IncomingMessage;

/** A ServerResponse that records what was written to it. */
function fakeResponse() {
  const written: { status?: number; headers?: Record<string, string>; ended: boolean } = { ended: false };
  const response = {
    writeHead(status: number, headers: Record<string, string>) {
      written.status = status;
      written.headers = headers;
      return response;
    },
    end() {
      written.ended = true;
      return response;
    },
  };
  return { response: response as unknown as ServerResponse, written };
}

describe('originPolicy', () => {
  const own = originPolicy(undefined);

  it('calls a request without Origin "none"', () => {
    expect(own(requestWith({ host: 'localhost:8787' }))).toEqual({ kind: 'none' });
    expect(originPolicy(['https://app.example'])(requestWith({}))).toEqual({ kind: 'none' });
  });

  it.each([
    ['http://localhost:8787', 'localhost:8787'],
    ['http://app.example', 'app.example'],
    ['http://app.example', 'app.example:80'],
    ['http://app.example:80', 'app.example'],
    ['https://app.example', 'app.example'],
    ['https://app.example', 'app.example:443'],
    ['https://app.example:443', 'app.example'],
    ['https://app.example:8443', 'app.example:8443'],
    ['http://APP.Example:8080', 'app.EXAMPLE:8080'],
    ['http://[::1]:8787', '[::1]:8787'],
    ['http://127.0.0.1:8787', '127.0.0.1:8787'],
  ])('calls Origin %s with Host %s "same": its own origin', (origin, host) => {
    expect(own(requestWith({ origin, host }))).toEqual({ kind: 'same' });
  });

  it.each([
    ['http://localhost:8787', 'localhost:8788'],
    ['http://app.example', 'app.example:8080'],
    ['https://app.example', 'app.example:80'],
    ['http://app.example:443', 'app.example'],
    ['http://evil.example:8787', 'localhost:8787'],
    ['http://localhost:8787', undefined],
  ])('refuses Origin %s with Host %s: another origin', (origin, host) => {
    const refusal = thrownRefusal(() => own(requestWith({ origin, ...(host === undefined ? {} : { host }) })));
    expect(refusal?.status).toBe(403);
  });

  it('calls a listed origin "listed", with its normalised origin', () => {
    const check = originPolicy(['https://app.example', 'http://localhost:5173']);
    expect(check(requestWith({ origin: 'https://app.example', host: 'localhost:8787' }))).toEqual({ kind: 'listed', origin: 'https://app.example' });
    expect(check(requestWith({ origin: 'http://localhost:5173', host: 'localhost:8787' }))).toEqual({ kind: 'listed', origin: 'http://localhost:5173' });
    expect(check(requestWith({ origin: 'https://APP.example:443', host: 'localhost:8787' }))).toEqual({ kind: 'listed', origin: 'https://app.example' });
  });

  it.each([
    ['a trailing slash', 'https://app.example/'],
    ['upper case', 'HTTPS://APP.EXAMPLE'],
    ['the default port', 'https://app.example:443'],
    ['all of them', 'HTTPS://App.Example:443/'],
  ])('normalises an entry with %s', (_, entry) => {
    expect(originPolicy([entry])(requestWith({ origin: 'https://app.example', host: 'relay.example' }))).toEqual({ kind: 'listed', origin: 'https://app.example' });
  });

  it('normalises http entries with port 80 too', () => {
    expect(originPolicy(['http://app.example:80'])(requestWith({ origin: 'http://app.example', host: 'relay.example' }))).toEqual({ kind: 'listed', origin: 'http://app.example' });
  });

  it.each([
    ['null', 'null'],
    ['malformed', 'not an origin'],
    ['malformed, a scheme alone', 'https://'],
    ['file:', 'file:///home/me/page.html'],
    ['chrome-extension:', 'chrome-extension://abcdefghijklmnop'],
    ['data:', 'data:text/html,hi'],
    ['a listed origin with another port', 'https://app.example:8443'],
    ['a listed origin with another scheme', 'http://app.example'],
    ['a sub-domain of a listed origin', 'https://evil.app.example'],
    ['a look-alike', 'https://app.example.evil.example'],
  ])('refuses Origin %s with 403', (_, origin) => {
    const check = originPolicy(['https://app.example']);
    const refusal = thrownRefusal(() => check(requestWith({ origin, host: 'relay.example' })));
    expect(refusal).toBeInstanceOf(ProxyRefusalError);
    expect(refusal?.status).toBe(403);
    expect(refusal?.type).toBe('permission_error');
  });

  it('names the allowed origins in the refusal, and quotes a long Origin short', () => {
    expect(thrownRefusal(() => originPolicy(['https://app.example'])(requestWith({ origin: 'https://evil.example' })))?.message).toContain('https://app.example');
    expect(thrownRefusal(() => own(requestWith({ origin: 'https://evil.example' })))?.message).toContain('allowedOrigins');
    const long = `https://${'a'.repeat(10_000)}.example`;
    expect(thrownRefusal(() => own(requestWith({ origin: long })))?.message.length).toBeLessThan(300);
  });

  it.each([
    ['a path', 'https://app.example/app'],
    ['a query', 'https://app.example/?x=1'],
    ['a fragment', 'https://app.example/#top'],
    ['user info', 'https://user@app.example'],
    ['no scheme', 'app.example'],
    ['another scheme', 'file:///home/me'],
    ['an opaque origin', 'chrome-extension://abcdefghijklmnop'],
    ['null', 'null'],
    ['not a string', 443 as unknown as string],
  ])('throws InvalidArgumentError at creation for an entry with %s', (_, entry) => {
    expect(() => originPolicy([entry])).toThrow(InvalidArgumentError);
    expect(() => originPolicy(['https://ok.example', entry])).toThrow(expect.objectContaining({ argument: 'allowedOrigins' }));
  });
});

describe('corsHeaders', () => {
  it('gives a listed origin its CORS headers, and nothing to the others', () => {
    expect(corsHeaders({ kind: 'listed', origin: 'https://app.example' })).toEqual({
      'access-control-allow-origin': 'https://app.example',
      'access-control-allow-credentials': 'true',
      'access-control-expose-headers': 'request-id, retry-after',
      vary: 'Origin',
    });
    expect(corsHeaders({ kind: 'same' })).toEqual({});
    expect(corsHeaders({ kind: 'none' })).toEqual({});
  });
});

describe('answerPreflight', () => {
  const listed: RequestOrigin = { kind: 'listed', origin: 'https://app.example' };

  it('answers 204 with the CORS headers, POST and the headers asked for', () => {
    const { response, written } = fakeResponse();
    answerPreflight(requestWith({ 'access-control-request-headers': ' content-type, anthropic-beta ,x-session ' }), response, listed);
    expect(written).toEqual({
      status: 204,
      headers: {
        ...corsHeaders(listed),
        'access-control-allow-methods': 'POST',
        'access-control-allow-headers': 'content-type, anthropic-beta ,x-session',
        'access-control-max-age': '600',
        vary: 'Origin, Access-Control-Request-Headers',
      },
      ended: true,
    });
  });

  it.each([
    ['nothing asked', undefined],
    ['an empty list', ''],
    ['a value that is not a header list', 'content-type; drop table'],
    ['a line break', 'content-type\r\nset-cookie: a=b'],
    ['an empty name', 'content-type,,x-a'],
    ['a list past 1024 characters', Array.from({ length: 120 }, (_, i) => `x-header-${i}`).join(', ')],
  ])('allows content-type only for %s', (_, asked) => {
    const { response, written } = fakeResponse();
    answerPreflight(requestWith(asked === undefined ? {} : { 'access-control-request-headers': asked }), response, listed);
    expect(written.headers?.['access-control-allow-headers']).toBe('content-type');
  });

  it.each<RequestOrigin>([{ kind: 'same' }, { kind: 'none' }])('refuses the preflight of %j with 403 and writes nothing', (origin) => {
    const { response, written } = fakeResponse();
    const refusal = thrownRefusal(() => answerPreflight(requestWith({ 'access-control-request-headers': 'content-type' }), response, origin));
    expect(refusal?.status).toBe(403);
    expect(written).toEqual({ ended: false });
  });
});
