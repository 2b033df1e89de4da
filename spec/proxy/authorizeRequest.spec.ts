import type { IncomingMessage } from 'node:http';
import { ProxyRefusalError, type ProxyAuthorize } from 'rx-anthropic/proxy';
import { authorizeRequest } from '../../lib/proxy/authorizeRequest';

const request = { headers: { authorization: 'Bearer t' } } as unknown as IncomingMessage;

/** A hook that answers this, whatever its type. */
const answering = (answer: unknown): ProxyAuthorize => (() => answer) as ProxyAuthorize;

describe('authorizeRequest', () => {
  it('lets exactly true in with no identity', async () => {
    await expect(authorizeRequest(answering(true), request)).resolves.toBeUndefined();
  });

  it('lets an identity in as itself, its other fields passed through', async () => {
    const identity = { user: 'u_1', plan: 'pro', team: { id: 't' } };
    const answer = await authorizeRequest(answering(identity), request);
    expect(answer).toBe(identity);
    expect(answer).toEqual({ user: 'u_1', plan: 'pro', team: { id: 't' } });
  });

  it('waits for a Promise answer', async () => {
    await expect(authorizeRequest(() => Promise.resolve({ user: 'u_2' }), request)).resolves.toEqual({ user: 'u_2' });
    await expect(authorizeRequest(() => Promise.resolve(true as const), request)).resolves.toBeUndefined();
    await expect(authorizeRequest(answering(Promise.resolve(false)), request)).rejects.toMatchObject({ status: 401 });
  });

  it("lets every request in with 'anyone', with no identity", async () => {
    await expect(authorizeRequest('anyone', request)).resolves.toBeUndefined();
  });

  it('asks the hook about the request, once', async () => {
    const hook = jest.fn<ReturnType<ProxyAuthorize>, Parameters<ProxyAuthorize>>(() => ({ user: 'u' }));
    await authorizeRequest(hook, request);
    expect(hook).toHaveBeenCalledTimes(1);
    expect(hook).toHaveBeenCalledWith(request);
  });

  it.each([
    ['false', false],
    ['null', null],
    ['undefined', undefined],
    ['the string "true"', 'true'],
    ['the string "false"', 'false'],
    ['1', 1],
    ['0', 0],
    ['an empty object', {}],
    ['{ allowed: true }', { allowed: true }],
    ['{ allowed: false }', { allowed: false }],
    ['an empty user', { user: '' }],
    ['a user that is a number', { user: 42 }],
    ['a user that is an object', { user: { id: 'u' } }],
    ['an empty array', []],
    ['an array holding an identity', [{ user: 'u' }]],
    ['a function', () => true],
  ])('refuses %s with 401', async (_, answer) => {
    const error = await authorizeRequest(answering(answer), request).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProxyRefusalError);
    expect(error).toMatchObject({ status: 401, type: 'authentication_error' });
  });

  it('passes on what the hook throws or rejects with', async () => {
    const refusal = new ProxyRefusalError(403, 'Free plan.');
    await expect(
      authorizeRequest(() => {
        throw refusal;
      }, request),
    ).rejects.toBe(refusal);
    const failure = new Error('session store down');
    await expect(authorizeRequest(() => Promise.reject(failure), request)).rejects.toBe(failure);
  });
});
