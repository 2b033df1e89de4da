import { lastValueFrom, toArray, type Observable } from 'rxjs';
import type { MockBatchOptions, MockServer, RecordedRequest } from 'rx-anthropic/testing';
import { comparedHeaders, differentialSides, type Sides } from './support/differentialSides';

/**
 * The official TypeScript SDK's own tests of the Message Batches resource
 * (`tests/api-resources/messages/batches.test.ts` of anthropic-sdk-typescript), ported as
 * differential tests: each official call is made by the installed official SDK and by this
 * client against the same mock server, and the requests the server recorded must agree on the
 * method, the path, the query string, the body and the headers that carry meaning (below); both
 * sides must also succeed or fail alike. `results` (skipped by the official tests, whose Prism
 * mock does not serve JSON Lines) is compared too: the same requests and the same results.
 *
 * Compared headers: `accept`, `content-type`, `anthropic-beta` (none: the installed SDK sends no
 * beta for batches), `anthropic-workspace-id` and `anthropic-user-profile-id`. Not compared, as
 * they are the client's and not this resource's: credentials, `anthropic-version`, `user-agent`
 * and `x-stainless-*`.
 */

const COMPARED_HEADERS = ['accept', 'content-type', 'anthropic-beta', 'anthropic-workspace-id', 'anthropic-user-profile-id'] as const;

let server: MockServer | undefined;
afterEach(async () => server?.close());

async function sides(batches: MockBatchOptions = {}): Promise<Sides> {
  const made = await differentialSides({ batches });
  server = made.server;
  return made;
}

function comparable(request: RecordedRequest): Record<string, unknown> {
  const headers = comparedHeaders(request, COMPARED_HEADERS);
  return { method: request.method, path: request.path.replace(/msgbatch_mock_\d+/, '{id}'), search: request.search, headers, body: request.body };
}

type Outcome = { ok: true; value: unknown } | { ok: false; status: number | undefined };

/** The batch ids, times and results_url differ between two batches of the same requests; nothing else may. */
// The ids and the times the mock server stamps (a request may fall in the next second): set or not is compared, not their values.
const sameBatch = (value: unknown): unknown =>
  JSON.parse(
    JSON.stringify(value, (key, field: unknown) =>
      ['id', 'created_at', 'expires_at', 'ended_at', 'cancel_initiated_at', 'archived_at', 'results_url', 'first_id', 'last_id'].includes(key) && typeof field === 'string' ? '*' : field,
    ),
  ) as unknown;

async function settle(run: () => Promise<unknown>): Promise<Outcome> {
  try {
    return { ok: true, value: sameBatch(await run()) };
  } catch (error) {
    return { ok: false, status: (error as { status?: number }).status };
  }
}

async function compare(setup: Sides, official: () => Promise<unknown>, ours: () => Observable<unknown>, many = false): Promise<RecordedRequest[]> {
  const before = setup.server.requests.length;
  const officialOutcome = await settle(official);
  const middle = setup.server.requests.length;
  const ourOutcome = await settle(async () => {
    const values = await lastValueFrom(ours().pipe(toArray()));
    return many ? values : values[0];
  });
  const officialRequests = setup.server.requests.slice(before, middle);
  const ourRequests = setup.server.requests.slice(middle);
  expect(ourRequests.map(comparable)).toEqual(officialRequests.map(comparable));
  expect(ourOutcome).toEqual(officialOutcome);
  return ourRequests;
}

async function readAll(list: AsyncIterable<unknown>): Promise<unknown[]> {
  const items: unknown[] = [];
  for await (const item of list) items.push(item);
  return items;
}

const requiredRequests = [
  { custom_id: 'my-custom-id-1', params: { max_tokens: 1024, messages: [{ content: 'Hello, world', role: 'user' as const }], model: 'claude-sonnet-4-6' } },
];

