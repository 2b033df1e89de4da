// First: it loads @angular/compiler, which Angular's packages need before they load.
import '@angular/compiler';
import { transferKey } from '../../lib/angular/transferKey';

/** `transferKey()`: the same request on the server and in the browser has the same key; another request another. */

const body = JSON.stringify({ model: 'claude-sonnet-4-6', max_tokens: 64, messages: [{ role: 'user', content: 'Hi' }] });

describe('transferKey', () => {
  it('is the same for the same request from another origin (the server reaches the relay at its own address)', () => {
    const onServer = transferKey('http://localhost:4000/api/v1/messages', { method: 'POST', body });
    expect(transferKey('https://shop.example/api/v1/messages', { method: 'post', body })).toBe(onServer);
    expect(transferKey(new URL('https://shop.example/api/v1/messages'), { method: 'POST', body })).toBe(onServer);
  });

  it('differs with the body, the path, the query or the method', () => {
    const key = transferKey('https://shop.example/api/v1/messages', { method: 'POST', body });
    expect(transferKey('https://shop.example/api/v1/messages', { method: 'POST', body: body.replace('Hi', 'Hello') })).not.toBe(key);
    expect(transferKey('https://shop.example/api/v1/messages/count_tokens', { method: 'POST', body })).not.toBe(key);
    expect(transferKey('https://shop.example/api/v1/messages?beta=true', { method: 'POST', body })).not.toBe(key);
    expect(transferKey('https://shop.example/api/v1/messages', { method: 'PUT', body })).not.toBe(key);
  });

  it('is none for a body that is not text (an upload)', () => {
    expect(transferKey('https://shop.example/api/v1/files', { method: 'POST', body: new FormData() })).toBeUndefined();
  });
});
