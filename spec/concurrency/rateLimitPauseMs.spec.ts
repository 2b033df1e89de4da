import { rateLimitPauseMs } from '../../lib/concurrency/rateLimitPauseMs';

const NOW = Date.parse('2025-01-01T00:00:00Z');

describe('rateLimitPauseMs', () => {
  it('reads retry-after-ms, then retry-after in seconds or as an HTTP date, on a 429', () => {
    expect(rateLimitPauseMs({ status: 429, headers: { 'retry-after-ms': '250', 'retry-after': '9' } }, NOW)).toBe(250);
    expect(rateLimitPauseMs({ status: 429, headers: { 'retry-after': '2' } }, NOW)).toBe(2000);
    expect(rateLimitPauseMs({ status: 429, headers: { 'retry-after': 'Wed, 01 Jan 2025 00:00:03 GMT' } }, NOW)).toBe(3000);
  });

  it('ignores retry-after on other statuses, and unusable values', () => {
    expect(rateLimitPauseMs({ status: 200, headers: { 'retry-after': '2' } }, NOW)).toBeUndefined();
    expect(rateLimitPauseMs({ status: 429, headers: { 'retry-after': 'soon' } }, NOW)).toBeUndefined();
    expect(rateLimitPauseMs({ status: 429, headers: {} }, NOW)).toBeUndefined();
  });

  it('waits until the reset of any limit whose remaining is 0', () => {
    const headers = {
      'anthropic-ratelimit-requests-remaining': '0',
      'anthropic-ratelimit-requests-reset': '2025-01-01T00:00:02Z',
      'anthropic-ratelimit-output-tokens-remaining': '0',
      'anthropic-ratelimit-output-tokens-reset': '2025-01-01T00:00:05Z',
      'anthropic-ratelimit-tokens-remaining': '1000',
      'anthropic-ratelimit-tokens-reset': '2025-01-01T00:01:00Z',
    };
    expect(rateLimitPauseMs({ status: 200, headers }, NOW)).toBe(5000);
  });

  it('takes the longer of retry-after and a reset', () => {
    const headers = { 'retry-after': '1', 'anthropic-ratelimit-requests-remaining': '0', 'anthropic-ratelimit-requests-reset': '2025-01-01T00:00:04Z' };
    expect(rateLimitPauseMs({ status: 429, headers }, NOW)).toBe(4000);
  });

  it('asks nothing for a limit left, a reset in the past, or values it cannot read', () => {
    const at = (remaining: string, reset: string) => ({
      status: 200,
      headers: { 'anthropic-ratelimit-requests-remaining': remaining, 'anthropic-ratelimit-requests-reset': reset },
    });
    expect(rateLimitPauseMs(at('5', '2025-01-01T00:00:04Z'), NOW)).toBeUndefined();
    expect(rateLimitPauseMs(at('0', '2024-12-31T23:59:59Z'), NOW)).toBeUndefined();
    expect(rateLimitPauseMs(at('0', 'later'), NOW)).toBeUndefined();
    expect(rateLimitPauseMs(at('many', '2025-01-01T00:00:04Z'), NOW)).toBeUndefined();
    expect(rateLimitPauseMs(at('', '2025-01-01T00:00:04Z'), NOW)).toBeUndefined();
  });
});
