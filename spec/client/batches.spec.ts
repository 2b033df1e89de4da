import { firstValueFrom, lastValueFrom, take, toArray, type Observable } from 'rxjs';
import { AnthropicError, BadRequestError, createClient, InvalidArgumentError, NotFoundError, type MessageBatch } from 'rx-anthropic';
import { createMockServer, type MockBatchOptions, type MockServer } from 'rx-anthropic/testing';
import { batchRequests } from './support/batchRequests';

let server: MockServer | undefined;
afterEach(async () => server?.close());

const clientFor = (baseURL: string) => createClient({ apiKey: 'k', baseURL, maxRetries: 0 });


async function setup(batches: MockBatchOptions = {}) {
  server = await createMockServer([], { batches });
  return { server, batches: clientFor(server.baseURL).messages.batches };
}

describe('client.messages.batches: create, retrieve, cancel, delete', () => {
  it('creates a batch with POST /v1/messages/batches and the requests as the body', async () => {
    const { server, batches } = await setup({ endAfterRetrievals: 2 });
    const batch: MessageBatch = await lastValueFrom(batches.create({ requests: batchRequests(3) }));
    expect(batch).toMatchObject({ id: 'msgbatch_mock_1', type: 'message_batch', processing_status: 'in_progress', results_url: null });
    expect(batch.request_counts).toEqual({ processing: 3, succeeded: 0, errored: 0, canceled: 0, expired: 0 });
    expect(server.requests[0]).toMatchObject({ method: 'POST', path: '/v1/messages/batches', body: { requests: batchRequests(3) } });
    expect(server.requests[0]!.headers['content-type']).toBe('application/json');
  });

  it('sends nothing before subscribe, and sends again on each subscription (cold)', async () => {
    const { server, batches } = await setup();
    const create$ = batches.create({ requests: batchRequests(1) });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(server.requests).toHaveLength(0);
    await lastValueFrom(create$);
    await lastValueFrom(create$);
    expect(server.requests.map((request) => request.method)).toEqual(['POST', 'POST']);
  });

  it('retrieves a batch: in_progress until the retrieval the test scheduled, then ended with a results_url', async () => {
    const { server, batches } = await setup({ endAfterRetrievals: 2 });
    const { id } = await lastValueFrom(batches.create({ requests: batchRequests(2) }));
    const first = await lastValueFrom(batches.retrieve(id));
    const second = await lastValueFrom(batches.retrieve(id));
    expect(first.processing_status).toBe('in_progress');
    expect(second.processing_status).toBe('ended');
    expect(second.request_counts.succeeded).toBe(2);
    expect(second.results_url).toBe(`${server.baseURL}/v1/messages/batches/${id}/results`);
    expect(server.requests[1]).toMatchObject({ method: 'GET', path: `/v1/messages/batches/${id}` });
  });

  it('cancels a batch (POST …/cancel without a body) and its requests end canceled', async () => {
    const { server, batches } = await setup({ endAfterRetrievals: 5 });
    const { id } = await lastValueFrom(batches.create({ requests: batchRequests(2) }));
    const canceling = await lastValueFrom(batches.cancel(id));
    expect(canceling.processing_status).toBe('canceling');
    expect(canceling.cancel_initiated_at).toEqual(expect.any(String));
    expect(server.requests[1]).toMatchObject({ method: 'POST', path: `/v1/messages/batches/${id}/cancel` });
    expect(server.requests[1]!.rawBody.byteLength).toBe(0);
    expect(server.requests[1]!.headers['content-type']).toBeUndefined();
    const ended = await lastValueFrom(batches.retrieve(id));
    expect(ended.request_counts).toEqual({ processing: 0, succeeded: 0, errored: 0, canceled: 2, expired: 0 });
  });

  it('deletes an ended batch; deleting one in progress is the API 400', async () => {
    const { batches } = await setup({ endAfterRetrievals: 1 });
    const { id } = await lastValueFrom(batches.create({ requests: batchRequests(1) }));
    await expect(lastValueFrom(batches.delete(id))).rejects.toBeInstanceOf(BadRequestError);
    await lastValueFrom(batches.retrieve(id));
    await expect(lastValueFrom(batches.delete(id))).resolves.toEqual({ id, type: 'message_batch_deleted' });
    await expect(lastValueFrom(batches.retrieve(id))).rejects.toBeInstanceOf(NotFoundError);
  });

  it('answers a wrong id with NotFoundError carrying the API 404 body, for each call', async () => {
    const { batches } = await setup();
    const calls: Observable<unknown>[] = [batches.retrieve('msgbatch_nope'), batches.cancel('msgbatch_nope'), batches.delete('msgbatch_nope'), batches.results('msgbatch_nope')];
    for (const call of calls) {
      const error = await lastValueFrom(call).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(NotFoundError);
      expect((error as NotFoundError).status).toBe(404);
      expect((error as Error).message).toContain('msgbatch_nope');
    }
  });

  it('refuses an empty id (or "." and "..") before sending anything', async () => {
    const { server, batches } = await setup();
    for (const id of ['', '.', '..']) await expect(lastValueFrom(batches.retrieve(id))).rejects.toBeInstanceOf(InvalidArgumentError);
    expect(server.requests).toHaveLength(0);
  });

  it('sends workspace_id and user_profile_id of create as headers, not in the body', async () => {
    const { server, batches } = await setup();
    await lastValueFrom(batches.create({ requests: batchRequests(1), workspace_id: 'wrkspc_1', user_profile_id: 'prof_1' }));
    expect(server.requests[0]!.headers['anthropic-workspace-id']).toBe('wrkspc_1');
    expect(server.requests[0]!.headers['anthropic-user-profile-id']).toBe('prof_1');
    expect(Object.keys(server.requests[0]!.body as object)).toEqual(['requests']);
  });
});

