import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { lastValueFrom } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { BadRequestError, createClient, textSnapshots } from 'rx-anthropic';
import { createMockServer, errorReply, fromSSEText, textReply, type MockServer } from 'rx-anthropic/testing';
import { summarise } from './summarise';

let server: MockServer;
afterEach(() => server.close());
const clientFor = (server: MockServer) => createClient({ apiKey: 'test-key', baseURL: server.baseURL });

describe('summarise()', () => {
  it('sends the text and gives back the summary', async () => {
    server = await createMockServer([textReply('Rivers reach the sea.')]);
    expect(await lastValueFrom(summarise(clientFor(server), 'A long essay about rivers.'))).toBe('Rivers reach the sea.');
    expect(server.requests).toHaveLength(1);
    expect(server.requests[0]?.headers['x-api-key']).toBe('test-key');
    expect(server.requests[0]?.body).toMatchObject({
      model: 'claude-sonnet-4-6',
      stream: true,
      messages: [{ role: 'user', content: expect.stringContaining('A long essay about rivers.') }],
    });
  });

  it('gets its summary when the API is overloaded at first (the client retries)', async () => {
    server = await createMockServer([errorReply(529, { headers: { 'retry-after-ms': '1' } }), textReply('Still here.')]);
    expect(await lastValueFrom(summarise(clientFor(server), 'text'))).toBe('Still here.');
    expect(server.requests).toHaveLength(2);
  });

  it('starts again once when the connection drops in the middle of the stream', async () => {
    server = await createMockServer([{ ...textReply('Half a summ', { chunkSize: 2 }), cutAfterBytes: 600 }, textReply('A whole summary.')]);
    expect(await lastValueFrom(summarise(clientFor(server), 'text'))).toBe('A whole summary.');
    expect(server.requests.map((request) => request.completed)).toEqual([false, true]);
    expect(server.requests[1]?.body).toEqual(server.requests[0]?.body);
  });

  it('does not retry a request the API rejects', async () => {
    server = await createMockServer([errorReply(400), textReply('unused')]);
    await expect(lastValueFrom(summarise(clientFor(server), 'text'))).rejects.toBeInstanceOf(BadRequestError);
    expect(server.requests).toHaveLength(1);
  });
});

describe('the summary as it streams, from a recorded stream', () => {
  it('grows at each text delta (event i at frame i, pings dropped)', () => {
    const scheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
    const recorded = readFileSync(join(__dirname, 'summary.sse'), 'utf8');
    scheduler.run(({ expectObservable }) => {
      const summary$ = fromSSEText(recorded, scheduler).pipe(textSnapshots());
      expectObservable(summary$).toBe('--abc--|', { a: 'Rivers', b: 'Rivers reach', c: 'Rivers reach the sea.' });
    });
  });
});
