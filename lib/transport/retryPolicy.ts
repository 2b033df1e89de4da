/** When and how long to wait before retrying a request, following the official SDKs' policy. */

const INITIAL_RETRY_DELAY_MS = 500;
const MAX_RETRY_DELAY_MS = 8_000;
/** A server-given delay longer than this is ignored in favour of the exponential backoff. */
const MAX_SERVER_DELAY_MS = 60_000;

/**
 * Whether a response status may succeed when sent again: 408, 409, 429 and every 5xx (529
 * included). An `x-should-retry` header from the server overrides the status.
 */
export function isRetryableResponse(status: number, headers: Record<string, string>): boolean {
  const hint = headers['x-should-retry'];
  if (hint === 'true') return true;
  if (hint === 'false') return false;
  return status === 408 || status === 409 || status === 429 || status >= 500;
}

/**
 * The wait before retry number `retry` (0 for the first retry): the server's `retry-after-ms` or
 * `retry-after` (seconds or an HTTP date) when it gives a usable one, otherwise 0.5 s × 2^retry
 * capped at 8 s, shortened by up to a quarter at random so that many clients do not retry in step.
 */
export function retryDelayMs(retry: number, headers: Record<string, string> = {}, now = Date.now(), random = Math.random): number {
  const fromServer = retryAfterMs(headers, now);
  if (fromServer !== undefined && fromServer >= 0 && fromServer <= MAX_SERVER_DELAY_MS) return fromServer;
  const backoff = Math.min(INITIAL_RETRY_DELAY_MS * 2 ** retry, MAX_RETRY_DELAY_MS);
  return backoff * (1 - 0.25 * random());
}

/**
 * The wait the server asks for: `retry-after-ms`, else `retry-after` in seconds or as an HTTP
 * date (relative to `now`); `undefined` when neither is there or readable.
 */
export function retryAfterMs(headers: Readonly<Record<string, string>>, now: number): number | undefined {
  const ms = headers['retry-after-ms'];
  if (ms !== undefined && ms.trim() !== '' && Number.isFinite(Number(ms))) return Number(ms);
  const after = headers['retry-after'];
  if (after === undefined || after.trim() === '') return undefined;
  const seconds = Number(after);
  if (Number.isFinite(seconds)) return seconds * 1000;
  const date = Date.parse(after);
  return Number.isNaN(date) ? undefined : date - now;
}
