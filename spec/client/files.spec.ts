import { asyncScheduler, lastValueFrom } from 'rxjs';
import { APIUserAbortError, BadRequestError, StreamDecodeError } from 'rx-anthropic';
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
  it('posts the file as the multipart field "file" with the Files API beta, and answers its FileMetadata', async () => {
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
    expect(request.headers['anthropic-beta']).toBe(FILES_API_BETA);
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

  it('merges the Files API beta with the betas of the options, the default headers and an explicit header', async () => {
    server = await createMockServer([]);
    const config = configFor(server.baseURL);
    config.headers['anthropic-beta'] = 'default-beta';
    const files = createFiles(config);
    await lastValueFrom(files.upload(new File(['x'], 'x.txt'), { betas: ['beta-1', FILES_API_BETA], headers: { 'Anthropic-Beta': 'beta-2, beta-3', 'x-extra': '1' } }));
    expect(server.requests[0]!.headers['anthropic-beta']).toBe(`default-beta,beta-1,${FILES_API_BETA},beta-2,beta-3`);
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
