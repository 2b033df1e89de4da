import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Anthropic from '@anthropic-ai/sdk';
import { lastValueFrom } from 'rxjs';
import { BadRequestError, createClient, finalText } from '../../lib';
import { createMockServer } from '../../lib/testing/createMockServer';
import { textReply } from '../../lib/testing/textReply';
import type { MockScript, MockServer, MockServerOptions, RecordedRequest } from '../../lib/testing/types';
import { FIXTURES_DIR } from '../support/fixtures';
import { params, post, streamParams } from './mockServerHelpers';

const SDK_FIXTURES = join(FIXTURES_DIR, 'sdk-sse');
const recordedRequests = readdirSync(SDK_FIXTURES).filter((file) => file.endsWith('.request.json'));

const servers: MockServer[] = [];
async function start(script?: MockScript, options?: MockServerOptions): Promise<MockServer> {
  const server = await createMockServer(script, options);
  servers.push(server);
  return server;
}
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

describe('createMockServer: requests the API would refuse', () => {
  it.each([
    ['no model', { max_tokens: 64, messages: [] }, 'model: Field required'],
    ['messages not an array', { model: 'm', max_tokens: 64, messages: 'Hi' }, 'messages: expected Array<MessageParam>, got "Hi" (a string)'],
    ['max_tokens a string', { ...params, max_tokens: '64' }, 'max_tokens: expected integer, got "64" (a string)'],
  ])('answers a request with %s as the API does: 400 invalid_request_error naming the field', async (_, body, message) => {
    const server = await start([textReply('unused')]);
    const response = await post(server, { ...body, stream: true });
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await response.json()).toEqual({ type: 'error', error: { type: 'invalid_request_error', message }, request_id: 'req_mock_1' });
  });

  it('records the refused request, marked with its refusal, and uses no turn of the script for it', async () => {
    const server = await start([textReply('the first turn')]);
    expect((await post(server, { ...streamParams, max_tokens: undefined })).status).toBe(400);
    const accepted = await post(server, params);
    expect(accepted.status).toBe(200);
    expect(((await accepted.json()) as { content: unknown }).content).toEqual([{ type: 'text', text: 'the first turn' }]);

    expect(server.requests).toHaveLength(2);
    expect(server.requests[0]?.refusal).toBe('max_tokens: Field required');
    expect(server.requests[0]?.body).toEqual({ model: 'claude-test', messages: params.messages, stream: true });
    expect(server.requests[1]?.refusal).toBeUndefined();
  });

  it('counts only accepted requests in the index a script function gets', async () => {
    const seen: number[] = [];
    const server = await start((_: RecordedRequest, index: number) => {
      seen.push(index);
      return textReply(`turn ${index}`);
    });
    await post(server, params);
    await post(server, { model: 'm' });
    await post(server, params);
    expect(seen).toEqual([0, 1]);
  });

  it('checks count_tokens against its own codec', async () => {
    const server = await start([]);
    const refused = await post(server, { messages: [] }, { path: '/v1/messages/count_tokens' });
    expect(refused.status).toBe(400);
    expect(((await refused.json()) as { error: { message: string } }).error.message).toBe('model: Field required');
    const counted = await post(server, { model: 'm', messages: [{ role: 'user', content: 'Hi' }] }, { path: '/v1/messages/count_tokens' });
    expect(await counted.json()).toEqual({ input_tokens: 1 });
  });

  it('gives the client a BadRequestError with the field, sent once (a 400 is not retried)', async () => {
    const server = await start([textReply('unused'), textReply('unused')]);
    const client = createClient({ apiKey: 'test', baseURL: server.baseURL, maxRetries: 2 });
    const error = await lastValueFrom(client.messages.stream({ ...params, max_tokens: 1.5 } as never).pipe(finalText())).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BadRequestError);
    expect((error as BadRequestError).message).toBe('400 invalid_request_error: max_tokens: expected integer, got 1.5 (a number) (request-id: req_mock_1)');
    expect(server.requests).toHaveLength(1);
  });

  it('with validateRequests: false, plays the script for any JSON object, and records no refusal', async () => {
    const server = await start([textReply('odd but answered')], { validateRequests: false });
    const response = await post(server, { model: 42, messages: 'not a list' });
    expect(response.status).toBe(200);
    expect(((await response.json()) as { content: unknown }).content).toEqual([{ type: 'text', text: 'odd but answered' }]);
    expect(server.requests[0]?.refusal).toBeUndefined();
  });

  it('refuses a body that is not a JSON object with validation off too', async () => {
    const server = await start([textReply('unused')], { validateRequests: false });
    const response = await post(server, ['a', 'list']);
    expect(response.status).toBe(400);
    expect(server.requests[0]?.refusal).toBe('The request body is not a JSON object.');
  });
});

describe('createMockServer: requests real clients send are accepted', () => {
  it.each(recordedRequests)('accepts the recorded official SDK request %s', async (file) => {
    const server = await start([textReply('ok')]);
    const response = await post(server, JSON.parse(readFileSync(join(SDK_FIXTURES, file), 'utf8')));
    expect(server.requests[0]?.refusal).toBeUndefined();
    expect(response.status).toBe(200);
    await response.arrayBuffer();
  });

  it('accepts what the official TypeScript SDK sends for create, stream and countTokens', async () => {
    const server = await start([textReply('created'), textReply('streamed')]);
    const sdk = new Anthropic({ apiKey: 'test', baseURL: server.baseURL, maxRetries: 0, logLevel: 'off' });
    const request = {
      model: 'claude-test',
      max_tokens: 64,
      system: [{ type: 'text' as const, text: 'Be brief.', cache_control: { type: 'ephemeral' as const } }],
      tools: [{ name: 'get_weather', description: 'Weather', input_schema: { type: 'object' as const, properties: { city: { type: 'string' } } } }],
      messages: [{ role: 'user' as const, content: [{ type: 'text' as const, text: 'Hi' }] }],
    };
    const created = await sdk.messages.create(request);
    expect(created.content).toEqual([{ type: 'text', text: 'created' }]);
    expect(await sdk.messages.stream(request).finalText()).toBe('streamed');
    expect((await sdk.messages.countTokens({ model: request.model, messages: request.messages })).input_tokens).toBeGreaterThan(0);
    expect(server.requests.map((recorded) => recorded.refusal)).toEqual([undefined, undefined, undefined]);
  });
});
