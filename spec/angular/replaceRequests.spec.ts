import { lastValueFrom, NEVER, throwError, toArray } from 'rxjs';
import { createClient, InvalidArgumentError, type MessageCreateParams } from 'rx-anthropic';
import { replaceRequests } from '../../lib/angular/replaceRequests';

/** `replaceRequests()`: every request of the client, nested resources included, becomes the replacement; nothing is sent. */

const params: MessageCreateParams = { model: 'claude-sonnet-4-6', max_tokens: 64, messages: [{ role: 'user', content: 'Hi' }] };

describe('replaceRequests', () => {
  const calls: string[] = [];
  const client = createClient({ baseURL: 'https://relay.test/api', apiKey: null, fetch: async (input) => (calls.push(String(input)), new Response('{}')) });
  afterEach(() => (calls.length = 0));

  it('answers the replacement for every method that returns an Observable, and sends nothing', async () => {
    const refused = new InvalidArgumentError('baseURL', 'no request to resolve it against');
    const failing = replaceRequests(client, () => throwError(() => refused));
    await expect(lastValueFrom(failing.messages.stream(params))).rejects.toBe(refused);
    await expect(lastValueFrom(failing.messages.create(params))).rejects.toBe(refused);
    await expect(lastValueFrom(failing.messages.countTokens(params))).rejects.toBe(refused);
    await expect(lastValueFrom(failing.messages.toolLoop(params, { tools: [] }))).rejects.toBe(refused);
    await expect(lastValueFrom(failing.files.upload(new Blob(['x'])))).rejects.toBe(refused);
    expect(calls).toEqual([]);
  });

  it('keeps what is not a request: the base URL, or the one it is told to report', () => {
    expect(replaceRequests(client, () => NEVER).baseURL).toBe('https://relay.test/api');
    expect(replaceRequests(client, () => NEVER, '/api').baseURL).toBe('/api');
    const waiting = replaceRequests(client, () => NEVER);
    expect(waiting.messages).toBe(waiting.messages);
  });

  it('leaves the client itself as it was', async () => {
    replaceRequests(client, () => NEVER);
    const events = await lastValueFrom(client.messages.countTokens(params).pipe(toArray())).catch((error: unknown) => error);
    expect(events).toBeDefined();
    expect(calls).toEqual(['https://relay.test/api/v1/messages/count_tokens']);
  });
});
