import type { IncomingMessage } from 'node:http';
import { routeOf } from '../../lib/proxy/routeOf';

const requestWith = (fields: { method?: string; url?: string; originalUrl?: string }): IncomingMessage =>
  ({ method: 'POST', url: '/', headers: {}, ...fields }) as unknown as IncomingMessage;

describe('routeOf', () => {
  it.each([
    ['/api/messages', 'messages'],
    ['/api/v1/messages', 'v1/messages'],
    ['/api/v1/messages/count_tokens', 'v1/messages/count_tokens'],
    ['/api/v1/messages?beta=true', 'v1/messages'],
    ['/api/v1/messages/', undefined],
    ['/api/v1/models', undefined],
    ['/messages', undefined],
  ])('POST %s → %s', (url, path) => {
    expect(routeOf(requestWith({ url }), '/api')).toBe(path);
  });

  it('answers only POST', () => {
    expect(routeOf(requestWith({ method: 'GET', url: '/api/messages' }), '/api')).toBeUndefined();
  });

  it('reads originalUrl, the whole path under an Express mount point', () => {
    expect(routeOf(requestWith({ url: '/messages', originalUrl: '/api/messages' }), '/api')).toBe('messages');
    expect(routeOf(requestWith({ url: '/messages', originalUrl: '/api/messages' }), '')).toBeUndefined();
  });

  it('takes a basePath with or without a trailing slash, or empty', () => {
    expect(routeOf(requestWith({ url: '/x/messages' }), '/x/')).toBe('messages');
    expect(routeOf(requestWith({ url: '/v1/messages' }), '')).toBe('v1/messages');
  });
});
