import * as t from 'io-ts';
import { lastValueFrom, of, toArray, type Observable } from 'rxjs';
import { createClient, defineTool, type Client, InvalidArgumentError, outputFormat, toolLoop, type ClientOptions, type MessageCreateParams } from 'rx-anthropic';
import { createMockServer, textReply, toolUseReply, type MockServer } from 'rx-anthropic/testing';

/**
 * A request that names a deprecated model warns once per model and process, as the official SDK
 * warns when a request is created: the model, its end of life and the deprecation page, on the
 * client's `onWarning` or else `console.warn`. Current and unknown models do not warn.
 */
const ask = (model: string): MessageCreateParams => ({ model, max_tokens: 64, messages: [{ role: 'user', content: 'Hi' }] });

let server: MockServer;
beforeEach(async () => {
  server = await createMockServer(() => textReply('{"ok": true}'));
});
afterEach(async () => server.close());

const clientOf = (options: ClientOptions = {}) => createClient({ baseURL: server.baseURL, apiKey: 'k', maxRetries: 0, ...options });
const streamed = (client: Client, model: string) => lastValueFrom(client.messages.stream(ask(model)).pipe(toArray()));

describe('the warning for a deprecated model', () => {
  it('names the model, its end of life and the deprecation page, once for two requests', async () => {
    const onWarning = jest.fn();
    const client = clientOf({ onWarning });
    await streamed(client, 'claude-sonnet-4-5');
    await streamed(client, 'claude-sonnet-4-5');
    expect(server.requests).toHaveLength(2);
    expect(onWarning).toHaveBeenCalledTimes(1);
    const [message] = onWarning.mock.calls[0] as [string];
    expect(message).toContain("The model 'claude-sonnet-4-5' is deprecated");
    expect(message).toContain('end of life on 2026-11-30');
    expect(message).toContain('https://docs.anthropic.com/en/docs/resources/model-deprecations');
  });

  it('is given once for each deprecated model, dated by its own end of life', async () => {
    const onWarning = jest.fn();
    const client = clientOf({ onWarning });
    for (const model of ['claude-opus-4-5', 'claude-sonnet-4-5-20250929', 'claude-opus-4-5', 'claude-sonnet-4-5-20250929']) await streamed(client, model);
    const messages = onWarning.mock.calls.map(([message]: [string]) => message);
    expect(messages).toHaveLength(2);
    expect(messages[0]).toMatch(/^The model 'claude-opus-4-5' is deprecated and reaches its end of life on 2027-01-22/);
    expect(messages[1]).toMatch(/^The model 'claude-sonnet-4-5-20250929' is deprecated and reaches its end of life on 2026-11-30/);
  });

  it('is not given for a current model, an unknown one, or a name that is only a property of every object', async () => {
    const onWarning = jest.fn();
    const client = clientOf({ onWarning });
    for (const model of ['claude-sonnet-4-6', 'claude-haiku-4-5', 'my-fine-tuned-model', 'toString', 'constructor', '__proto__']) await streamed(client, model);
    expect(server.requests).toHaveLength(6);
    expect(onWarning).not.toHaveBeenCalled();
  });

  it('is given at subscribe, when the request is sent, not when the Observable is made', async () => {
    const onWarning = jest.fn();
    const stream$ = clientOf({ onWarning }).messages.stream(ask('claude-opus-4-5-20251101'));
    expect(onWarning).not.toHaveBeenCalled();
    await lastValueFrom(stream$.pipe(toArray()));
    expect(onWarning).toHaveBeenCalledTimes(1);
  });

  it.each([
    ['messages.create', (client: Client): Observable<unknown> => client.messages.create(ask('claude-sonnet-4-5'))],
    ['messages.create with stream: true', (client: Client): Observable<unknown> => client.messages.create({ ...ask('claude-sonnet-4-5'), stream: true })],
    ['messages.streamBody', (client: Client): Observable<unknown> => client.messages.streamBody(ask('claude-sonnet-4-5'))],
    ['messages.countTokens', (client: Client): Observable<unknown> => client.messages.countTokens({ model: 'claude-sonnet-4-5', messages: [{ role: 'user', content: 'Hi' }] })],
    ['messages.parse', (client: Client): Observable<unknown> => client.messages.parse({ ...ask('claude-sonnet-4-5'), output_config: { format: outputFormat(t.type({ ok: t.boolean })) } })],
    ['messages.toolLoop', (client: Client): Observable<unknown> => client.messages.toolLoop(ask('claude-sonnet-4-5'), { tools: [] })],
  ])('comes from %s too', async (_name, request) => {
    const onWarning = jest.fn();
    await lastValueFrom(request(clientOf({ onWarning })).pipe(toArray()));
    expect(server.requests).toHaveLength(1);
    expect(onWarning).toHaveBeenCalledTimes(1);
    expect(onWarning.mock.calls[0]?.[0]).toContain("'claude-sonnet-4-5'");
  });

  it('comes from the turn of a tool loop that moves to a deprecated model, not before', async () => {
    await server.close();
    server = await createMockServer([toolUseReply([{ name: 'get_weather', input: { city: 'Paris' } }]), textReply('Sunny.')]);
    const onWarning = jest.fn();
    const getWeather = defineTool({ name: 'get_weather', description: 'The weather of a city', input: t.type({ city: t.string }), run: () => 'sunny' });
    const warningsAtRun: number[] = [];
    const loop$ = of(ask('claude-sonnet-4-6')).pipe(
      toolLoop(clientOf({ onWarning }), {
        tools: [getWeather],
        prepareTurn: ({ iteration }) => {
          warningsAtRun.push(onWarning.mock.calls.length);
          return iteration >= 1 ? { model: 'claude-opus-4-5' } : undefined;
        },
      }),
    );
    await lastValueFrom(loop$.pipe(toArray()));
    expect(server.requests.map((request) => (request.body as MessageCreateParams).model)).toEqual(['claude-sonnet-4-6', 'claude-opus-4-5']);
    expect(warningsAtRun.every((count) => count === 0)).toBe(true);
    expect(onWarning).toHaveBeenCalledTimes(1);
    expect(onWarning.mock.calls[0]?.[0]).toContain("'claude-opus-4-5'");
  });

  describe('without onWarning', () => {
    let warn: jest.SpyInstance;
    beforeEach(() => {
      warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    });
    afterEach(() => warn.mockRestore());

    it('goes to console.warn, once per model for the whole process: a second client does not repeat it', async () => {
      await streamed(clientOf(), 'claude-mythos-preview');
      await streamed(clientOf(), 'claude-mythos-preview');
      expect(warn).toHaveBeenCalledTimes(1);
      expect(warn.mock.calls[0]?.[0]).toMatch(/^The model 'claude-mythos-preview' is deprecated and reaches its end of life on 2026-06-30/);
    });

    it('is silenced by onWarning: () => {}, which does not silence the clients that keep console.warn', async () => {
      await streamed(clientOf({ onWarning: () => undefined }), 'claude-opus-4-5-20251101');
      expect(warn).not.toHaveBeenCalled();
      await streamed(clientOf(), 'claude-opus-4-5-20251101');
      expect(warn).toHaveBeenCalledTimes(1);
    });
  });

  it('refuses an onWarning that is not a function, naming the option', () => {
    const make = () => createClient({ apiKey: 'k', onWarning: 'console' as unknown as ClientOptions['onWarning'] });
    expect(make).toThrow(InvalidArgumentError);
    expect(make).toThrow(/onWarning option must be a function of \(message\), not a string/);
  });
});
