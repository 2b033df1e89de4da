/** The API's timestamps have whole seconds (RFC 3339). */
function inAMinute(): string {
  return new Date(Date.now() + 60_000).toISOString().replace(/\.\d+Z$/, 'Z');
}

/**
 * Headers every response of the mock carries, as the API's do: the request id clients put on
 * their errors, rate-limit headers (the remaining count goes down by one per request, so a
 * client that reads them has something to read), and CORS headers so a page under test on
 * another origin can call the mock.
 */
export function defaultResponseHeaders(requestNumber: number, requestId: string): Record<string, string> {
  const reset = inAMinute();
  return {
    'request-id': requestId,
    'anthropic-ratelimit-requests-limit': '1000',
    'anthropic-ratelimit-requests-remaining': String(Math.max(0, 1000 - requestNumber)),
    'anthropic-ratelimit-requests-reset': reset,
    'anthropic-ratelimit-tokens-limit': '1000000',
    'anthropic-ratelimit-tokens-remaining': '1000000',
    'anthropic-ratelimit-tokens-reset': reset,
    'access-control-allow-origin': '*',
    'access-control-expose-headers': '*',
  };
}

/** The extra headers of the answer to a CORS preflight (`OPTIONS`). */
export const preflightHeaders: Readonly<Record<string, string>> = {
  'access-control-allow-methods': 'GET, POST, DELETE, OPTIONS',
  'access-control-allow-headers': '*',
  'access-control-max-age': '600',
};
