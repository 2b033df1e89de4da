import { toFile } from '@anthropic-ai/sdk';
import { lastValueFrom, toArray, type Observable } from 'rxjs';
import { collectBytes } from 'rx-anthropic';
import { parseMultipart, type MockFile, type MockServer, type RecordedRequest } from 'rx-anthropic/testing';
import { comparedHeaders, differentialSides, type Sides } from './support/differentialSides';

/**
 * The official TypeScript SDK's own tests of the Files and Models resources
 * (`tests/api-resources/files.test.ts` and `models.test.ts` of anthropic-sdk-typescript), ported
 * as differential tests: each official call is made by the installed official SDK and by this
 * client against the same mock server, and the requests the server recorded must agree on the
 * method, the path, the query string (parameters in order, arrays as `name[]`), the headers that
 * carry meaning (below) and, for uploads, the multipart parts. Both sides must also succeed or
 * fail alike (a wrong id: both `NotFoundError`).
 *
 * The official tests send their calls to a Prism mock and, for "request options and params are
 * passed correctly", override the path to provoke a 404; here the params are kept and the
 * request they produce is what is compared. Where the installed SDK (the behaviour reference)
 * takes other params than the repository's tests (models: `workspace_id` and `lifecycle`, no
 * `betas`), the installed SDK's are used.
 *
 * Compared headers: `accept`, `content-type` (none on GET and DELETE; multipart on upload),
 * `anthropic-beta` (none: the Files API is generally available) and `anthropic-workspace-id`.
 * Not compared, on purpose, as they are the client's and not these resources': the credentials
 * (this SDK version sends an API key as `authorization: Bearer`, this client as `x-api-key`),
 * `anthropic-version` (this client pins `2023-06-01`, this SDK version sends a later one),
 * `user-agent` and the SDK's `x-stainless-*` telemetry headers.
 */

const COMPARED_HEADERS = ['accept', 'content-type', 'anthropic-beta', 'anthropic-workspace-id'] as const;

let server: MockServer | undefined;
afterEach(async () => server?.close());

async function sides(files: readonly MockFile[] = []): Promise<Sides> {
  const made = await differentialSides({ files });
  server = made.server;
  return made;
}

/** What is compared of a recorded request. */
function comparable(request: RecordedRequest): Record<string, unknown> {
  const headers = comparedHeaders(request, COMPARED_HEADERS);
  const contentType = request.headers['content-type'];
  if (contentType?.startsWith('multipart/form-data')) {
    headers['content-type'] = 'multipart/form-data';
    const parts = parseMultipart(request.rawBody, contentType).map((part) => ({ ...part, data: Buffer.from(part.data).toString('utf8') }));
    return { method: request.method, path: request.path, search: request.search, headers, parts };
  }
  return { method: request.method, path: request.path, search: request.search, headers, body: request.rawBody.byteLength };
}

type Outcome = { ok: true; value: unknown } | { ok: false; status: number | undefined };

/** How a call ended: its value as JSON (a download's `Response` is left out), or the error's status. */
async function settle(run: () => Promise<unknown>): Promise<Outcome> {
  try {
    const value = await run();
    return { ok: true, value: value instanceof Response ? 'response' : (JSON.parse(JSON.stringify(value)) as unknown) };
  } catch (error) {
    return { ok: false, status: (error as { status?: number }).status };
  }
}

