import type { IncomingMessage } from 'node:http';
import { InvalidArgumentError } from '../errors';
import { ProxyRefusalError } from './ProxyRefusalError';
import { quoted } from './quoted';

/** A host name (lower case; an IPv6 address in brackets) and a port, or any port. */
interface HostEntry {
  readonly name: string;
  readonly port: number | undefined;
}

/** `example.com`, `example.com:8080`, `[::1]:8787` as a name and a port; `undefined` when it is none of those. */
export function parseHost(text: string): HostEntry | undefined {
  const lower = text.trim().toLowerCase();
  const match = /^(\[[0-9a-f:.]+\]|[^:[\]\s/@]+)(?::(\d{1,5}))?$/.exec(lower);
  if (!match) return undefined;
  const port = match[2] === undefined ? undefined : Number(match[2]);
  if (port !== undefined && port > 65535) return undefined;
  return { name: match[1] as string, port };
}

const isLoopback = (address: string): boolean => address === '::1' || address.startsWith('127.') || address.startsWith('::ffff:127.');

/**
 * The hosts a relay answers to when none are listed: the ones no DNS answer can point elsewhere.
 * On a loopback address, `localhost`, `127.0.0.1` and `[::1]`; on any other, the address itself;
 * each with the port the request came in on.
 */
function defaultHosts(request: IncomingMessage): HostEntry[] {
  const { localAddress = '', localPort } = request.socket;
  if (isLoopback(localAddress)) return ['localhost', '127.0.0.1', '[::1]'].map((name) => ({ name, port: localPort }));
  const address = localAddress.startsWith('::ffff:') ? localAddress.slice(7) : localAddress;
  return [{ name: address.includes(':') ? `[${address}]` : address, port: localPort }];
}

/**
 * The `allowedHosts` check: a function that throws a 403 `ProxyRefusalError` for a request whose
 * `Host` is not listed (or, without a list, not one of the local addresses' names).
 *
 * The `Host` a page's request carries is the name the browser resolved, so a name that DNS
 * rebinding pointed at the relay shows here: refusing unknown names stops it. A `Host` without a
 * port is port 80.
 *
 * @throws InvalidArgumentError at creation for an entry that is not a host or `host:port`.
 */
export function hostPolicy(allowedHosts: readonly string[] | undefined): (request: IncomingMessage) => void {
  const listed = allowedHosts?.map((entry) => {
    const parsed = typeof entry === 'string' ? parseHost(entry) : undefined;
    if (!parsed) throw new InvalidArgumentError('allowedHosts', `allowedHosts entries are "host" or "host:port"; got ${quoted(entry)}.`);
    return parsed;
  });
  return (request) => {
    const header = request.headers.host ?? (request.headers[':authority'] as string | undefined);
    const host = header === undefined ? undefined : parseHost(header);
    const entries = listed ?? defaultHosts(request);
    const port = host?.port ?? 80;
    if (host && entries.some((entry) => entry.name === host.name && (entry.port === undefined || entry.port === port))) return;
    const allowed = entries.map((entry) => (entry.port === undefined ? entry.name : `${entry.name}:${entry.port}`)).join(', ');
    throw new ProxyRefusalError(
      403,
      `This proxy does not answer to the host ${header === undefined ? '(none)' : quoted(header)}; allowed: ${allowed}` +
        `${listed ? '' : ' (the default: list the names it is reached by in allowedHosts)'}.`,
    );
  };
}
