import { lastValueFrom, toArray } from 'rxjs';
import { createClient } from 'rx-anthropic';
import { createMockServer, type MockServer } from 'rx-anthropic/testing';
import { batchSummary } from '../../examples/batches';

let server: MockServer | undefined;
afterEach(async () => server?.close());

describe('examples/batches', () => {
  it('runs the questions as one batch and counts the results by type', async () => {
    server = await createMockServer([], { batches: { endAfterRetrievals: 2, result: (id) => (id === 'q-2' ? { type: 'expired' } : undefined) } });
    const client = createClient({ apiKey: 'k', baseURL: server.baseURL });
    const lines = await lastValueFrom(batchSummary(client, ['One?', 'Two?', 'Three?'], 5).pipe(toArray()));
    expect(lines.sort()).toEqual(['expired: 1', 'succeeded: 2']);
    expect(server.requests[0]!.body).toMatchObject({ requests: [{ custom_id: 'q-0', params: { messages: [{ role: 'user', content: 'One?' }] } }, {}, {}] });
  });
});
