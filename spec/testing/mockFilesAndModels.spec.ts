import { createMockServer, type MockServer, type MockServerOptions } from 'rx-anthropic/testing';

let server: MockServer | undefined;
afterEach(async () => server?.close());

async function start(options: MockServerOptions = {}): Promise<MockServer> {
  server = await createMockServer([], options);
  return server;
}

async function upload(target: MockServer, name: string, text: string, fields: Record<string, string> = {}): Promise<Response> {
  const form = new FormData();
  form.append('file', new Blob([text], { type: 'text/plain' }), name);
  for (const [field, value] of Object.entries(fields)) form.append(field, value);
  return fetch(`${target.url}/v1/files`, { method: 'POST', body: form });
}

const notFound = (message: string | RegExp) => ({
  type: 'error',
  error: { type: 'not_found_error', message: typeof message === 'string' ? expect.stringContaining(message) : expect.stringMatching(message) },
  request_id: expect.stringMatching(/^req_mock_\d+$/),
});

describe('the mock server: Files API', () => {
  it('keeps uploads in memory: listed newest first ({ data, next_page }), described, deleted', async () => {
    const mock = await start();
    await upload(mock, 'a.txt', 'a');
    await upload(mock, 'b.txt', 'bb');
    const list = (await (await fetch(`${mock.url}/v1/files`)).json()) as { data: { id: string }[]; next_page: string | null };
    expect(list.data.map((file) => file.id)).toEqual(['file_mock_2', 'file_mock_1']);
    expect(list.next_page).toBeNull();
    expect(await (await fetch(`${mock.url}/v1/files/file_mock_1`)).json()).toMatchObject({ id: 'file_mock_1', filename: 'a.txt', size_bytes: 1, downloadable: false });
    const deleted = await fetch(`${mock.url}/v1/files/file_mock_1`, { method: 'DELETE' });
    expect(await deleted.json()).toEqual({ id: 'file_mock_1', type: 'file_deleted' });
    const gone = await fetch(`${mock.url}/v1/files/file_mock_1`);
    expect(gone.status).toBe(404);
    expect(await gone.json()).toEqual(notFound('file_mock_1'));
  });

  it('pages with limit and the next_page cursor, and answers ids[] in one page', async () => {
    const mock = await start({ files: Array.from({ length: 5 }, (_, i) => ({ filename: `f${i}.txt`, content: 'x' })) });
    const first = (await (await fetch(`${mock.url}/v1/files?limit=2`)).json()) as { data: unknown[]; next_page: string };
    expect(first.data).toHaveLength(2);
    const second = (await (await fetch(`${mock.url}/v1/files?limit=2&page=${first.next_page}`)).json()) as { data: { filename: string }[]; next_page: string | null };
    expect(second.data.map((file) => file.filename)).toEqual(['f2.txt', 'f1.txt']);
    const byIds = (await (await fetch(`${mock.url}/v1/files?ids[]=file_mock_generated_2&ids[]=file_gone`)).json()) as { data: { id: string }[]; next_page: null };
    expect(byIds).toEqual({ data: [expect.objectContaining({ id: 'file_mock_generated_2' })], next_page: null });
    expect((await fetch(`${mock.url}/v1/files?limit=0`)).status).toBe(400);
  });

  it('serves the bytes of a downloadable file with its content type, and refuses an upload (not downloadable)', async () => {
    const mock = await start({ files: [{ filename: 'chart.csv', mimeType: 'text/csv', content: 'x,y\n1,2\n' }] });
    const content = await fetch(`${mock.url}/v1/files/file_mock_generated_1/content`);
    expect(content.headers.get('content-type')).toBe('text/csv');
    expect(await content.text()).toBe('x,y\n1,2\n');
    await upload(mock, 'mine.txt', 'mine');
    const refused = await fetch(`${mock.url}/v1/files/file_mock_1/content`);
    expect(refused.status).toBe(400);
    expect(await refused.json()).toMatchObject({ error: { type: 'invalid_request_error', message: expect.stringContaining('not downloadable') } });
    expect(await (await fetch(`${mock.url}/v1/files/file_nope/content`)).json()).toEqual(notFound('file_nope'));
  });

  it('sets expires_at for an upload with expires_in_seconds, and refuses one out of range', async () => {
    const mock = await start();
    const metadata = (await (await upload(mock, 'a.txt', 'a', { expires_in_seconds: '3600' })).json()) as { created_at: string; expires_at: string };
    expect(Date.parse(metadata.expires_at) - Date.parse(metadata.created_at)).toBe(3_600_000);
    expect((await upload(mock, 'a.txt', 'a', { expires_in_seconds: '60' })).status).toBe(400);
  });
});

describe('the mock server: Models API', () => {
  it('lists models as a Page (data, has_more, first_id, last_id) with limit and after_id', async () => {
    const mock = await start();
    const page = (await (await fetch(`${mock.url}/v1/models?limit=2`)).json()) as Record<string, unknown>;
    expect(page).toEqual({
      data: [expect.objectContaining({ type: 'model', id: 'claude-opus-4-6' }), expect.objectContaining({ id: 'claude-sonnet-4-6' })],
      has_more: true,
      first_id: 'claude-opus-4-6',
      last_id: 'claude-sonnet-4-6',
    });
    const rest = (await (await fetch(`${mock.url}/v1/models?after_id=claude-sonnet-4-6`)).json()) as { data: unknown[]; has_more: boolean };
    expect(rest.data).toHaveLength(3);
    expect(rest.has_more).toBe(false);
  });

  it('retrieves a model, and answers an unknown one with the API 404 body', async () => {
    const mock = await start();
    expect(await (await fetch(`${mock.url}/v1/models/claude-sonnet-4-6`)).json()).toMatchObject({ type: 'model', id: 'claude-sonnet-4-6', display_name: 'Claude Sonnet 4.6' });
    const missing = await fetch(`${mock.url}/v1/models/claude-nope`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual(notFound('claude-nope'));
  });
});
