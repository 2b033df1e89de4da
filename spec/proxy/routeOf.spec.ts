import type { IncomingMessage } from 'node:http';
import { routeOf, uncanonicalReason } from '../../lib/proxy/routeOf';

const requestWith = (fields: { method?: string; url?: string; originalUrl?: string }): IncomingMessage =>
  ({ method: 'POST', url: '/', headers: {}, ...fields }) as unknown as IncomingMessage;

describe('routeOf', () => {
  it.each([
    ['/api/messages', { kind: 'route', path: 'messages' }],
    ['/api/v1/messages', { kind: 'route', path: 'v1/messages' }],
    ['/api/v1/messages/count_tokens', { kind: 'route', path: 'v1/messages/count_tokens' }],
    ['/api/v1/messages?beta=true', { kind: 'route', path: 'v1/messages' }],
    ['/api/v1/messages/', { kind: 'other' }],
    ['/api/v1/models', { kind: 'other' }],
    ['/API/messages', { kind: 'other' }],
    ['/messages', { kind: 'other' }],
  ])('%s → %j', (url, match) => {
    expect(routeOf(requestWith({ url }), '/api')).toEqual(match);
  });

  it.each([
    ['/x/../api/messages', 'it has a "." or ".." segment'],
    ['/api/./messages', 'it has a "." or ".." segment'],
    ['/x/%2e%2e/api/messages', 'it has an encoded ".", "/" or "\\"'],
    ['/x/%2E%2E/api/messages', 'it has an encoded ".", "/" or "\\"'],
    ['/api%2fmessages', 'it has an encoded ".", "/" or "\\"'],
    ['/api%5Cmessages', 'it has an encoded ".", "/" or "\\"'],
    ['/api\\messages', 'it has a backslash'],
    ['//evil.example/api/messages', 'it has an empty segment ("//")'],
    ['/api//messages', 'it has an empty segment ("//")'],
    ['http://evil.example/api/messages', 'it does not start with "/"'],
  ])('%s is not canonical and names the base path: refused (%s)', (url, reason) => {
    expect(routeOf(requestWith({ url }), '/api')).toEqual({ kind: 'uncanonical', reason });
  });

  it('leaves a path that is not canonical but never names the base path to others', () => {
    expect(routeOf(requestWith({ url: '/static/../app.js' }), '/api')).toEqual({ kind: 'other' });
    expect(routeOf(requestWith({ url: '/pages//index.html' }), '/api')).toEqual({ kind: 'other' });
  });

  it('refuses every path that is not canonical when the routes are at the root', () => {
    expect(routeOf(requestWith({ url: '/static/../app.js' }), '')).toEqual({ kind: 'uncanonical', reason: 'it has a "." or ".." segment' });
  });

  it('matches the method-independent path: the handler decides what a method gets', () => {
    expect(routeOf(requestWith({ method: 'GET', url: '/api/messages' }), '/api')).toEqual({ kind: 'route', path: 'messages' });
  });

  it('reads originalUrl, the whole path under an Express mount point', () => {
    expect(routeOf(requestWith({ url: '/messages', originalUrl: '/api/messages' }), '/api')).toEqual({ kind: 'route', path: 'messages' });
    expect(routeOf(requestWith({ url: '/messages', originalUrl: '/api/messages' }), '')).toEqual({ kind: 'other' });
    expect(routeOf(requestWith({ url: '/messages', originalUrl: '/api/x/../messages' }), '/api').kind).toBe('uncanonical');
  });

  it('takes a basePath with or without a trailing slash, or empty', () => {
    expect(routeOf(requestWith({ url: '/x/messages' }), '/x/')).toEqual({ kind: 'route', path: 'messages' });
    expect(routeOf(requestWith({ url: '/v1/messages' }), '')).toEqual({ kind: 'route', path: 'v1/messages' });
  });
});

describe('uncanonicalReason', () => {
  it('accepts a plain path, a trailing slash and encoded characters other than separators', () => {
    expect(uncanonicalReason('/api/messages')).toBeUndefined();
    expect(uncanonicalReason('/api/messages/')).toBeUndefined();
    expect(uncanonicalReason('/api/caf%C3%A9')).toBeUndefined();
    expect(uncanonicalReason('/')).toBeUndefined();
  });
});

describe('routeOf: the streams’ path', () => {
  it.each([
    ['/api/streams/strm_abcDEF123-_xyz', { kind: 'stream', id: 'strm_abcDEF123-_xyz' }],
    ['/api/streams/strm_abc?x=1', { kind: 'stream', id: 'strm_abc' }],
    ['/api/streams/strm_abc/', { kind: 'other' }],
    ['/api/streams/strm_abc/x', { kind: 'other' }],
    ['/api/streams/', { kind: 'other' }],
    ['/api/streams', { kind: 'other' }],
    ['/api/streams/strm%41', { kind: 'other' }],
    ['/api/streams/strm.abc', { kind: 'other' }],
    [`/api/streams/${'a'.repeat(65)}`, { kind: 'other' }],
    ['/API/streams/strm_abc', { kind: 'other' }],
    ['/api/streams/../streams/strm_abc', { kind: 'uncanonical', reason: 'it has a "." or ".." segment' }],
    ['/api/streams/%2e%2e', { kind: 'uncanonical', reason: 'it has an encoded ".", "/" or "\\"' }],
    ['/api/streams//strm_abc', { kind: 'uncanonical', reason: 'it has an empty segment ("//")' }],
  ])('%s → %j', (url, match) => {
    expect(routeOf(requestWith({ url, method: 'GET' }), '/api')).toEqual(match);
  });

  it('lives under basePath, whatever its trailing slash', () => {
    expect(routeOf(requestWith({ url: '/llm/streams/strm_a' }), '/llm/')).toEqual({ kind: 'stream', id: 'strm_a' });
    expect(routeOf(requestWith({ url: '/api/streams/strm_a' }), '/llm')).toEqual({ kind: 'other' });
  });
});
