import type { ProxyUsageRecord } from 'rx-anthropic/proxy';
import { textReply } from 'rx-anthropic/testing';
import { ATTACK_HOSTS, openStream, params, send, sleep, useRelay, waitFor, within } from '../support/attackHarness';

const usage = { input_tokens: 12, cache_creation_input_tokens: 3, cache_read_input_tokens: 4, output_tokens: 7 };

/** `onUsage`: once per upstream message request, with who, what and how much; also for a stream the browser cut off. */
describe.each(ATTACK_HOSTS)('onUsage on %s', (host) => {
  const { start } = useRelay(host);

  it('hears a finished stream once: identity, route, model, usage, request id, duration, stop reason', async () => {
    const records: ProxyUsageRecord[] = [];
    const { port } = await start([textReply('Hello there', { usage })], { authorize: () => ({ user: 'u1', plan: 'pro' }), onUsage: (record) => void records.push(record) });
    expect((await send(port)).status).toBe(200);
    await waitFor(() => records.length > 0, 'onUsage');
    await sleep(50);
    expect(records).toEqual([
      {
        identity: { user: 'u1', plan: 'pro' },
        route: 'stream',
        model: params.model,
        usage: expect.objectContaining(usage),
        requestId: 'req_mock_1',
        durationMs: expect.any(Number),
        stopReason: 'end_turn',
      },
    ]);
    expect(records[0]?.durationMs).toBeGreaterThanOrEqual(0);
  });

  it('hears a whole message (route create), with identity undefined for authorize answering true', async () => {
    const records: ProxyUsageRecord[] = [];
    const { port } = await start([textReply('Hello', { usage, stopReason: 'max_tokens' })], { authorize: () => true, onUsage: (record) => void records.push(record) });
    expect((await send(port, { path: '/api/v1/messages' })).status).toBe(200);
    await waitFor(() => records.length > 0, 'onUsage');
    await sleep(50);
    expect(records).toEqual([expect.objectContaining({ identity: undefined, route: 'create', model: params.model, usage: expect.objectContaining(usage), stopReason: 'max_tokens' })]);
  });

  it('hears a stream the browser cut off once, with the usage of message_start and stopReason null (streamStore: false)', async () => {
    const records: ProxyUsageRecord[] = [];
    const slow = textReply('slow '.repeat(100), { chunkSize: 5, chunkDelayMs: 20, usage: { input_tokens: 150 } });
    const { port, mock } = await start([slow], { authorize: () => ({ user: 'u1' }), onUsage: (record) => void records.push(record), streamStore: false });
    const stream = await openStream(port);
    stream.close();
    await within((await mock.waitForRequest(0)).closed, 2_000, 'the upstream request to close');
    await waitFor(() => records.length > 0, 'onUsage');
    await sleep(50);
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ identity: { user: 'u1' }, route: 'stream', usage: { input_tokens: 150 }, requestId: 'req_mock_1', stopReason: null });
  });

  it('is not called for refused requests, which never reach upstream', async () => {
    const records: ProxyUsageRecord[] = [];
    const { port, mock } = await start([textReply('never')], { authorize: 'anyone', allowedModels: ['claude-haiku-4-5'], onUsage: (record) => void records.push(record) });
    expect((await send(port)).status).toBe(403);
    await sleep(50);
    expect(records).toEqual([]);
    expect(mock.requests).toHaveLength(0);
  });

  it('is not called for token counts', async () => {
    const records: ProxyUsageRecord[] = [];
    const { port } = await start([], { authorize: 'anyone', onUsage: (record) => void records.push(record) });
    expect((await send(port, { path: '/api/v1/messages/count_tokens', body: { model: params.model, messages: params.messages } })).status).toBe(200);
    await sleep(50);
    expect(records).toEqual([]);
  });

  it('reports an onUsage that throws to onError, and the browser still gets its answer', async () => {
    const reported: unknown[] = [];
    const { port } = await start([textReply('ok')], {
      authorize: 'anyone',
      onUsage: () => {
        throw new Error('meter down');
      },
      onError: (error) => reported.push(error),
    });
    const answer = await send(port);
    expect(answer.status).toBe(200);
    expect(answer.text).toContain('event: message_stop');
    await waitFor(() => reported.length > 0, 'onError');
    expect((reported[0] as Error).message).toBe('meter down');
  });

  it('hears each upstream request once: two requests, two records', async () => {
    const records: ProxyUsageRecord[] = [];
    const { port } = await start([textReply('a'), textReply('b')], { authorize: 'anyone', onUsage: (record) => void records.push(record) });
    expect((await send(port)).status).toBe(200);
    expect((await send(port, { path: '/api/v1/messages' })).status).toBe(200);
    await waitFor(() => records.length >= 2, 'two records');
    await sleep(50);
    expect(records.map((record) => [record.route, record.requestId])).toEqual([
      ['stream', 'req_mock_1'],
      ['create', 'req_mock_2'],
    ]);
  });
});
