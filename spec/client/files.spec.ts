import { asyncScheduler, lastValueFrom, toArray, type Observable } from 'rxjs';
import { APIUserAbortError, BadRequestError, collectBytes, createClient, InvalidArgumentError, NotFoundError, StreamDecodeError, toBlob } from 'rx-anthropic';
import { createMockServer, parseMultipart, type MockServer } from 'rx-anthropic/testing';
import { createFiles, FILES_API_BETA } from '../../lib/client/files';
import type { TransportConfig } from '../../lib/transport/HttpRequest';
import { fakeFetch } from '../support/fakeFetch';

let server: MockServer | undefined;
afterEach(async () => server?.close());

/** The configuration `createClient` would build, with the client's JSON content type. */
function configFor(baseURL: string, overrides: Partial<TransportConfig> = {}): TransportConfig {
  return {
    baseURL,
    fetch: (input, init) => globalThis.fetch(input, init),
    headers: { accept: 'application/json', 'content-type': 'application/json', 'anthropic-version': '2023-06-01', 'x-api-key': 'k' },
    maxRetries: 0,
    timeout: 10_000,
    scheduler: asyncScheduler,
    ...overrides,
  };
}

describe('files.upload', () => {
  it('posts the file as the multipart field "file" without a beta header (the API is GA), and answers its FileMetadata', async () => {
    server = await createMockServer([]);
    const file = new File(['hello, file'], 'notes.txt', { type: 'text/plain' });
    const metadata = await lastValueFrom(createFiles(configFor(server.baseURL)).upload(file));
    expect(metadata).toEqual({
      id: 'file_mock_1',
      type: 'file',
      filename: 'notes.txt',
      mime_type: 'text/plain',
      size_bytes: 11,
      created_at: expect.stringMatching(/^\d{4}-/),
      downloadable: false,
    });
    const request = server.requests[0]!;
    expect(request.method).toBe('POST');
    expect(request.path).toBe('/v1/files');
    expect(request.headers['anthropic-beta']).toBeUndefined();
    expect(request.headers['x-api-key']).toBe('k');
    expect(request.headers['content-type']).toMatch(/^multipart\/form-data; boundary=/);
    const parts = parseMultipart(request.rawBody, request.headers['content-type']!);
    expect(parts).toHaveLength(1);
    expect(parts[0]).toMatchObject({ name: 'file', filename: 'notes.txt', contentType: 'text/plain' });
    expect(Buffer.from(parts[0]!.data).toString('utf8')).toBe('hello, file');
  });

  it('is cold: nothing is sent before subscribe, and each subscription uploads', async () => {
    server = await createMockServer([]);
    const upload$ = createFiles(configFor(server.baseURL)).upload(new File(['x'], 'x.txt'));
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(server.requests).toHaveLength(0);
    expect((await lastValueFrom(upload$)).id).toBe('file_mock_1');
    expect((await lastValueFrom(upload$)).id).toBe('file_mock_2');
  });

  it('uploads bytes exactly, and names a Blob without a name "file"', async () => {
    server = await createMockServer([]);
    const bytes = new Uint8Array([0, 255, 1, 254, 10, 13]);
    const metadata = await lastValueFrom(createFiles(configFor(server.baseURL)).upload(new Blob([bytes], { type: 'application/octet-stream' })));
    expect(metadata).toMatchObject({ filename: 'file', mime_type: 'application/octet-stream', size_bytes: 6 });
    const request = server.requests[0]!;
    expect([...parseMultipart(request.rawBody, request.headers['content-type']!)[0]!.data]).toEqual([...bytes]);
  });

  it('sends the betas and headers of the options as given, and still names FILES_API_BETA for older code', async () => {
    server = await createMockServer([]);
    const files = createFiles(configFor(server.baseURL));
    await lastValueFrom(files.upload(new File(['x'], 'x.txt'), { betas: ['beta-1', FILES_API_BETA], headers: { 'x-extra': '1' } }));
    expect(server.requests[0]!.headers['anthropic-beta']).toBe(`beta-1,${FILES_API_BETA}`);
    expect(server.requests[0]!.headers['x-extra']).toBe('1');
  });

  it('fails with the typed API error of the status', async () => {
    const { fetch } = fakeFetch([{ status: 400, body: JSON.stringify({ type: 'error', error: { type: 'invalid_request_error', message: 'File too large' } }), headers: { 'content-type': 'application/json' } }]);
    const upload$ = createFiles(configFor('http://127.0.0.1:1', { fetch })).upload(new File(['x'], 'x.txt'));
    await expect(lastValueFrom(upload$)).rejects.toThrow(BadRequestError);
  });

  it('fails with StreamDecodeError when the answer is not a FileMetadata', async () => {
    const { fetch } = fakeFetch([{ status: 200, body: JSON.stringify({ id: 'file_1', type: 'file' }), headers: { 'content-type': 'application/json' } }]);
    const upload$ = createFiles(configFor('http://127.0.0.1:1', { fetch })).upload(new File(['x'], 'x.txt'));
    const error = await lastValueFrom(upload$).catch((failure: unknown) => failure);
    expect(error).toBeInstanceOf(StreamDecodeError);
    expect((error as StreamDecodeError).message).toContain('not a FileMetadata');
    expect((error as StreamDecodeError).path).toBe('filename');
  });

  it('retries a failed upload with the whole file', async () => {
    server = await createMockServer([]);
    let attempts = 0;
    const flaky: typeof fetch = (input, init) => (++attempts === 1 ? Promise.resolve(new Response('{}', { status: 503, headers: { 'retry-after-ms': '1' } })) : globalThis.fetch(input, init));
    const metadata = await lastValueFrom(createFiles(configFor(server.baseURL, { fetch: flaky, maxRetries: 1 })).upload(new File(['hello'], 'h.txt')));
    expect(attempts).toBe(2);
    expect(metadata.size_bytes).toBe(5);
  });

  it('aborts the upload when the signal aborts', async () => {
    const { fetch } = fakeFetch([{ hang: true }]);
    const controller = new AbortController();
    const upload = lastValueFrom(createFiles(configFor('http://127.0.0.1:1', { fetch })).upload(new File(['x'], 'x.txt'), { signal: controller.signal }));
    controller.abort();
    await expect(upload).rejects.toThrow(APIUserAbortError);
  });
});

