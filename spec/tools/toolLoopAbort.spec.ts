import * as t from 'io-ts';
import { lastValueFrom, Observable, of, toArray } from 'rxjs';
import { APIUserAbortError, createClient, defineTool, toolLoop, type MessageCreateParams, type ToolLoopOptions } from 'rx-anthropic';
import { createMockServer, textReply, toolUseReply, type MockServer } from 'rx-anthropic/testing';

const params: MessageCreateParams = { model: 'claude-test', max_tokens: 256, messages: [{ role: 'user', content: 'Index the repository.' }] };

let server: MockServer;
afterEach(async () => server?.close());
const clientFor = (s: MockServer) => createClient({ baseURL: s.baseURL, apiKey: 'k', maxRetries: 0 });
const runLoop = (options: ToolLoopOptions) => lastValueFrom(of(params).pipe(toolLoop(clientFor(server), options), toArray()));
const until = async (condition: () => boolean) => {
  for (let i = 0; i < 200 && !condition(); i += 1) await new Promise((resolve) => setTimeout(resolve, 5));
  expect(condition()).toBe(true);
};

describe('toolLoop and requestOptions.signal', () => {
  it('aborts a running tool when the caller aborts, and fails with APIUserAbortError once the tool is torn down', async () => {
    const controller = new AbortController();
    let signal: AbortSignal | undefined;
    let tornDown = false;
    const index = defineTool({
      name: 'index',
      description: 'Indexes, slowly',
      input: t.type({}),
      run: (_input, ctx) => {
        signal = ctx.signal;
        return new Observable<string>(() => () => (tornDown = true));
      },
    });
    server = await createMockServer([toolUseReply([{ name: 'index', input: {} }]), textReply('never asked')]);
    const outcome = runLoop({ tools: [index], requestOptions: { signal: controller.signal } }).catch((error: unknown) => ({
      error,
      seenAborted: signal?.aborted,
      seenTornDown: tornDown,
    }));
    await until(() => signal !== undefined);
    expect(signal?.aborted).toBe(false);
    controller.abort();
    const { error, seenAborted, seenTornDown } = (await outcome) as { error: unknown; seenAborted: boolean; seenTornDown: boolean };
    expect(error).toBeInstanceOf(APIUserAbortError);
    expect([seenAborted, seenTornDown]).toEqual([true, true]);
    expect(server.requests).toHaveLength(1);
  });

  it('aborts the request in flight: the server sees the client close the connection', async () => {
    const controller = new AbortController();
    server = await createMockServer([textReply('a long and slow answer', { chunkSize: 1, chunkDelayMs: 30 })]);
    const outcome = runLoop({ tools: [], requestOptions: { signal: controller.signal } }).catch((error: unknown) => error);
    const request = await server.waitForRequest(0);
    controller.abort();
    expect(await outcome).toBeInstanceOf(APIUserAbortError);
    await request.closed;
    expect(request.abortedByClient).toBe(true);
  });

  it('sends nothing when the signal has already aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    server = await createMockServer([textReply('never asked')]);
    await expect(runLoop({ tools: [], requestOptions: { signal: controller.signal } })).rejects.toBeInstanceOf(APIUserAbortError);
    expect(server.requests).toHaveLength(0);
  });

  it('hands the tool a signal that does not abort when the loop ends normally', async () => {
    let signal: AbortSignal | undefined;
    const quick = defineTool({ name: 'quick', description: 'Answers at once', input: t.type({}), run: (_input, ctx) => ((signal = ctx.signal), 'done') });
    server = await createMockServer([toolUseReply([{ name: 'quick', input: {} }]), textReply('ok')]);
    await runLoop({ tools: [quick], requestOptions: { signal: new AbortController().signal } });
    expect(signal?.aborted).toBe(false);
  });
});
