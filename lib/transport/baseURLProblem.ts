import { redactURLCredentials } from './redactURLCredentials';

/** Hosts that are this machine, where a server is much more likely to speak plain `http:`. */
const LOOPBACK_HOST = /^(localhost|127(\.\d+){3}|\[::1\]|0\.0\.0\.0)(:|\/|$)/i;
/** `host:port` or `host:port/path`: a scheme was forgotten and the host was read as one. */
const HOST_AND_PORT = /^[^/:?#]+:\d+(\/|$)/;
const HAS_SCHEME = /^[a-z][a-z\d+.-]*:/i;

/**
 * What keeps a base URL from being used, or `undefined` when it is an absolute `http:` or
 * `https:` URL without credentials.
 *
 * `fetch` would refuse the others only when a request is sent, with a `TypeError` or a
 * "fetch failed" two causes down, and that was reported (and retried) as a connection error.
 * The answer says what is wrong and, when it can guess, what to write instead
 * (`'api.anthropic.com' has no scheme: use 'https://api.anthropic.com'`); the URL it quotes has
 * its `user:password@` redacted, and a URL with credentials is refused for that alone, since
 * `fetch` would quote them in every error.
 *
 * ## Example
 * ```ts
 * baseURLProblem('api.anthropic.com'); // "'api.anthropic.com' has no scheme: use 'https://api.anthropic.com'"
 * baseURLProblem('localhost:1234'); // "'localhost:1234' has no scheme …: use 'http://localhost:1234'"
 * baseURLProblem('https://api.anthropic.com'); // undefined
 * ```
 *
 * @param baseURL The base URL as given.
 * @return Why it cannot be used, or `undefined`.
 */
export function baseURLProblem(baseURL: string): string | undefined {
  const url = baseURL.trim();
  const shown = `'${redactURLCredentials(url)}'`;
  if (url === '') return 'is empty: leave it out for the public API, or give an absolute URL such as https://api.anthropic.com';
  if (redactURLCredentials(url) !== url) {
    return (
      'contains credentials (user:password@host), which would leak into errors and logs: remove them from the URL ' +
      'and send them with `apiKey`, `authToken` or `defaultHeaders` (an `authorization` header) instead'
    );
  }
  if (url.startsWith('/') || url.startsWith('.')) {
    return `${shown} is a relative URL: give an absolute one (in a page, new URL(${JSON.stringify(url)}, location.href).href)`;
  }
  if (!HAS_SCHEME.test(url) || HOST_AND_PORT.test(url)) {
    const scheme = LOOPBACK_HOST.test(url) ? 'http' : 'https';
    const read = HAS_SCHEME.test(url) ? ` (fetch would read '${url.slice(0, url.indexOf(':') + 1)}' as one)` : '';
    return `${shown} has no scheme${read}: use '${scheme}://${url}'`;
  }
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return `${shown} is not a valid URL`;
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    return `${shown} has the scheme '${parsed.protocol}': only http: and https: can be used`;
  }
  if (parsed.hostname === '') return `${shown} has no host`;
  return undefined;
}