/** Runs the official call, then ours, and compares the requests each made and how each ended. */
async function compare(setup: Sides, official: () => Promise<unknown>, ours: () => Observable<unknown>, newFile = false): Promise<RecordedRequest[]> {
  const before = setup.server.requests.length;
  const officialOutcome = await settle(official);
  const middle = setup.server.requests.length;
  const ourOutcome = await settle(async () => {
    const values = await lastValueFrom(ours().pipe(toArray()));
    // A list is every value; a single answer is the one value; a download's chunks stand for the official Response.
    if (officialOutcome.ok && officialOutcome.value === 'response') return new Response();
    return officialOutcome.ok && !Array.isArray(officialOutcome.value) ? values[0] : values;
  });
  const officialRequests = setup.server.requests.slice(before, middle);
  const ourRequests = setup.server.requests.slice(middle);
  expect(ourRequests.map(comparable)).toEqual(officialRequests.map(comparable));
  // Two uploads make two files: their ids and times differ, nothing else may.
  const ignoreNewFile = (outcome: Outcome): unknown => (newFile && outcome.ok ? { ...(outcome.value as object), id: 'new', created_at: 'now', expires_at: 'later' } : outcome);
  expect(ignoreNewFile(ourOutcome)).toEqual(ignoreNewFile(officialOutcome));
  return ourRequests;
}

/** Reads an official list to its end, page by page, as ours does. */
async function readAll(list: AsyncIterable<unknown>): Promise<unknown[]> {
  const items: unknown[] = [];
  for await (const item of list) items.push(item);
  return items;
}

const seeded = (count: number): MockFile[] => Array.from({ length: count }, (_, i) => ({ filename: `f${i}.txt`, content: `content ${i}` }));

describe('resource files (ported from the official SDK, compared with it)', () => {
  test('list', async () => {
    const setup = await sides(seeded(3));
    await compare(setup, () => readAll(setup.sdk.files.list()), () => setup.ours.files.list());
  });

  test('list: params are passed as the official SDK passes them', async () => {
    const setup = await sides(seeded(3));
    const requests = await compare(
      setup,
      () => readAll(setup.sdk.files.list({ ids: ['string'], limit: 1, page: 'page' })),
      () => setup.ours.files.list({ ids: ['string'], limit: 1, page: 'page' }),
    );
    expect(requests[0]!.search).toBe('ids%5B%5D=string&limit=1&page=page');
  });

  test('list: every page, with the page cursor and the workspace header', async () => {
    const setup = await sides(seeded(5));
    const requests = await compare(
      setup,
      () => readAll(setup.sdk.files.list({ limit: 2, workspace_id: 'wrkspc_1' })),
      () => setup.ours.files.list({ limit: 2, workspace_id: 'wrkspc_1' }),
    );
    expect(requests).toHaveLength(3);
  });

  test('delete', async () => {
    const setup = await sides(seeded(1));
    await compare(setup, () => setup.sdk.files.delete('file_id'), () => setup.ours.files.delete('file_id'));
    // A file can be deleted once: each side deletes it from a server of its own.
    const official = await setup.sdk.files.delete('file_mock_generated_1');
    const first = setup.server;
    const again = await sides(seeded(1));
    const ours = await lastValueFrom(again.ours.files.delete('file_mock_generated_1'));
    expect(ours).toEqual(official);
    expect(comparable(again.server.requests[0]!)).toEqual(comparable(first.requests[first.requests.length - 1]!));
    await first.close();
  });

  test('download', async () => {
    const setup = await sides([{ filename: 'out.csv', mimeType: 'text/csv', content: 'a,b\n' }]);
    const officialBytes = new Uint8Array(await (await setup.sdk.files.download('file_mock_generated_1')).arrayBuffer());
    const ourBytes = await lastValueFrom(setup.ours.files.download('file_mock_generated_1').pipe(collectBytes()));
    expect(ourBytes).toEqual(officialBytes);
    expect(comparable(setup.server.requests[1]!)).toEqual(comparable(setup.server.requests[0]!));
    await compare(setup, () => setup.sdk.files.download('file_id'), () => setup.ours.files.download('file_id'));
  });

  test('retrieveMetadata', async () => {
    const setup = await sides(seeded(1));
    await compare(setup, () => setup.sdk.files.retrieveMetadata('file_id'), () => setup.ours.files.retrieveMetadata('file_id'));
    await compare(setup, () => setup.sdk.files.retrieveMetadata('file_mock_generated_1'), () => setup.ours.files.retrieveMetadata('file_mock_generated_1'));
  });

  test('upload: only required params', async () => {
    const setup = await sides();
    const requests = await compare(
      setup,
      async () => setup.sdk.files.upload({ file: await toFile(Buffer.from('Example data'), 'README.md') }),
      () => setup.ours.files.upload(new File([Buffer.from('Example data')], 'README.md')),
      true,
    );
    expect(requests[0]!.headers['anthropic-beta']).toBeUndefined();
  });

  test('upload: required and optional params', async () => {
    const setup = await sides();
    const requests = await compare(
      setup,
      async () => setup.sdk.files.upload({ file: await toFile(Buffer.from('Example data'), 'README.md'), expires_in_seconds: 3600, workspace_id: 'wrkspc_1' }),
      () => setup.ours.files.upload({ file: new File([Buffer.from('Example data')], 'README.md'), expires_in_seconds: 3600, workspace_id: 'wrkspc_1' }),
      true,
    );
    expect(parseMultipart(requests[0]!.rawBody, requests[0]!.headers['content-type']!).map((part) => part.name)).toEqual(['file', 'expires_in_seconds']);
  });
});