describe('files.list, retrieveMetadata, download, delete (against the mock server)', () => {
  const clientFor = (baseURL: string) => createClient({ apiKey: 'k', baseURL, maxRetries: 0 });

  it('lists uploaded files newest first, sends limit and ids[] as the official SDK does, and the workspace header', async () => {
    server = await createMockServer([]);
    const client = clientFor(server.baseURL);
    await lastValueFrom(client.files.upload(new File(['a'], 'a.txt')));
    await lastValueFrom(client.files.upload(new File(['bb'], 'b.txt')));
    const listed = await lastValueFrom(client.files.list({ limit: 1, workspace_id: 'wrkspc_1' }).pipe(toArray()));
    expect(listed.map((file) => file.filename)).toEqual(['b.txt', 'a.txt']);
    expect(server.requests[2]).toMatchObject({ method: 'GET', path: '/v1/files', search: 'limit=1' });
    expect(server.requests[2]!.headers['anthropic-workspace-id']).toBe('wrkspc_1');
    expect(server.requests[2]!.headers['content-type']).toBeUndefined();
    expect(server.requests[3]!.search).toBe('limit=1&page=page_1');
    const byId = await lastValueFrom(client.files.list({ ids: ['file_mock_1', 'file_nope'] }).pipe(toArray()));
    expect(byId.map((file) => file.id)).toEqual(['file_mock_1']);
    expect(server.requests[4]!.search).toBe('ids%5B%5D=file_mock_1&ids%5B%5D=file_nope');
  });

  it('retrieves the metadata of a file, and fails with NotFoundError and the API body for a wrong id', async () => {
    server = await createMockServer([]);
    const client = clientFor(server.baseURL);
    const uploaded = await lastValueFrom(client.files.upload(new File(['hello'], 'h.txt', { type: 'text/plain' })));
    expect(await lastValueFrom(client.files.retrieveMetadata(uploaded.id))).toEqual(uploaded);
    expect(server.requests[1]).toMatchObject({ method: 'GET', path: `/v1/files/${uploaded.id}` });
    const error = await lastValueFrom(client.files.retrieveMetadata('file_missing')).catch((failure: unknown) => failure);
    expect(error).toBeInstanceOf(NotFoundError);
    expect((error as NotFoundError).type).toBe('not_found_error');
    expect((error as NotFoundError).message).toContain('file_missing');
  });

  it('downloads a file as byte chunks with accept: application/binary, collected by collectBytes() and toBlob()', async () => {
    const bytes = new Uint8Array(300_000).map((_, i) => i % 251);
    server = await createMockServer([], { files: [{ filename: 'data.bin', content: bytes }, { filename: 'chart.csv', mimeType: 'text/csv', content: 'x,y\n1,2\n' }] });
    const client = clientFor(server.baseURL);
    const chunks = await lastValueFrom(client.files.download('file_mock_generated_1').pipe(toArray()));
    expect(chunks.every((chunk) => chunk instanceof Uint8Array)).toBe(true);
    expect(server.requests[0]).toMatchObject({ method: 'GET', path: '/v1/files/file_mock_generated_1/content' });
    expect(server.requests[0]!.headers['accept']).toBe('application/binary');
    const collected = await lastValueFrom(client.files.download('file_mock_generated_1').pipe(collectBytes()));
    expect(Buffer.from(collected).equals(Buffer.from(bytes))).toBe(true);
    const blob = await lastValueFrom(client.files.download('file_mock_generated_2').pipe(toBlob('text/csv')));
    expect(blob.type).toBe('text/csv');
    expect(await blob.text()).toBe('x,y\n1,2\n');
  });

  it('refuses to download an uploaded file (not downloadable) with BadRequestError, and a wrong id with NotFoundError', async () => {
    server = await createMockServer([]);
    const client = clientFor(server.baseURL);
    const uploaded = await lastValueFrom(client.files.upload(new File(['x'], 'x.txt')));
    await expect(lastValueFrom(client.files.download(uploaded.id).pipe(collectBytes()))).rejects.toThrow(BadRequestError);
    await expect(lastValueFrom(client.files.download('file_missing').pipe(collectBytes()))).rejects.toThrow(NotFoundError);
  });

  it('aborts a download when unsubscribed', async () => {
    server = await createMockServer([], { files: [{ filename: 'big.bin', content: new Uint8Array(8 * 1024 * 1024) }] });
    const client = clientFor(server.baseURL);
    const subscription = client.files.download('file_mock_generated_1').subscribe();
    const request = await server.waitForRequest(0);
    subscription.unsubscribe();
    await request.closed;
    expect(request.completed).toBe(false);
  });

  it('refuses an id that is empty, "." or "..", at subscribe and before sending, with InvalidArgumentError', async () => {
    server = await createMockServer([]);
    const client = clientFor(server.baseURL);
    const calls: Observable<unknown>[] = [client.files.retrieveMetadata(''), client.files.download('..'), client.files.delete('.')];
    for (const call$ of calls) {
      const error = await lastValueFrom(call$).catch((failure: unknown) => failure);
      expect(error).toBeInstanceOf(InvalidArgumentError);
      expect((error as InvalidArgumentError).argument).toBe('file id');
    }
    expect(server.requests).toHaveLength(0);
  });

  it('deletes a file, which is then gone from the list and from retrieveMetadata', async () => {
    server = await createMockServer([]);
    const client = clientFor(server.baseURL);
    const uploaded = await lastValueFrom(client.files.upload(new File(['x'], 'x.txt')));
    expect(await lastValueFrom(client.files.delete(uploaded.id))).toEqual({ id: uploaded.id, type: 'file_deleted' });
    expect(server.requests[1]).toMatchObject({ method: 'DELETE', path: `/v1/files/${uploaded.id}` });
    expect(await lastValueFrom(client.files.list().pipe(toArray()))).toEqual([]);
    await expect(lastValueFrom(client.files.retrieveMetadata(uploaded.id))).rejects.toThrow(NotFoundError);
    await expect(lastValueFrom(client.files.delete(uploaded.id))).rejects.toThrow(NotFoundError);
  });
});
