/** The scheme and `//` of an absolute URL (`https://`), which the credentials follow. */
const SCHEME_AND_SLASHES = /^[a-z][a-z\d+.-]*:\/\//i;

/**
 * A URL with its `user:password@` replaced by `***@`, fit to quote in an error or a log.
 *
 * The credentials are looked for in the authority only (up to the first `/`, `?` or `#`), with
 * or without a scheme, so `user:pass@host` (no scheme) is redacted too, while an `@` in the path
 * (`https://host/team@example`) is kept. Text that is not a URL comes back unchanged.
 *
 * ## Example
 * ```ts
 * redactURLCredentials('https://admin:hunter2@proxy.example.com/v1'); // 'https://***@proxy.example.com/v1'
 * redactURLCredentials('https://proxy.example.com/team@example'); // unchanged
 * ```
 *
 * @param url The URL as given.
 * @return The URL without its credentials.
 */
export function redactURLCredentials(url: string): string {
  const start = SCHEME_AND_SLASHES.exec(url)?.[0].length ?? (url.startsWith('//') ? 2 : 0);
  const rest = url.slice(start);
  const end = rest.search(/[/?#]/);
  const authority = end === -1 ? rest : rest.slice(0, end);
  const at = authority.lastIndexOf('@');
  return at === -1 ? url : `${url.slice(0, start)}***@${url.slice(start + at + 1)}`;
}
