import { lastValueFrom, materialize, toArray, type Observable } from 'rxjs';
import {
  APIError,
  AuthenticationError,
  BadRequestError,
  OverloadedError,
  PermissionDeniedError,
  RateLimitError,
  RequestTooLargeError,
  textDeltas,
} from 'rx-anthropic';
import { eventsReply, errorReply, textReply } from 'rx-anthropic/testing';
import { ProxyRefusalError } from 'rx-anthropic/proxy';
import { browserClient, HOSTS, params, useProxy } from './support/proxyHarness';

/** The error a stream fails with (or `undefined` if it completes). */
async function errorOf(source: Observable<unknown>): Promise<unknown> {
  const notifications = await lastValueFrom(source.pipe(materialize(), toArray()));
  const last = notifications[notifications.length - 1];
  return last?.kind === 'E' ? last.error : undefined;
}

/** What the page sees: a client without credentials pointed at the proxy fails with typed errors. */
describe.each(HOSTS)('a browser-side client behind the proxy on %s', (host) => {
  const { start } = useProxy(host);

  it('gets PermissionDeniedError for a model the proxy does not allow, with its message', async () => {
    const { proxy } = await start([], { allowedModels: ['claude-haiku-4-5'] });
    const error = await errorOf(browserClient(proxy).messages.stream(params));
    expect(error).toBeInstanceOf(PermissionDeniedError);
    expect((error as APIError).status).toBe(403);
    expect((error as APIError).type).toBe('permission_error');
    expect((error as APIError).message).toBe('403 permission_error: The model "claude-sonnet-4-6" is not allowed by this proxy; allowed: claude-haiku-4-5.');
  });

  it('gets BadRequestError for max_tokens over the cap, from create() as from stream()', async () => {
    const { proxy } = await start([], { maxTokens: 10 });
    expect(await errorOf(browserClient(proxy).messages.create(params))).toBeInstanceOf(BadRequestError);
    expect(await errorOf(browserClient(proxy).messages.stream(params))).toBeInstanceOf(BadRequestError);
  });

  it('gets AuthenticationError when authorize refuses, and PermissionDeniedError for a 403 refusal', async () => {
    const { proxy } = await start([], { authorize: (request) => {
      if (request.headers['x-role'] === 'guest') throw new ProxyRefusalError(403, 'Guests may not chat.');
      return request.headers['x-role'] !== undefined;
    } });
    expect(await errorOf(browserClient(proxy).messages.stream(params))).toBeInstanceOf(AuthenticationError);
    const error = await errorOf(browserClient(proxy).messages.stream(params, { headers: { 'x-role': 'guest' } }));
    expect(error).toBeInstanceOf(PermissionDeniedError);
    expect((error as APIError).error).toEqual({ type: 'permission_error', message: 'Guests may not chat.' });
    expect(await lastValueFrom(browserClient(proxy).messages.countTokens({ model: params.model, messages: params.messages }, { headers: { 'x-role': 'member' } }))).toMatchObject({
      input_tokens: expect.any(Number),
    });
  });

  it('gets RequestTooLargeError for a body over the limit', async () => {
    const { proxy } = await start([], { maxBodyBytes: 500 });
    const error = await errorOf(browserClient(proxy).messages.stream({ ...params, messages: [{ role: 'user', content: 'x'.repeat(2000) }] }));
    expect(error).toBeInstanceOf(RequestTooLargeError);
    expect((error as APIError).status).toBe(413);
  });

  it('gets the upstream error as the same typed error: 529 → OverloadedError, 429 → RateLimitError with retry-after', async () => {
    const { proxy } = await start([errorReply(529), errorReply(429, { headers: { 'retry-after': '7' } })]);
    const overloaded = await errorOf(browserClient(proxy).messages.stream(params));
    expect(overloaded).toBeInstanceOf(OverloadedError);
    expect((overloaded as APIError).status).toBe(529);
    expect((overloaded as APIError).requestId).toBe('req_mock_1');
    const limited = await errorOf(browserClient(proxy).messages.create(params));
    expect(limited).toBeInstanceOf(RateLimitError);
    expect((limited as APIError).headers['retry-after']).toBe('7');
    expect((limited as APIError).requestId).toBe('req_mock_2');
  });

  it('gets an error event in the middle of a stream as the typed error, after the text before it', async () => {
    const { proxy } = await start([
      eventsReply([
        { type: 'message_start', message: { id: 'msg_1', type: 'message', role: 'assistant', model: 'm', content: [], stop_reason: null, stop_sequence: null, usage: { input_tokens: 1, output_tokens: 1 } } },
        { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } },
        { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'Half an ans' } },
        { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } },
      ]),
    ]);
    const notifications = await lastValueFrom(browserClient(proxy).messages.stream(params).pipe(textDeltas(), materialize(), toArray()));
    expect(notifications.filter((n) => n.kind === 'N').map((n) => n.value)).toEqual(['Half an ans']);
    const last = notifications[notifications.length - 1];
    expect(last?.kind === 'E' && last.error).toBeInstanceOf(OverloadedError);
    expect(last?.kind === 'E' && (last.error as APIError).error).toEqual({ type: 'overloaded_error', message: 'Overloaded' });
  });
});