describe('resource batches (ported from the official SDK, compared with it)', () => {
  test('create: only required params', async () => {
    const setup = await sides({ endAfterRetrievals: 5 });
    await compare(setup, () => setup.sdk.messages.batches.create({ requests: requiredRequests }), () => setup.ours.messages.batches.create({ requests: requiredRequests }));
  });

  test('create: required and optional params', async () => {
    const setup = await sides({ endAfterRetrievals: 5 });
    const params = {
      max_tokens: 1024,
      messages: [{ content: 'Hello, world', role: 'user' as const }],
      model: 'claude-sonnet-4-6',
      metadata: { user_id: '13803d75-b4b5-4c3e-b2a2-6f21399b021b' },
      stop_sequences: ['string'],
      system: [{ text: 'Today\'s date is 2024-06-01.', type: 'text' as const }],
      temperature: 1,
      top_k: 5,
      top_p: 0.7,
    };
    const requests = [{ custom_id: 'my-custom-id-1', params }];
    await compare(
      setup,
      () => setup.sdk.messages.batches.create({ requests, workspace_id: 'wrkspc_1' }),
      () => setup.ours.messages.batches.create({ requests, workspace_id: 'wrkspc_1' }),
    );
  });

  test('retrieve', async () => {
    const setup = await sides({ endAfterRetrievals: 5 });
    await lastValueFrom(setup.ours.messages.batches.create({ requests: requiredRequests }));
    await compare(setup, () => setup.sdk.messages.batches.retrieve('msgbatch_mock_1'), () => setup.ours.messages.batches.retrieve('msgbatch_mock_1'));
    await compare(setup, () => setup.sdk.messages.batches.retrieve('message_batch_id'), () => setup.ours.messages.batches.retrieve('message_batch_id'));
  });

  test('retrieve: an id is encoded as one path segment, as the official SDK encodes it', async () => {
    const setup = await sides();
    const requests = await compare(setup, () => setup.sdk.messages.batches.retrieve("a:b c/d@e'f"), () => setup.ours.messages.batches.retrieve("a:b c/d@e'f"));
    expect(requests[0]!.path).toBe("/v1/messages/batches/a:b%20c%2Fd@e'f");
  });

  test('retrieve: params are passed as the official SDK passes them', async () => {
    const setup = await sides();
    await compare(
      setup,
      () => setup.sdk.messages.batches.retrieve('message_batch_id', { workspace_id: 'wrkspc_1' }),
      () => setup.ours.messages.batches.retrieve('message_batch_id', { headers: { 'anthropic-workspace-id': 'wrkspc_1' } }),
    );
  });

  test('list', async () => {
    const setup = await sides();
    for (let i = 0; i < 3; i++) await lastValueFrom(setup.ours.messages.batches.create({ requests: requiredRequests }));
    await compare(setup, () => readAll(setup.sdk.messages.batches.list()), () => setup.ours.messages.batches.list(), true);
  });

  test('list: params are passed as the official SDK passes them', async () => {
    const setup = await sides();
    await compare(
      setup,
      () => readAll(setup.sdk.messages.batches.list({ after_id: 'after_id', before_id: 'before_id', limit: 1, workspace_id: 'wrkspc_1' })),
      () => setup.ours.messages.batches.list({ after_id: 'after_id', before_id: 'before_id', limit: 1, workspace_id: 'wrkspc_1' }),
      true,
    );
  });

  test('list: every page forward and backward', async () => {
    const setup = await sides();
    for (let i = 0; i < 5; i++) await lastValueFrom(setup.ours.messages.batches.create({ requests: requiredRequests }));
    const forward = await compare(setup, () => readAll(setup.sdk.messages.batches.list({ limit: 2 })), () => setup.ours.messages.batches.list({ limit: 2 }), true);
    expect(forward).toHaveLength(3);
    const backward = await compare(
      setup,
      () => readAll(setup.sdk.messages.batches.list({ before_id: 'msgbatch_mock_1', limit: 2 })),
      () => setup.ours.messages.batches.list({ before_id: 'msgbatch_mock_1', limit: 2 }),
      true,
    );
    expect(backward).toHaveLength(2);
  });

  test('delete', async () => {
    const setup = await sides({ endAfterRetrievals: 0 });
    await compare(setup, () => setup.sdk.messages.batches.delete('message_batch_id'), () => setup.ours.messages.batches.delete('message_batch_id'));
    // A batch can be deleted once: each side deletes one of its own.
    await lastValueFrom(setup.ours.messages.batches.create({ requests: requiredRequests }));
    await lastValueFrom(setup.ours.messages.batches.create({ requests: requiredRequests }));
    const official = await setup.sdk.messages.batches.delete('msgbatch_mock_1');
    const ours = await lastValueFrom(setup.ours.messages.batches.delete('msgbatch_mock_2'));
    expect(sameBatch(ours)).toEqual(sameBatch(official));
    const [a, b] = setup.server.requests.slice(-2);
    expect(comparable(b!)).toEqual(comparable(a!));
  });

  test('cancel', async () => {
    const setup = await sides({ endAfterRetrievals: 5 });
    await lastValueFrom(setup.ours.messages.batches.create({ requests: requiredRequests }));
    await lastValueFrom(setup.ours.messages.batches.create({ requests: requiredRequests }));
    const official = await setup.sdk.messages.batches.cancel('msgbatch_mock_1');
    const ours = await lastValueFrom(setup.ours.messages.batches.cancel('msgbatch_mock_2'));
    expect(sameBatch(ours)).toEqual(sameBatch(official));
    const [a, b] = setup.server.requests.slice(-2);
    expect(comparable(b!)).toEqual(comparable(a!));
    await compare(setup, () => setup.sdk.messages.batches.cancel('message_batch_id'), () => setup.ours.messages.batches.cancel('message_batch_id'));
  });

  test('results', async () => {
    const setup = await sides({ endAfterRetrievals: 0, result: (id) => (id === 'b' ? { type: 'expired' } : undefined) });
    const requests = [requiredRequests[0]!, { ...requiredRequests[0]!, custom_id: 'b' }];
    await lastValueFrom(setup.ours.messages.batches.create({ requests }));
    const fetched = await compare(
      setup,
      async () => readAll(await setup.sdk.messages.batches.results('msgbatch_mock_1')),
      () => setup.ours.messages.batches.results('msgbatch_mock_1'),
      true,
    );
    expect(fetched.map((request) => request.path)).toEqual(['/v1/messages/batches/msgbatch_mock_1', '/v1/messages/batches/msgbatch_mock_1/results']);
    await compare(setup, async () => readAll(await setup.sdk.messages.batches.results('message_batch_id')), () => setup.ours.messages.batches.results('message_batch_id'), true);
  });
});
