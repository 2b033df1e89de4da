import { lastValueFrom, take, toArray } from 'rxjs';
import { createClient, InvalidArgumentError, NotFoundError, StreamDecodeError, type ModelInfo } from 'rx-anthropic';
import { createMockServer, jsonReply, type MockServer } from 'rx-anthropic/testing';
import { fakeFetch } from '../support/fakeFetch';

let server: MockServer | undefined;
afterEach(async () => server?.close());

const clientFor = (baseURL: string, fetch?: typeof globalThis.fetch) => createClient({ apiKey: 'k', baseURL, maxRetries: 0, ...(fetch ? { fetch } : {}) });

describe('client.models', () => {
  it('lists the models, most recent first, across pages of `limit` with after_id = the last id', async () => {
    server = await createMockServer([]);
    const models: ModelInfo[] = await lastValueFrom(clientFor(server.baseURL).models.list({ limit: 2 }).pipe(toArray()));
    expect(models.map((model) => model.id)).toEqual([
      'claude-opus-4-6',
      'claude-sonnet-4-6',
      'claude-opus-4-5-20251101',
      'claude-haiku-4-5-20251001',
      'claude-sonnet-4-5-20250929',
    ]);
    expect(server.requests.map((request) => `${request.method} ${request.path}?${request.search}`)).toEqual([
      'GET /v1/models?limit=2',
      'GET /v1/models?limit=2&after_id=claude-sonnet-4-6',
      'GET /v1/models?limit=2&after_id=claude-haiku-4-5-20251001',
    ]);
  });

  it('asks for no page more than the subscriber takes', async () => {
    server = await createMockServer([]);
    const first = await lastValueFrom(clientFor(server.baseURL).models.list({ limit: 2 }).pipe(take(2), toArray()));
    expect(first).toHaveLength(2);
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(server.requests).toHaveLength(1);
  });

  it('pages backward from before_id with before_id = the first id of each page', async () => {
    server = await createMockServer([]);
    const models = await lastValueFrom(clientFor(server.baseURL).models.list({ before_id: 'claude-sonnet-4-5-20250929', limit: 2 }).pipe(toArray()));
    expect(models.map((model) => model.id)).toEqual(['claude-opus-4-5-20251101', 'claude-haiku-4-5-20251001', 'claude-opus-4-6', 'claude-sonnet-4-6']);
    expect(server.requests.map((request) => request.search)).toEqual([
      'before_id=claude-sonnet-4-5-20250929&limit=2',
      'before_id=claude-opus-4-5-20251101&limit=2',
    ]);
  });

  it('sends lifecycle[] and the workspace header', async () => {
    server = await createMockServer([]);
    const models = await lastValueFrom(clientFor(server.baseURL).models.list({ lifecycle: ['deprecated'], workspace_id: 'wrkspc_1' }).pipe(toArray()));
    expect(models.map((model) => model.lifecycle)).toEqual(['deprecated', 'deprecated']);
    expect(server.requests[0]!.search).toBe('lifecycle%5B%5D=deprecated');
    expect(server.requests[0]!.headers['anthropic-workspace-id']).toBe('wrkspc_1');
  });

  it('retrieves one model, and fails with NotFoundError for an unknown id', async () => {
    server = await createMockServer([]);
    const client = clientFor(server.baseURL);
    expect(await lastValueFrom(client.models.retrieve('claude-sonnet-4-6'))).toMatchObject({ type: 'model', id: 'claude-sonnet-4-6', display_name: 'Claude Sonnet 4.6' });
    expect(server.requests[0]).toMatchObject({ method: 'GET', path: '/v1/models/claude-sonnet-4-6' });
    const error = await lastValueFrom(client.models.retrieve('claude-nope')).catch((failure: unknown) => failure);
    expect(error).toBeInstanceOf(NotFoundError);
    expect((error as NotFoundError).type).toBe('not_found_error');
    const refused = await lastValueFrom(client.models.retrieve('')).catch((failure: unknown) => failure);
    expect(refused).toBeInstanceOf(InvalidArgumentError);
    expect(server.requests).toHaveLength(2);
  });

  it('keeps fields it does not know, and refuses an answer that is not a ModelInfo with StreamDecodeError', async () => {
    server = await createMockServer([]);
    const { fetch } = fakeFetch([
      { status: 200, body: JSON.stringify({ type: 'model', id: 'm', display_name: 'M', created_at: '2026-01-01T00:00:00Z', future_field: 1 }), headers: { 'content-type': 'application/json' } },
      { status: 200, body: JSON.stringify({ type: 'model', id: 'm' }), headers: { 'content-type': 'application/json' } },
    ]);
    const client = clientFor('http://127.0.0.1:1', fetch);
    expect(await lastValueFrom(client.models.retrieve('m'))).toMatchObject({ future_field: 1 });
    const error = await lastValueFrom(client.models.retrieve('m')).catch((failure: unknown) => failure);
    expect(error).toBeInstanceOf(StreamDecodeError);
    expect((error as StreamDecodeError).message).toContain('not a ModelInfo');
  });
});
