import type { ClientOptions } from './ClientOptions';
import { isAnthropicAPI } from './isAnthropicAPI';
import { isCredentialHeader } from '../transport/lacksCredentials';

/**
 * What a client's requests fail with when they would reach the API's own host without a key or
 * a token (`ANTHROPIC_API_KEY` unset, empty or blank, and no `apiKey` or `authToken`), or
 * `undefined` when they need not: a credential was found, the client is aimed at a relay or a
 * mock server (any other host), or `defaultHeaders` supplies a credential header or removes one
 * on purpose (`{ 'x-api-key': null }`, for a `fetch` that adds it, as the official SDK allows).
 *
 * The request would otherwise go out without a key and come back as a 401 (or, offline, as a
 * connection error that says nothing of the key). `createClient` does not throw for it: a client
 * may be created before the key is known (a module-level client, a test that never sends).
 *
 * ## Example
 * ```ts
 * missingCredentials({}, 'https://api.anthropic.com', undefined, undefined); // "No credentials for https://api.anthropic.com: …"
 * missingCredentials({}, 'https://relay.example.com', undefined, undefined); // undefined
 * ```
 *
 * @param options The options given to `createClient`.
 * @param baseURL The base URL the client sends to.
 * @param apiKey The key found (from the option or `ANTHROPIC_API_KEY`), if any.
 * @param authToken The token found (from the option or `ANTHROPIC_AUTH_TOKEN`), if any.
 * @return The message of the `InvalidArgumentError`, or `undefined`.
 */
export function missingCredentials(options: ClientOptions, baseURL: string, apiKey: string | null | undefined, authToken: string | null | undefined): string | undefined {
  if (apiKey || authToken || !isAnthropicAPI(baseURL)) return undefined;
  const defaultHeaders = Object.entries(options.defaultHeaders ?? {});
  if (defaultHeaders.some(([name, value]) => value !== undefined && isCredentialHeader(name))) return undefined;
  const key =
    options.apiKey === null
      ? 'createClient was given apiKey: null'
      : typeof options.apiKey === 'string'
        ? 'createClient was given an empty apiKey'
        : 'ANTHROPIC_API_KEY is unset or empty and createClient was given no apiKey';
  const token = options.authToken === null ? 'authToken: null' : typeof options.authToken === 'string' ? 'an empty authToken' : 'no authToken (nor ANTHROPIC_AUTH_TOKEN)';
  return (
    `No credentials for ${baseURL}: ${key}, and ${token}. The request was not sent (the API would refuse it with 401): ` +
    'set the ANTHROPIC_API_KEY environment variable, or pass apiKey (or authToken, sent as a bearer token) to createClient. ' +
    "A client aimed at your own relay (baseURL) needs neither; to send requests to the API without them on purpose (a fetch that adds them), remove the header: defaultHeaders: { 'x-api-key': null }."
  );
}
