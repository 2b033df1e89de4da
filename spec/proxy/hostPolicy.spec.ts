import type { IncomingMessage } from 'node:http';
import { InvalidArgumentError } from 'rx-anthropic';
import { ProxyRefusalError } from 'rx-anthropic/proxy';
import { hostPolicy, parseHost } from '../../lib/proxy/hostPolicy';

/** A request as the policy sees it: its headers and the local end of its socket. */
const requestTo = (host: string | undefined, localAddress = '127.0.0.1', localPort = 8787, extra: Record<string, string> = {}): IncomingMessage =>
  ({ headers: { ...(host === undefined ? {} : { host }), ...extra }, socket: { localAddress, localPort } }) as unknown as IncomingMessage;

/** The refusal the check throws, or `undefined` when it lets the request in. */
function refusalOf(check: (request: IncomingMessage) => void, request: IncomingMessage): ProxyRefusalError | undefined {
  try {
    check(request);
    return undefined;
  } catch (error) {
    if (error instanceof ProxyRefusalError) return error;
    throw error;
  }
}

const allows = (check: (request: IncomingMessage) => void, request: IncomingMessage): boolean => refusalOf(check, request) === undefined;

describe('hostPolicy', () => {
  describe('without a list', () => {
    const check = hostPolicy(undefined);

    it.each(['127.0.0.1', '::1', '::ffff:127.0.0.1', '127.1.2.3'])('on the loopback address %s, answers to localhost, 127.0.0.1 and [::1] on its port', (address) => {
      for (const host of ['localhost:8787', '127.0.0.1:8787', '[::1]:8787']) expect(allows(check, requestTo(host, address))).toBe(true);
      for (const host of ['localhost:9999', 'evil.example:8787', 'localhost', '127.0.0.2:8787', '[::2]:8787']) expect(allows(check, requestTo(host, address))).toBe(false);
    });

    it('takes a Host without a port as port 80', () => {
      expect(allows(check, requestTo('localhost', '127.0.0.1', 80))).toBe(true);
      expect(allows(check, requestTo('localhost:80', '127.0.0.1', 80))).toBe(true);
      expect(allows(check, requestTo('localhost', '127.0.0.1', 443))).toBe(false);
    });

    it('on another address, answers to the address literal only', () => {
      expect(allows(check, requestTo('192.168.1.5:8787', '192.168.1.5'))).toBe(true);
      expect(allows(check, requestTo('localhost:8787', '192.168.1.5'))).toBe(false);
      expect(allows(check, requestTo('myhost.lan:8787', '192.168.1.5'))).toBe(false);
      expect(allows(check, requestTo('192.168.1.5:8788', '192.168.1.5'))).toBe(false);
    });

    it('takes an IPv4-mapped address as the IPv4 literal', () => {
      expect(allows(check, requestTo('10.0.0.2:8787', '::ffff:10.0.0.2'))).toBe(true);
      expect(allows(check, requestTo('[::ffff:10.0.0.2]:8787', '::ffff:10.0.0.2'))).toBe(false);
    });

    it('takes an IPv6 address in brackets', () => {
      expect(allows(check, requestTo('[fe80::1]:8787', 'fe80::1'))).toBe(true);
      expect(allows(check, requestTo('[FE80::1]:8787', 'fe80::1'))).toBe(true);
      expect(allows(check, requestTo('fe80::1:8787', 'fe80::1'))).toBe(false);
      expect(allows(check, requestTo('localhost:8787', 'fe80::1'))).toBe(false);
    });

    it('refuses with 403, naming the host and the allowed ones', () => {
      const refusal = refusalOf(check, requestTo('evil.example:8787'));
      expect(refusal?.status).toBe(403);
      expect(refusal?.message).toContain('"evil.example:8787"');
      expect(refusal?.message).toContain('localhost:8787, 127.0.0.1:8787, [::1]:8787');
      expect(refusal?.message).toContain('allowedHosts');
    });
  });

  describe('with a list', () => {
    it('takes a listed host on any port', () => {
      const check = hostPolicy(['app.example']);
      for (const host of ['app.example', 'app.example:80', 'app.example:8443']) expect(allows(check, requestTo(host, '10.0.0.1'))).toBe(true);
      expect(allows(check, requestTo('other.example', '10.0.0.1'))).toBe(false);
      expect(allows(check, requestTo('sub.app.example', '10.0.0.1'))).toBe(false);
    });

    it('takes a listed host:port on that port only, a Host without a port being port 80', () => {
      const check = hostPolicy(['app.example:8443', 'plain.example:80']);
      expect(allows(check, requestTo('app.example:8443'))).toBe(true);
      expect(allows(check, requestTo('app.example'))).toBe(false);
      expect(allows(check, requestTo('app.example:443'))).toBe(false);
      expect(allows(check, requestTo('plain.example'))).toBe(true);
      expect(allows(check, requestTo('plain.example:8080'))).toBe(false);
    });

    it('replaces the defaults: the local names are refused unless listed', () => {
      const check = hostPolicy(['app.example']);
      expect(allows(check, requestTo('localhost:8787'))).toBe(false);
      expect(allows(check, requestTo('127.0.0.1:8787'))).toBe(false);
    });

    it('refuses every host with an empty list', () => {
      expect(allows(hostPolicy([]), requestTo('localhost:8787'))).toBe(false);
    });

    it('compares names without regard to case', () => {
      const check = hostPolicy(['App.EXAMPLE:8443', '[FE80::1]']);
      expect(allows(check, requestTo('app.example:8443'))).toBe(true);
      expect(allows(check, requestTo('APP.example:8443'))).toBe(true);
      expect(allows(check, requestTo('[fe80::1]:9000'))).toBe(true);
    });

    it('refuses with 403 naming the list, without the hint about the default', () => {
      const refusal = refusalOf(hostPolicy(['app.example', 'api.example:8443']), requestTo('evil.example'));
      expect(refusal).toBeInstanceOf(ProxyRefusalError);
      expect(refusal?.status).toBe(403);
      expect(refusal?.message).toContain('allowed: app.example, api.example:8443.');
    });

    it('quotes a long Host short', () => {
      const refusal = refusalOf(hostPolicy(['app.example']), requestTo(`${'a'.repeat(10_000)}.example`));
      expect(refusal?.message.length).toBeLessThan(300);
    });
  });

  it('refuses a request without a Host', () => {
    const refusal = refusalOf(hostPolicy(undefined), requestTo(undefined));
    expect(refusal?.status).toBe(403);
    expect(refusal?.message).toContain('(none)');
    expect(allows(hostPolicy(['app.example']), requestTo(undefined))).toBe(false);
  });

  it('reads :authority when there is no Host (HTTP/2)', () => {
    expect(allows(hostPolicy(['app.example']), requestTo(undefined, '10.0.0.1', 443, { ':authority': 'app.example:443' }))).toBe(true);
    expect(allows(hostPolicy(['app.example']), requestTo(undefined, '10.0.0.1', 443, { ':authority': 'evil.example:443' }))).toBe(false);
  });

  it('refuses a Host that is not a host or host:port', () => {
    const check = hostPolicy(['app.example']);
    for (const host of ['', 'app.example:99999', 'app.example:', 'user@app.example', 'app.example/x', 'app.example:80:80', 'a b']) {
      expect(allows(check, requestTo(host))).toBe(false);
    }
  });

  it.each([
    ['a URL', 'https://app.example'],
    ['a path', 'app.example/api'],
    ['user info', 'user@app.example'],
    ['a port past 65535', 'app.example:70000'],
    ['an empty port', 'app.example:'],
    ['an empty string', ''],
    ['a space inside', 'app example'],
    ['an unbracketed IPv6 address', 'fe80::1'],
    ['a number', 8080 as unknown as string],
  ])('throws InvalidArgumentError at creation for an entry with %s', (_, entry) => {
    expect(() => hostPolicy([entry])).toThrow(InvalidArgumentError);
    expect(() => hostPolicy(['app.example', entry])).toThrow(expect.objectContaining({ argument: 'allowedHosts' }));
  });
});

describe('parseHost', () => {
  it('gives the name in lower case and the port, or no port', () => {
    expect(parseHost('App.Example:8443')).toEqual({ name: 'app.example', port: 8443 });
    expect(parseHost('app.example')).toEqual({ name: 'app.example', port: undefined });
    expect(parseHost('[::1]:8787')).toEqual({ name: '[::1]', port: 8787 });
    expect(parseHost(' localhost ')).toEqual({ name: 'localhost', port: undefined });
  });
});
