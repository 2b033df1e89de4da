/** Headers whose values are credentials or session secrets: logged as `***`. */
const SECRET_HEADERS = new Set(['x-api-key', 'authorization', 'proxy-authorization', 'api-key', 'x-amz-security-token', 'cookie', 'set-cookie']);

/**
 * Headers fit for a log: names in lower case, and the value of every header that carries a
 * credential (`x-api-key`, `authorization`, `proxy-authorization`, `api-key`,
 * `x-amz-security-token`, `cookie`, `set-cookie`) replaced by `***`, as the official SDK does.
 *
 * ## Example
 * ```ts
 * redactHeaders({ 'X-Api-Key': 'sk-ant-…', 'anthropic-version': '2023-06-01' });
 * // { 'x-api-key': '***', 'anthropic-version': '2023-06-01' }
 * ```
 *
 * @param headers The headers as sent or received.
 * @return A copy without secrets.
 */
export function redactHeaders(headers: Readonly<Record<string, string>>): Record<string, string> {
  const redacted: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    const lower = name.toLowerCase();
    redacted[lower] = SECRET_HEADERS.has(lower) ? '***' : value;
  }
  return redacted;
}
