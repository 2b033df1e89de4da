import type { IncomingMessage } from 'node:http';
import { ProxyRefusalError } from 'rx-anthropic/proxy';
import { requestedBetas } from '../../lib/proxy/requestedBetas';

const requestWith = (fields: { method?: string; url?: string; originalUrl?: string; headers?: Record<string, string | string[]> }): IncomingMessage =>
  ({ method: 'POST', url: '/', headers: {}, ...fields }) as unknown as IncomingMessage;

describe('requestedBetas', () => {
  it('splits, trims and keeps the allowed betas of one or several headers', () => {
    const request = requestWith({ headers: { 'anthropic-beta': ['a-1, b-2', 'c-3'] } });
    expect(requestedBetas(request, ['a-1', 'b-2', 'c-3'])).toEqual(['a-1', 'b-2', 'c-3']);
    expect(requestedBetas(requestWith({}), [])).toEqual([]);
  });

  it('refuses with 403 naming the betas not allowed, and the allowed ones', () => {
    const run = () => requestedBetas(requestWith({ headers: { 'anthropic-beta': 'a-1,z-9' } }), ['a-1']);
    expect(run).toThrow(ProxyRefusalError);
    expect(run).toThrow('This proxy does not pass the beta "z-9" (anthropic-beta header; allowed: a-1).');
  });
});
