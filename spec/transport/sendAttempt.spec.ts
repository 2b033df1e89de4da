import { VirtualTimeScheduler, lastValueFrom } from 'rxjs';
import { APIConnectionError, InvalidArgumentError } from '../../lib/errors';
import type { RequestOptions, TransportConfig } from '../../lib/transport/HttpRequest';
import { sendRequest } from '../../lib/transport/sendRequest';
import { fakeFetch, settle } from '../support/fakeFetch';

const SECRET = 'sk-ant-request-secret-7';

function virtualTime(): VirtualTimeScheduler {
  const scheduler = new VirtualTimeScheduler();
  scheduler.maxFrames = 30_000;
  return scheduler;
}

function setup(baseURL = 'http://127.0.0.1:4010') {
  const scheduler = virtualTime();
  const { fetch, calls } = fakeFetch([
    { reject: new TypeError('fetch failed') },
    { reject: new TypeError('fetch failed') },
    { status: 200, body: '{}', headers: { 'content-type': 'application/json' } },
  ]);
  const config: TransportConfig = { baseURL, fetch, headers: { 'x-api-key': 'sk-test' }, maxRetries: 2, timeout: 60_000, scheduler };
  return { config, calls, scheduler };
}

/** The error of one request, with virtual time advanced (short of the timeout) so that retries, if any, would happen. */
async function errorOf(config: TransportConfig, scheduler: VirtualTimeScheduler, options: RequestOptions = {}): Promise<unknown> {
  const outcome = lastValueFrom(sendRequest(config, { method: 'POST', path: '/v1/messages', body: '{}', expect: 'json' }, options)).then(
    () => undefined,
    (error: unknown) => error,
  );
  for (let i = 0; i < 20; i += 1) {
    await settle();
    scheduler.flush();
  }
  return outcome;
}

describe('sendAttempt: requests no retry could send', () => {
  it.each([
    ['a line break', `${SECRET}\nX-Injected: 1`],
    ['a NUL', `${SECRET}\u0000`],
    ['a character beyond Latin-1', `${SECRET}\u2026`],
  ])('fails at subscribe, without calling fetch, for a request header with %s, and does not quote it', async (_, value) => {
    const { config, calls, scheduler } = setup();
    const error = await errorOf(config, scheduler, { headers: { authorization: value } });
    expect(calls).toHaveLength(0);
    expect(error).toBeInstanceOf(InvalidArgumentError);
    expect((error as InvalidArgumentError).argument).toBe('headers');
    expect((error as Error).message).toBe(
      'Cannot send the request: the authorization header contains a line break, a NUL or a character beyond Latin-1, which HTTP cannot send.',
    );
    expect(JSON.stringify(error)).not.toContain(SECRET);
  });

  it('refuses an invalid header name and a value that is not a string', async () => {
    const { config, calls, scheduler } = setup();
    const badName = await errorOf(config, scheduler, { headers: { 'x trace': '1' } });
    expect((badName as Error).message).toMatch(/the header name "x trace" is not a valid HTTP header name/);
    const notString = await errorOf(config, scheduler, { headers: { 'x-trace': 7 as unknown as string } });
    expect((notString as Error).message).toBe("Cannot send the request: the x-trace header's value is a number, not a string.");
    expect(calls).toHaveLength(0);
  });

  it('fails at subscribe for a base URL that is not absolute, without calling fetch', async () => {
    const { config, calls, scheduler } = setup('api.anthropic.com');
    const error = await errorOf(config, scheduler);
    expect(calls).toHaveLength(0);
    expect(error).toBeInstanceOf(InvalidArgumentError);
    expect((error as Error).message).toBe("The baseURL 'api.anthropic.com' has no scheme: use 'https://api.anthropic.com'.");
  });

  it('still retries network failures before answering', async () => {
    const { config, calls, scheduler } = setup();
    expect(await errorOf(config, scheduler)).toBeUndefined();
    expect(calls).toHaveLength(3);
  });

  it('retries a fetch failure that names no refusal, and gives its reason at the top', async () => {
    const scheduler = virtualTime();
    const reset = () => new TypeError('fetch failed', { cause: Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' }) });
    const { fetch, calls } = fakeFetch([{ reject: reset() }, { reject: reset() }]);
    const config: TransportConfig = { baseURL: 'http://127.0.0.1:4010', fetch, headers: {}, maxRetries: 1, timeout: 60_000, scheduler };
    const error = await errorOf(config, scheduler);
    expect(calls).toHaveLength(2);
    expect(error).toBeInstanceOf(APIConnectionError);
    expect((error as Error).message).toBe('Connection error: fetch failed: other side closed');
  });
});
