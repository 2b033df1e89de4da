import { asyncScheduler } from 'rxjs';
import type { HttpRequest, TransportConfig } from '../../lib/transport/HttpRequest';
import { isCredentialHeader, lacksCredentials } from '../../lib/transport/lacksCredentials';

const request: HttpRequest = { method: 'POST', path: '/v1/messages', body: '{}', expect: 'event-stream' };
const config = (headers: Record<string, string>, requireCredentials?: string): TransportConfig => ({
  baseURL: 'https://api.anthropic.com',
  fetch: () => Promise.reject(new Error('not sent')),
  headers,
  maxRetries: 0,
  timeout: 1000,
  scheduler: asyncScheduler,
  ...(requireCredentials === undefined ? {} : { requireCredentials }),
});
const MUST = 'No credentials';

describe('lacksCredentials', () => {
  it('is false for a client that need not send credentials, whatever its headers', () => {
    expect(lacksCredentials(config({}), request, {})).toBe(false);
  });

  it('is true for a client that must, with neither header or only blank ones', () => {
    expect(lacksCredentials(config({ 'anthropic-version': '2023-06-01' }, MUST), request, {})).toBe(true);
    expect(lacksCredentials(config({}, MUST), request, { headers: { 'x-api-key': '  ', authorization: '' } })).toBe(true);
  });

  it("is false when the client's or the request's headers carry a key or a token (any case)", () => {
    expect(lacksCredentials(config({ 'x-api-key': 'k' }, MUST), request, {})).toBe(false);
    expect(lacksCredentials(config({}, MUST), request, { headers: { Authorization: 'Bearer t' } })).toBe(false);
  });

  it('is false when the request removes a credential header on purpose', () => {
    expect(lacksCredentials(config({}, MUST), request, { headers: { 'X-Api-Key': null } })).toBe(false);
    expect(lacksCredentials(config({}, MUST), request, { headers: { authorization: null } })).toBe(false);
  });
});

describe('isCredentialHeader', () => {
  it.each([['x-api-key', true], ['X-API-KEY', true], ['Authorization', true], ['anthropic-version', false], ['x-api-key-2', false]])('%s: %s', (name, expected) => {
    expect(isCredentialHeader(name)).toBe(expected);
  });
});
