// First: Angular's packages need @angular/compiler before they load.
import '@angular/compiler';
import { TransferState, type PendingTasks } from '@angular/core';
import { recordToTransferState } from '../../lib/angular/recordToTransferState';
import { replayFromTransferState } from '../../lib/angular/replayFromTransferState';
import { transferKey } from '../../lib/angular/transferKey';

/**
 * `recordToTransferState()` on the server and `replayFromTransferState()` in the browser: what the
 * page keeps of a response, how long the render waits for it, and that the browser replays it once.
 */

const URL = 'https://relay.test/api/v1/messages';
const init: RequestInit = { method: 'POST', body: '{"model":"claude-sonnet-4-6"}' };
const settle = () => new Promise((resolve) => setTimeout(resolve, 5));

/** The render's pending tasks, counted. */
function pendingTasks(): PendingTasks & { readonly open: number } {
  let open = 0;
  return {
    get open() {
      return open;
    },
    add: () => {
      open += 1;
      let done = false;
      return () => {
        if (!done) open -= 1;
        done = true;
      };
    },
  } as unknown as PendingTasks & { readonly open: number };
}

const upstream = (body: string, headers: Record<string, string> = {}) => async () =>
  new Response(body, { status: 200, headers: { 'content-type': 'text/event-stream', 'request-id': 'req_1', 'set-cookie': 'session=secret', connection: 'keep-alive', ...headers } });

describe('recordToTransferState', () => {
  it('keeps the response in TransferState, with the headers the client reads and no cookie, and hands it on', async () => {
    const state = new TransferState();
    const response = await recordToTransferState(upstream('event: ping\ndata: {}\n\n'), state, pendingTasks())(URL, init);
    expect(await response.text()).toBe('event: ping\ndata: {}\n\n');
    expect(response.headers.get('content-type')).toBe('text/event-stream');
    expect(state.get(transferKey(URL, init)!, null)).toEqual({
      status: 200,
      statusText: '',
      headers: { 'content-type': 'text/event-stream', 'request-id': 'req_1' },
      body: 'event: ping\ndata: {}\n\n',
    });
  });

  it('holds the render until the client has read the response to its end', async () => {
    const tasks = pendingTasks();
    const pending = recordToTransferState(upstream('data'), new TransferState(), tasks)(URL, init);
    expect(tasks.open).toBe(1);
    const reader = (await pending).body!.getReader();
    await settle();
    expect(tasks.open).toBe(1);
    expect((await reader.read()).done).toBe(false);
    expect((await reader.read()).done).toBe(true);
    await settle();
    expect(tasks.open).toBe(0);
  });

  it('lets the render go when the client drops the response, or when nothing came', async () => {
    const tasks = pendingTasks();
    const response = await recordToTransferState(upstream('data'), new TransferState(), tasks)(URL, init);
    await response.body!.cancel();
    expect(tasks.open).toBe(0);

    const refused = new TypeError('fetch failed');
    await expect(recordToTransferState(() => Promise.reject(refused), new TransferState(), tasks)(URL, init)).rejects.toBe(refused);
    expect(tasks.open).toBe(0);
  });
});

describe('replayFromTransferState', () => {
  it('answers the recorded request once from the page, and sends it, or any other, after that', async () => {
    const state = new TransferState();
    await (await recordToTransferState(upstream('from the server'), state, pendingTasks())(URL, init)).text();
    const sent: string[] = [];
    const send: typeof fetch = async (input) => (sent.push(String(input)), new Response('from the network'));
    const replay = replayFromTransferState(send, () => state);

    const first = await replay('https://app.example/api/v1/messages', init);
    expect([first.status, first.headers.get('request-id'), await first.text()]).toEqual([200, 'req_1', 'from the server']);
    expect(sent).toEqual([]);
    expect(await (await replay('https://app.example/api/v1/messages', init)).text()).toBe('from the network');
    expect(await (await replay(URL, { ...init, body: '{"model":"claude-haiku-4-5"}' })).text()).toBe('from the network');
    expect(sent).toHaveLength(2);
  });
});
