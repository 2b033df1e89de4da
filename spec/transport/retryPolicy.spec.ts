import { isRetryableResponse, retryDelayMs } from '../../lib/transport/retryPolicy';

describe('isRetryableResponse', () => {
  it.each([408, 409, 429, 500, 502, 503, 529])('retries %i', (status) => {
    expect(isRetryableResponse(status, {})).toBe(true);
  });

  it.each([400, 401, 403, 404, 413, 422])('does not retry %i', (status) => {
    expect(isRetryableResponse(status, {})).toBe(false);
  });

  it('lets x-should-retry override the status either way', () => {
    expect(isRetryableResponse(503, { 'x-should-retry': 'false' })).toBe(false);
    expect(isRetryableResponse(400, { 'x-should-retry': 'true' })).toBe(true);
  });
});

describe('retryDelayMs', () => {
  const noJitter = () => 0;
  const fullJitter = () => 1;

  it('doubles from 0.5 s and caps at 8 s', () => {
    expect([0, 1, 2, 3, 4, 5, 6].map((n) => retryDelayMs(n, {}, 0, noJitter))).toEqual([500, 1000, 2000, 4000, 8000, 8000, 8000]);
  });

  it('shortens the backoff by at most a quarter at random', () => {
    expect(retryDelayMs(1, {}, 0, fullJitter)).toBe(750);
    for (let i = 0; i < 50; i += 1) {
      const delay = retryDelayMs(2, {});
      expect(delay).toBeGreaterThanOrEqual(1500);
      expect(delay).toBeLessThanOrEqual(2000);
    }
  });

  it('honours retry-after-ms before retry-after', () => {
    expect(retryDelayMs(0, { 'retry-after-ms': '1234', 'retry-after': '9' }, 0, noJitter)).toBe(1234);
  });

  it('reads retry-after as seconds', () => {
    expect(retryDelayMs(0, { 'retry-after': '3' }, 0, noJitter)).toBe(3000);
  });

  it('reads retry-after as an HTTP date', () => {
    const now = Date.parse('Wed, 25 Nov 2026 10:00:00 GMT');
    expect(retryDelayMs(0, { 'retry-after': 'Wed, 25 Nov 2026 10:00:05 GMT' }, now, noJitter)).toBe(5000);
  });

  it('falls back to the backoff for unusable or over-long server delays', () => {
    expect(retryDelayMs(0, { 'retry-after': 'soon' }, 0, noJitter)).toBe(500);
    expect(retryDelayMs(0, { 'retry-after': '3600' }, 0, noJitter)).toBe(500);
    expect(retryDelayMs(1, { 'retry-after-ms': '-5' }, 0, noJitter)).toBe(1000);
  });
});
