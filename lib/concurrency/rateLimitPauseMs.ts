import { retryAfterMs } from '../transport/retryPolicy';

/**
 * The part of a response that says how long to hold back: its status and lower-cased headers.
 *
 * ## Example
 * ```ts
 * const signal: RateLimitSignal = { status: 429, headers: { 'retry-after': '2' } };
 * rateLimitPauseMs(signal); // 2000
 * ```
 */
export interface RateLimitSignal {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
}

const REMAINING = /^anthropic-ratelimit-(.+)-remaining$/;

/**
 * How long a response asks the client to send no new request, in milliseconds, or `undefined`
 * when it asks nothing.
 *
 * Two signals count, and the longer wait wins:
 * - a 429 with `retry-after-ms` or `retry-after` (seconds, or an HTTP date);
 * - any `anthropic-ratelimit-<limit>-remaining: 0` (`requests`, `tokens`, `input-tokens`,
 *   `output-tokens`, and limits added later) whose `anthropic-ratelimit-<limit>-reset` is an
 *   RFC 3339 time still in the future.
 *
 * ## Example
 * ```ts
 * rateLimitPauseMs({ status: 429, headers: { 'retry-after-ms': '250' } }); // 250
 * rateLimitPauseMs(
 *   { status: 200, headers: { 'anthropic-ratelimit-requests-remaining': '0', 'anthropic-ratelimit-requests-reset': '2025-01-01T00:00:02Z' } },
 *   Date.parse('2025-01-01T00:00:00Z'),
 * ); // 2000
 * ```
 *
 * @param response The status and headers (names in lower case, as `ResponseInfo` has them).
 * @param now The wall-clock time the reset times are compared with. Default `Date.now()`.
 * @return The wait in milliseconds (more than 0), or `undefined`.
 * @see RequestLimiter
 */
export function rateLimitPauseMs(response: RateLimitSignal, now: number = Date.now()): number | undefined {
  const { status, headers } = response;
  let wait = status === 429 ? retryAfterMs(headers, now) ?? 0 : 0;
  for (const [name, value] of Object.entries(headers)) {
    const limit = REMAINING.exec(name)?.[1];
    if (limit === undefined || value.trim() === '' || !(Number(value) <= 0)) continue;
    const reset = Date.parse(headers[`anthropic-ratelimit-${limit}-reset`] ?? '');
    if (!Number.isNaN(reset)) wait = Math.max(wait, reset - now);
  }
  return wait > 0 ? wait : undefined;
}
