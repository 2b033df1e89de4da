import { APIConnectionError, InvalidArgumentError, type AnthropicError } from '../errors';

/** Causes followed down a chain: Node's fetch nests the real reason two levels deep. */
const MAX_CAUSE_DEPTH = 5;

/**
 * Reasons Node's fetch (undici) gives for a request it refuses before connecting anywhere, by
 * what the caller has to change. No retry can change them; `sendAttempt` checks the URL and the
 * headers first, so these are the ones left (a port browsers and fetch block, a scheme fetch
 * cannot speak) or reach here from a `fetch` of the caller's own.
 */
const REFUSALS: ReadonlyArray<{ readonly argument: 'baseURL' | 'headers'; readonly reason: RegExp }> = [
  { argument: 'baseURL', reason: /^(bad port|unknown scheme|Invalid URL|Failed to parse URL\b|Request cannot be constructed from a URL)/ },
  { argument: 'headers', reason: /is an invalid header (name|value)|Cannot convert argument to a ByteString/ },
];
const REFUSAL_CODES: Readonly<Record<string, 'baseURL' | 'headers'>> = {
  ERR_INVALID_URL: 'baseURL',
  ERR_INVALID_URL_SCHEME: 'baseURL',
  ERR_INVALID_HTTP_TOKEN: 'headers',
  ERR_INVALID_CHAR: 'headers',
};

/** `scheme://user:password@` anywhere in a text: credentials a fetch may quote with the URL. */
const URL_CREDENTIALS = /([a-z][a-z\d+.-]*:\/\/)[^/?#\s@]*@/gi;

/** The messages of an error and of its causes, outermost first, without empty or repeated ones. */
function reasonsOf(error: unknown): string[] {
  const reasons: string[] = [];
  let current: unknown = error;
  for (let depth = 0; current !== undefined && current !== null && depth < MAX_CAUSE_DEPTH; depth++) {
    const { message, code, errors } = current as { message?: unknown; code?: unknown; errors?: unknown };
    let reason = typeof message === 'string' ? message.trim() : typeof current === 'string' ? current : '';
    // An AggregateError (every address of a host refused) has an empty message and the reasons inside.
    if (reason === '' && Array.isArray(errors)) reason = [...new Set(errors.map((inner) => reasonsOf(inner)[0] ?? ''))].filter(Boolean).join('; ');
    if (reason === '' && typeof code === 'string') reason = code;
    if (reason !== '' && !reasons.includes(reason)) reasons.push(reason);
    current = current instanceof Error || typeof current === 'object' ? (current as { cause?: unknown }).cause : undefined;
  }
  return reasons;
}

/** What the caller has to fix when fetch refused the request before sending it; `undefined` for a network failure. */
function refusedArgument(error: unknown): 'baseURL' | 'headers' | undefined {
  let current: unknown = error;
  for (let depth = 0; typeof current === 'object' && current !== null && depth < MAX_CAUSE_DEPTH; depth++) {
    const { message, code } = current as { message?: unknown; code?: unknown };
    if (typeof code === 'string' && REFUSAL_CODES[code] !== undefined) return REFUSAL_CODES[code];
    const refusal = typeof message === 'string' ? REFUSALS.find(({ reason }) => reason.test(message)) : undefined;
    if (refusal !== undefined) return refusal.argument;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

/**
 * The error for what `fetch` threw or rejected with: an {@link APIConnectionError} (retried)
 * for a network failure, an {@link InvalidArgumentError} (never retried) for a request that
 * `fetch` refused to send at all.
 *
 * The message carries the reason from the bottom of the cause chain at the top, where a reader
 * looks: Node's fetch says only "fetch failed" and puts `connect ECONNREFUSED 127.0.0.1:9` in
 * its `cause`, so the message reads `Connection error: fetch failed: connect ECONNREFUSED
 * 127.0.0.1:9`. What `fetch` threw stays the `cause`. A refusal is told from a network failure by
 * the reasons and codes Node's fetch gives for one (a blocked port, an unknown scheme, an invalid
 * URL or header); any other failure, from any `fetch`, is taken for a network one.
 *
 * ## Example
 * ```ts
 * fetchFailure(new TypeError('fetch failed', { cause: new Error('connect ECONNREFUSED 127.0.0.1:9') }));
 * // APIConnectionError: Connection error: fetch failed: connect ECONNREFUSED 127.0.0.1:9
 * fetchFailure(new TypeError('fetch failed', { cause: new Error('bad port') }));
 * // InvalidArgumentError (argument 'baseURL'): fetch refused to send the request, check the baseURL: fetch failed: bad port
 * ```
 *
 * @param cause What `fetch` threw.
 * @return The error to fail the attempt with.
 */
export function fetchFailure(cause: unknown): AnthropicError {
  const reasons = reasonsOf(cause);
  const reason = (reasons.length > 0 ? reasons.join(': ') : String(cause)).replace(URL_CREDENTIALS, '$1***@');
  switch (refusedArgument(cause)) {
    case 'baseURL':
      return new InvalidArgumentError('baseURL', `fetch refused to send the request, check the baseURL: ${reason}`);
    case 'headers':
      // fetch's own message quotes the value, which may be a key or a token: leave it out.
      return new InvalidArgumentError('headers', 'fetch refused to send the request: a header has an invalid name or value (not shown: it may be a credential).');
    default:
      return new APIConnectionError(`Connection error: ${reason}`, { cause });
  }
}