describe('client.messages.batches.list', () => {
  it('lists the batches newest first across pages, with after_id = the last id', async () => {
    const { server, batches } = await setup();
    for (let i = 0; i < 5; i++) await lastValueFrom(batches.create({ requests: batchRequests(1) }));
    const listed = await lastValueFrom(batches.list({ limit: 2 }).pipe(toArray()));
    expect(listed.map((batch) => batch.id)).toEqual(['msgbatch_mock_5', 'msgbatch_mock_4', 'msgbatch_mock_3', 'msgbatch_mock_2', 'msgbatch_mock_1']);
    expect(server.requests.slice(5).map((request) => `${request.path}?${request.search}`)).toEqual([
      '/v1/messages/batches?limit=2',
      '/v1/messages/batches?limit=2&after_id=msgbatch_mock_4',
      '/v1/messages/batches?limit=2&after_id=msgbatch_mock_2',
    ]);
  });

  it('take(5) of a list with pages of 20 fetches one page; unsubscribing fetches nothing more', async () => {
    const { server, batches } = await setup();
    for (let i = 0; i < 25; i++) await lastValueFrom(batches.create({ requests: batchRequests(1) }));
    const five = await lastValueFrom(batches.list().pipe(take(5), toArray()));
    expect(five).toHaveLength(5);
    const first = await firstValueFrom(batches.list({ limit: 20 }));
    expect(first.id).toBe('msgbatch_mock_25');
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(server.requests.slice(25).map((request) => request.search)).toEqual(['', 'limit=20']);
  });

  it('pages backward from before_id with before_id = the first id of each page', async () => {
    const { server, batches } = await setup();
    for (let i = 0; i < 5; i++) await lastValueFrom(batches.create({ requests: batchRequests(1) }));
    const listed = await lastValueFrom(batches.list({ before_id: 'msgbatch_mock_1', limit: 2 }).pipe(toArray()));
    expect(listed.map((batch) => batch.id)).toEqual(['msgbatch_mock_3', 'msgbatch_mock_2', 'msgbatch_mock_5', 'msgbatch_mock_4']);
    expect(server.requests.slice(5).map((request) => request.search)).toEqual(['before_id=msgbatch_mock_1&limit=2', 'before_id=msgbatch_mock_3&limit=2']);
  });

  it('fails with AnthropicError naming the batch when results are asked of a batch not ended', async () => {
    const { batches } = await setup({ endAfterRetrievals: 3 });
    const { id } = await lastValueFrom(batches.create({ requests: batchRequests(1) }));
    const error = await lastValueFrom(batches.results(id)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AnthropicError);
    expect((error as Error).message).toContain(`${id} has no results_url: it is in_progress`);
  });
});