describe('resource models (ported from the official SDK, compared with it)', () => {
  test('retrieve', async () => {
    const setup = await sides();

    await compare(setup, () => setup.sdk.models.retrieve('model_id'), () => setup.ours.models.retrieve('model_id'));
    await compare(setup, () => setup.sdk.models.retrieve('claude-sonnet-4-6'), () => setup.ours.models.retrieve('claude-sonnet-4-6'));
  });

  test('retrieve: an id is encoded as one path segment, as the official SDK encodes it', async () => {
    const setup = await sides();
    const requests = await compare(setup, () => setup.sdk.models.retrieve("a:b c/d@e'f"), () => setup.ours.models.retrieve("a:b c/d@e'f"));
    expect(requests[0]!.path).toBe("/v1/models/a:b%20c%2Fd@e'f");
  });

  test('retrieve: params are passed as the official SDK passes them', async () => {
    const setup = await sides();
    await compare(
      setup,
      () => setup.sdk.models.retrieve('claude-sonnet-4-6', { workspace_id: 'wrkspc_1' }),
      () => setup.ours.models.retrieve('claude-sonnet-4-6', { headers: { 'anthropic-workspace-id': 'wrkspc_1' } }),
    );
  });

  test('list', async () => {
    const setup = await sides();
    await compare(setup, () => readAll(setup.sdk.models.list()), () => setup.ours.models.list());
  });

  test('list: params are passed as the official SDK passes them', async () => {
    const setup = await sides();
    await compare(
      setup,
      () => readAll(setup.sdk.models.list({ after_id: 'after_id', before_id: 'before_id', limit: 1, workspace_id: 'wrkspc_1' })),
      () => setup.ours.models.list({ after_id: 'after_id', before_id: 'before_id', limit: 1, workspace_id: 'wrkspc_1' }),
    );
  });

  test('list: every page forward, backward, and by lifecycle', async () => {
    const setup = await sides();
    const forward = await compare(setup, () => readAll(setup.sdk.models.list({ limit: 2 })), () => setup.ours.models.list({ limit: 2 }));
    expect(forward).toHaveLength(3);
    const backward = await compare(
      setup,
      () => readAll(setup.sdk.models.list({ before_id: 'claude-sonnet-4-5-20250929', limit: 2 })),
      () => setup.ours.models.list({ before_id: 'claude-sonnet-4-5-20250929', limit: 2 }),
    );
    expect(backward).toHaveLength(2);
    await compare(
      setup,
      () => readAll(setup.sdk.models.list({ lifecycle: ['active', 'retired'] })),
      () => setup.ours.models.list({ lifecycle: ['active', 'retired'] }),
    );
  });
});
