/** The host of the Anthropic API itself, where every request needs a key or a token. */
const API_HOST = 'api.anthropic.com';

/**
 * Whether a base URL names the Anthropic API's own host (`https://api.anthropic.com`, the
 * default), rather than a relay, a gateway or a mock server, which may need no credentials.
 *
 * ## Example
 * ```ts
 * isAnthropicAPI('https://api.anthropic.com'); // true
 * isAnthropicAPI('HTTPS://API.ANTHROPIC.COM/'); // true
 * isAnthropicAPI('https://relay.example.com/anthropic'); // false
 * ```
 *
 * @param baseURL An absolute base URL (as `createClient` has checked it).
 * @return Whether requests to it go to the API itself.
 */
export function isAnthropicAPI(baseURL: string): boolean {
  let hostname: string;
  try {
    hostname = new URL(baseURL).hostname;
  } catch {
    return false;
  }
  return hostname.toLowerCase().replace(/\.$/, '') === API_HOST;
}
