import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { lastValueFrom, take, toArray } from 'rxjs';
import { createClient, StreamDecodeError, type MessageBatchIndividualResponse } from 'rx-anthropic';
import { createMockServer, type MockBatchOptions, type MockServer } from 'rx-anthropic/testing';
import { batchRequests } from './support/batchRequests';

let server: MockServer | undefined;
afterEach(async () => server?.close());


const scripted: MockBatchOptions['result'] = (customId) => {
  const n = Number(customId.slice(4));
  if (n % 4 === 1) return { type: 'errored', error: { type: 'error', error: { type: 'invalid_request_error', message: `bad request ${n}` } } };
  if (n % 4 === 2) return { type: 'canceled' };
  if (n % 4 === 3) return { type: 'expired' };
  return undefined;
};

async function endedBatch(count: number, batches: MockBatchOptions) {
  server = await createMockServer([], { batches: { endAfterRetrievals: 0, ...batches } });
  const client = createClient({ apiKey: 'k', baseURL: server.baseURL, maxRetries: 0 });
  const { id } = await lastValueFrom(client.messages.batches.create({ requests: batchRequests(count) }));
  return { server, client, id };
}

describe('client.messages.batches.results', () => {
  it('reads the results_url (GET, accept: application/binary) as typed results, one per line, cut at odd byte boundaries', async () => {
    const { server, client, id } = await endedBatch(8, { result: scripted, resultsDelivery: { splitBytes: 7 } });
    const results: MessageBatchIndividualResponse[] = await lastValueFrom(client.messages.batches.results(id).pipe(toArray()));
    expect(results.map((r) => `${r.custom_id}:${r.result.type}`)).toEqual([
      'req-0:succeeded', 'req-1:errored', 'req-2:canceled', 'req-3:expired',
      'req-4:succeeded', 'req-5:errored', 'req-6:canceled', 'req-7:expired',
    ]);
    const first = results[0]!.result;
    expect(first.type === 'succeeded' && first.message.content).toEqual([{ type: 'text', text: 'Result for req-0' }]);
    const second = results[1]!.result;
    expect(second.type === 'errored' && second.error.error.message).toBe('bad request 1');
    const download = server.requests[2]!;
    expect(download).toMatchObject({ method: 'GET', path: `/v1/messages/batches/${id}/results` });
    expect(download.headers.accept).toBe('application/binary');
  });

  it('stops the download when the subscriber unsubscribes: the server sees the connection aborted', async () => {
    const { server, client, id } = await endedBatch(200, { resultsDelivery: { splitBytes: 300, chunkDelayMs: 20 } });
    const two = await lastValueFrom(client.messages.batches.results(id).pipe(take(2), toArray()));
    expect(two.map((r) => r.custom_id)).toEqual(['req-0', 'req-1']);
    const download = server.requests[2]!;
    await download.closed;
    expect(download.abortedByClient).toBe(true);
    expect(download.completed).toBe(false);
  });

  it('fails with a StreamDecodeError naming the line of a result that is not a result', async () => {
    const { client, id } = await endedBatch(3, { result: (customId) => (customId === 'req-1' ? { type: 'succeeded', message: { nonsense: true } } : undefined) });
    const error = await lastValueFrom(client.messages.batches.results(id).pipe(toArray())).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StreamDecodeError);
    expect((error as StreamDecodeError).path).toContain('result');
  });

  it('names the line number and the field of a line that is not a result, after emitting the lines before it', async () => {
    const { client, id } = await endedBatch(4, { result: (customId) => (customId === 'req-2' ? { type: 'succeeded', message: { nonsense: true } } : undefined) });
    const seen: string[] = [];
    const error = await new Promise((resolve) => client.messages.batches.results(id).subscribe({ next: (r) => seen.push(r.custom_id), error: resolve }));
    expect(seen).toEqual(['req-0', 'req-1']);
    expect(error).toBeInstanceOf(StreamDecodeError);
    expect((error as StreamDecodeError).path).toBe('line 3, result.message.id');
    expect((error as Error).message).toContain(`line 3 of the results file of the message batch ${id} is not a MessageBatchIndividualResponse`);
  });

  it('fails with a StreamDecodeError naming the line of a results file that is not UTF-8', async () => {
    const line = (n: number): string => JSON.stringify({ custom_id: `req-${n}`, result: { type: 'canceled' } });
    const file = Buffer.concat([Buffer.from(`${line(0)}\n${line(1)}\n{"custom_id":"req-2","result":{"type":"`), Buffer.of(0xff), Buffer.from(`canceled"}}\n${line(3)}\n`)]);
    const raw: Server = createServer((request, response) => {
      const origin = `http://127.0.0.1:${(raw.address() as AddressInfo).port}`;
      if (request.url?.endsWith('/results')) {
        response.writeHead(200, { 'content-type': 'application/binary' });
        response.end(file);
        return;
      }
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(
        JSON.stringify({
          id: 'msgbatch_1',
          type: 'message_batch',
          processing_status: 'ended',
          request_counts: { processing: 0, succeeded: 0, errored: 0, canceled: 4, expired: 0 },
          created_at: '2025-01-01T00:00:00Z',
          ended_at: '2025-01-01T00:01:00Z',
          results_url: `${origin}/v1/messages/batches/msgbatch_1/results`,
        }),
      );
    });
    await new Promise<void>((resolve) => raw.listen(0, '127.0.0.1', resolve));
    try {
      const client = createClient({ apiKey: 'k', baseURL: `http://127.0.0.1:${(raw.address() as AddressInfo).port}`, maxRetries: 0 });
      const seen: string[] = [];
      const error = await new Promise((resolve) => client.messages.batches.results('msgbatch_1').subscribe({ next: (r) => seen.push(r.custom_id), error: resolve }));
      expect(seen).toEqual(['req-0', 'req-1']);
      expect(error).toBeInstanceOf(StreamDecodeError);
      expect((error as StreamDecodeError).path).toBe('line 3');
      expect((error as Error).message).toContain('line 3 is not valid UTF-8');
    } finally {
      await new Promise((resolve) => raw.close(resolve));
    }
  });

  it('keeps memory flat over a large file: 20,000 results decoded as they arrive', async () => {
    const { client, id } = await endedBatch(20_000, { resultsDelivery: { splitBytes: 65_537 } });
    let count = 0;
    const before = process.memoryUsage().heapUsed;
    let peak = before;
    await new Promise<void>((resolve, reject) =>
      client.messages.batches.results(id).subscribe({
        next: () => {
          count += 1;
          if (count % 1000 === 0) peak = Math.max(peak, process.memoryUsage().heapUsed);
        },
        error: reject,
        complete: resolve,
      }),
    );
    expect(count).toBe(20_000);
    // The file is about 8 MB; the decoder holds one chunk and one partial line at a time.
    expect(peak - before).toBeLessThan(64 * 1024 * 1024);
  });
});
