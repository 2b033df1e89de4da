import { AnthropicError } from 'rx-anthropic';
import { ProxyRefusalError } from 'rx-anthropic/proxy';

describe('ProxyRefusalError', () => {
  it.each([
    [400, 'invalid_request_error'],
    [401, 'authentication_error'],
    [403, 'permission_error'],
    [404, 'not_found_error'],
    [413, 'request_too_large'],
    [429, 'rate_limit_error'],
    [418, 'invalid_request_error'],
  ])('gives %i the API error type %s', (status, type) => {
    const error = new ProxyRefusalError(status, 'No.');
    expect(error.type).toBe(type);
    expect(error.toResponseBody()).toEqual({ type: 'error', error: { type, message: 'No.' } });
  });

  it('takes a type of its own', () => {
    expect(new ProxyRefusalError(402, 'Pay first.', 'billing_error').toResponseBody()).toEqual({ type: 'error', error: { type: 'billing_error', message: 'Pay first.' } });
  });

  it('is an AnthropicError with its name, status and message', () => {
    const error = new ProxyRefusalError(403, 'Forbidden here.');
    expect(error).toBeInstanceOf(AnthropicError);
    expect(error.name).toBe('ProxyRefusalError');
    expect(error.status).toBe(403);
    expect(error.message).toBe('Forbidden here.');
  });

  it.each([200, 500, 502, 399, 400.5])('refuses the status %p: a refusal is a 4xx, or 503', (status) => {
    expect(() => new ProxyRefusalError(status, 'x')).toThrow(new RangeError(`ProxyRefusalError needs a 4xx status (or 503), got ${status} (for "x").`));
  });

  it.each([
    [408, 'timeout_error'],
    [503, 'overloaded_error'],
  ])('gives %i the type %s', (status, type) => {
    expect(new ProxyRefusalError(status, 'Later.').type).toBe(type);
  });

  it('carries a retry-after, in whole seconds of at least 1, with or without its own type', () => {
    const refusal = new ProxyRefusalError(429, 'Slow down.', { retryAfterSeconds: 2.2 });
    expect(refusal.responseHeaders()).toEqual({ 'retry-after': '3' });
    expect(refusal.type).toBe('rate_limit_error');
    expect(new ProxyRefusalError(429, 'Soon.', { type: 'quota_error', retryAfterSeconds: 0.01 }).responseHeaders()).toEqual({ 'retry-after': '1' });
    expect(new ProxyRefusalError(403, 'No.', 'billing_error').responseHeaders()).toEqual({});
  });
});
