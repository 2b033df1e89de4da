import { VirtualTimeScheduler, lastValueFrom, take, toArray } from 'rxjs';
import { createClient } from 'rx-anthropic';
import { createMockServer, type MockServer } from 'rx-anthropic/testing';
import { runInVirtualTime } from '../support/runInVirtualTime';
import { batchRequests } from './support/batchRequests';

let server: MockServer | undefined;
afterEach(async () => server?.close());


describe('client.messages.batches.run', () => {
  it('runs 10,000 requests: creates the batch, polls until it has ended, then every result arrives once', async () => {
    server = await createMockServer([], { batches: { endAfterRetrievals: 3, result: (id) => (id.endsWith('7') ? { type: 'expired' } : undefined), resultsDelivery: { splitBytes: 40_009 } } });
    const client = createClient({ apiKey: 'k', baseURL: server.baseURL, maxRetries: 0 });
    const results = await lastValueFrom(client.messages.batches.run(batchRequests(10_000), { interval: 5 }).pipe(toArray()));
    expect(results).toHaveLength(10_000);
    expect(new Set(results.map((r) => r.custom_id)).size).toBe(10_000);
    expect(results.filter((r) => r.result.type === 'expired')).toHaveLength(1000);
    const routes = server.requests.map((request) => `${request.method} ${request.path.replace(/msgbatch_mock_\d+/, '{id}')}`);
    expect(routes).toEqual(['POST /v1/messages/batches', 'GET /v1/messages/batches/{id}', 'GET /v1/messages/batches/{id}', 'GET /v1/messages/batches/{id}', 'GET /v1/messages/batches/{id}/results']);
    await new Promise((resolve) => setTimeout(resolve, 40));
    expect(server.requests).toHaveLength(5);
  });

  it('runs 10,000 requests in virtual time: polls a minute apart, backing off, for virtual minutes in real milliseconds; every result once, no poll after the end', async () => {
    server = await createMockServer([], { batches: { endAfterRetrievals: 5, resultsDelivery: { splitBytes: 40_009 } } });
    const scheduler = new VirtualTimeScheduler();
    // Virtual time jumps over the polling waits (up to 10 minutes); the client's timeout (an hour) lies beyond.
    const client = createClient({ apiKey: 'k', baseURL: server.baseURL, maxRetries: 0, scheduler, timeout: 3_600_000 });
    const outcome = await runInVirtualTime(scheduler, client.messages.batches.run(batchRequests(10_000), { interval: 60_000 }), 600_001, 20_000);
    expect(outcome.error).toBeUndefined();
    expect(outcome.completed).toBe(true);
    // Nothing new at each poll: 1.5 times longer each time, from a minute.
    expect(outcome.delays).toEqual([60_000, 90_000, 135_000, 202_500]);
    expect(scheduler.now()).toBe(487_500);
    expect(outcome.values).toHaveLength(10_000);
    expect(new Set(outcome.values.map((r) => r.custom_id)).size).toBe(10_000);
    expect(server.requests.filter((request) => request.method === 'GET' && !request.path.endsWith('/results'))).toHaveLength(5);
    // No action is left on the scheduler: no poll after the end.
    expect(scheduler.actions).toHaveLength(0);
  });

  it('unsubscribing while the batch runs stops the polling; nothing is downloaded', async () => {
    server = await createMockServer([], { batches: { endAfterRetrievals: 1000 } });
    const client = createClient({ apiKey: 'k', baseURL: server.baseURL, maxRetries: 0 });
    const subscription = client.messages.batches.run(batchRequests(3), { interval: 5 }).subscribe();
    await new Promise((resolve) => setTimeout(resolve, 60));
    subscription.unsubscribe();
    // A poll the client had sent just before may still reach the server (aborted, or already answered).
    await new Promise((resolve) => setTimeout(resolve, 20));
    const sent = server.requests.length;
    expect(sent).toBeGreaterThan(1);
    // Polling at 5 ms would have sent several more by now.
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(server.requests).toHaveLength(sent);
    expect(server.requests.some((request) => request.path.endsWith('/results'))).toBe(false);
  });

  it('is cold: nothing is created before subscribe, and take(1) aborts the results download', async () => {
    server = await createMockServer([], { batches: { endAfterRetrievals: 1, resultsDelivery: { splitBytes: 200, chunkDelayMs: 20 } } });
    const client = createClient({ apiKey: 'k', baseURL: server.baseURL, maxRetries: 0 });
    const run$ = client.messages.batches.run(batchRequests(100), { interval: 5 });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(server.requests).toHaveLength(0);
    const [first] = await lastValueFrom(run$.pipe(take(1), toArray()));
    expect(first!.custom_id).toBe('req-0');
    const download = server.requests[server.requests.length - 1]!;
    await download.closed;
    expect(download.abortedByClient).toBe(true);
  });
});
