import { asyncScheduler, lastValueFrom, take, toArray, type SchedulerLike } from 'rxjs';
import { createClient, NotFoundError } from 'rx-anthropic';
import { createMockServer, errorReply, type MockServer } from 'rx-anthropic/testing';
import { batchRequests } from './support/batchRequests';

let server: MockServer | undefined;
afterEach(async () => server?.close());


/** The async scheduler, noting each delay the client asks of it below one second (the polling waits). */
function recordingScheduler(delays: number[]): SchedulerLike {
  return {
    now: () => asyncScheduler.now(),
    schedule: (work, delay, state) => {
      if (delay !== undefined && delay > 0 && delay < 1000) delays.push(delay);
      return asyncScheduler.schedule(work as never, delay, state);
    },
  };
}

const retrievals = (mock: MockServer, id: string): number => mock.requests.filter((request) => request.method === 'GET' && request.path === `/v1/messages/batches/${id}`).length;

describe('client.messages.batches.watch', () => {
  it('emits the batch only when its status or counts change, and completes once it has ended', async () => {
    server = await createMockServer([], { batches: { endAfterRetrievals: 4 } });
    const client = createClient({ apiKey: 'k', baseURL: server.baseURL, maxRetries: 0 });
    const { id } = await lastValueFrom(client.messages.batches.create({ requests: batchRequests(3) }));
    const seen = await lastValueFrom(client.messages.batches.watch(id, { interval: 5 }).pipe(toArray()));
    expect(seen.map((batch) => batch.processing_status)).toEqual(['in_progress', 'ended']);
    expect(seen[1]!.request_counts.succeeded).toBe(3);
    expect(retrievals(server, id)).toBe(4);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(retrievals(server, id)).toBe(4);
  });

  it('waits 1.5 times longer after each poll that finds nothing new, up to maxInterval', async () => {
    server = await createMockServer([], { batches: { endAfterRetrievals: 6 } });
    const delays: number[] = [];
    const client = createClient({ apiKey: 'k', baseURL: server.baseURL, maxRetries: 0, scheduler: recordingScheduler(delays) });
    const { id } = await lastValueFrom(client.messages.batches.create({ requests: batchRequests(1) }));
    await lastValueFrom(client.messages.batches.watch(id, { interval: 8, maxInterval: 20 }));
    expect(delays).toEqual([8, 12, 18, 20, 20]);
  });

  it('stops polling when the subscriber unsubscribes', async () => {
    server = await createMockServer([], { batches: { endAfterRetrievals: 1000 } });
    const client = createClient({ apiKey: 'k', baseURL: server.baseURL, maxRetries: 0 });
    const { id } = await lastValueFrom(client.messages.batches.create({ requests: batchRequests(1) }));
    await lastValueFrom(client.messages.batches.watch(id, { interval: 5 }).pipe(take(1)));
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(retrievals(server, id)).toBe(1);
  });

  it('emits an ended batch once and completes without polling again', async () => {
    server = await createMockServer([], { batches: { endAfterRetrievals: 0 } });
    const client = createClient({ apiKey: 'k', baseURL: server.baseURL, maxRetries: 0 });
    const { id } = await lastValueFrom(client.messages.batches.create({ requests: batchRequests(1) }));
    const seen = await lastValueFrom(client.messages.batches.watch(id, { interval: 5 }).pipe(toArray()));
    expect(seen.map((batch) => batch.processing_status)).toEqual(['ended']);
    expect(retrievals(server, id)).toBe(1);
  });

  it('polls again after the retry-after of a 429 or 529 the client did not retry, instead of failing', async () => {
    const busy = (poll: number) => (poll === 1 ? errorReply(429, { headers: { 'retry-after-ms': '150' } }) : poll === 2 ? errorReply(529) : undefined);
    server = await createMockServer([], { batches: { endAfterRetrievals: 2, retrieveReply: (_id, poll) => busy(poll) } });
    const delays: number[] = [];
    const client = createClient({ apiKey: 'k', baseURL: server.baseURL, maxRetries: 0, scheduler: recordingScheduler(delays) });
    const { id } = await lastValueFrom(client.messages.batches.create({ requests: batchRequests(1) }));
    const seen = await lastValueFrom(client.messages.batches.watch(id, { interval: 8 }).pipe(toArray()));
    expect(seen.map((batch) => batch.processing_status)).toEqual(['in_progress', 'ended']);
    // 8 after the first poll; 150 as the 429 asked; then the 529's wait, the back-off's 18.
    expect(delays).toEqual([8, 150, 18]);
    expect(retrievals(server, id)).toBe(4);
  });

  it('ends with the error when a poll fails for good (a wrong id)', async () => {
    server = await createMockServer([]);
    const client = createClient({ apiKey: 'k', baseURL: server.baseURL, maxRetries: 0 });
    await expect(lastValueFrom(client.messages.batches.watch('msgbatch_nope', { interval: 5 }))).rejects.toBeInstanceOf(NotFoundError);
    expect(server.requests).toHaveLength(1);
  });
});
