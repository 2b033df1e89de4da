import { lastValueFrom, type Observable } from 'rxjs';
import { createClient, InvalidArgumentError, type Client } from 'rx-anthropic';
import { createMockServer, textReply, type MockServer } from 'rx-anthropic/testing';

let server: MockServer;
let client: Client;
beforeEach(async () => {
  server = await createMockServer([textReply('accepted')]);
  client = createClient({ apiKey: 'k', baseURL: server.baseURL, maxRetries: 2 });
});
afterEach(async () => server.close());

const notObjects: Array<[string, unknown, string]> = [
  ['null', null, 'null'],
  ['undefined', undefined, 'undefined'],
  ['a string', 'Hello', 'a string'],
  ['an array', [{ role: 'user', content: 'Hi' }], 'an array'],
  ['a number', 42, 'a number'],
];

const calls: Array<[string, (client: Client, params: never) => Observable<unknown>]> = [
  ['messages.stream', (c, p) => c.messages.stream(p)],
  ['messages.create', (c, p) => c.messages.create(p)],
  ['messages.countTokens', (c, p) => c.messages.countTokens(p)],
];

describe.each(calls)('client.%s with params that are not an object', (method, call) => {
  it.each(notObjects)('with %s: nothing happens until subscribe, then InvalidArgumentError and no request', async (_, params, kind) => {
    const request$ = call(client, params as never);
    const error = await lastValueFrom(request$).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidArgumentError);
    expect((error as InvalidArgumentError).argument).toBe('params');
    expect((error as Error).message).toBe(
      `client.${method}() takes the request params as an object ({ model, max_tokens, messages, … }), not ${kind}; nothing was sent.`,
    );
    // A request the mock would refuse would still be recorded: none arrived at all.
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(server.requests).toHaveLength(0);
  });
});

describe('params the client does not judge', () => {
  it('sends fields it does not know as they are: the API decides', async () => {
    const params = { model: 'claude-test', max_tokens: 16, messages: [{ role: 'user' as const, content: 'Hi' }], future_option: { level: 3 } };
    const message = await lastValueFrom(client.messages.create(params));
    expect(message.content).toEqual([{ type: 'text', text: 'accepted' }]);
    expect((server.requests[0]?.body as Record<string, unknown>)['future_option']).toEqual({ level: 3 });
  });

  it('leaves a missing required field to the API, which answers with the field', async () => {
    const error = await lastValueFrom(client.messages.stream({ model: 'claude-test', messages: [] } as never)).catch((e: unknown) => e);
    expect((error as Error).message).toContain('max_tokens: Field required');
    expect(server.requests).toHaveLength(1);
  });
});
