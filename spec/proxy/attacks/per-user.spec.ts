import type { IncomingMessage } from 'node:http';
import { textReply } from 'rx-anthropic/testing';
import { ATTACK_HOSTS, expectRefusal, openStream, send, sleep, trackedScript, useRelay, within, type Answer } from '../support/attackHarness';

/** The identity is the `x-user` header (a test's stand-in for a session). */
const byHeader = (request: IncomingMessage) => ({ user: String(request.headers['x-user'] ?? 'nobody') });
const as = (user: string) => ({ headers: { 'x-user': user } });

const SLOW = textReply('slow '.repeat(100), { chunkSize: 5, chunkDelayMs: 20 });

function expectRateLimited(answer: Answer): void {
  expectRefusal(answer, 429, 'rate_limit_error');
  expect(answer.headers['retry-after']).toMatch(/^\d+$/);
}

/** Limits per user (the identity's `user`): past any, 429 with retry-after, and nothing upstream. */
describe.each(ATTACK_HOSTS)('per-user limits on %s', (host) => {
  const { start } = useRelay(host);

  it('one user asking for 100 streams at once with maxConcurrentRequests 2 has at most 2 upstream at once', async () => {
    const upstream = trackedScript(() => textReply('x'.repeat(30), { chunkSize: 1, chunkDelayMs: 20 }));
    const { port, mock } = await start(upstream.script, { authorize: byHeader, perUser: { maxConcurrentRequests: 2 } });
    const answers = await within(Promise.all(Array.from({ length: 100 }, () => send(port, { ...as('u1'), timeoutMs: 8_000 }))), 9_000, '100 streams');
    const admitted = answers.filter((answer) => answer.status === 200);
    expect(upstream.maxOpen()).toBe(2);
    expect(admitted.length).toBeGreaterThanOrEqual(2);
    expect(mock.requests).toHaveLength(admitted.length);
    // Every admitted stream completes.
    for (const answer of admitted) expect(answer.text).toContain('event: message_stop');
    for (const answer of answers.filter((each) => each.status !== 200)) expectRateLimited(answer);
  });

  it('refuses a third stream of the same user while two are open, and lets another user in', async () => {
    const { port, mock } = await start([SLOW, SLOW, textReply('for u2')], { authorize: byHeader, perUser: { maxConcurrentRequests: 2 } });
    const held = await Promise.all([openStream(port, as('u1')), openStream(port, as('u1'))]);
    expectRateLimited(await send(port, as('u1')));
    expect(mock.requests).toHaveLength(2);
    expect((await send(port, as('u2'))).status).toBe(200);
    expect(mock.requests).toHaveLength(3);
    for (const stream of held) stream.close();
  });

  it('refuses past requestsPerMinute, per user', async () => {
    const { port, mock } = await start([textReply('1'), textReply('2'), textReply('3'), textReply('u2')], { authorize: byHeader, perUser: { requestsPerMinute: 3 } });
    for (let index = 0; index < 3; index += 1) expect((await send(port, as('u1'))).status).toBe(200);
    expectRateLimited(await send(port, as('u1')));
    expectRateLimited(await send(port, { path: '/api/v1/messages', ...as('u1') }));
    expect(mock.requests).toHaveLength(3);
    expect((await send(port, as('u2'))).status).toBe(200);
    expect(mock.requests).toHaveLength(4);
  });

  it('refuses once the token budget is spent by a finished stream (input + output as reported)', async () => {
    const { port, mock } = await start([textReply('spent', { usage: { input_tokens: 60, output_tokens: 45 } }), textReply('u2')], {
      authorize: byHeader,
      perUser: { tokenBudget: { tokens: 100, perMs: 60_000 } },
    });
    expect((await send(port, as('u1'))).status).toBe(200);
    await sleep(50);
    expectRateLimited(await send(port, as('u1')));
    expect(mock.requests).toHaveLength(1);
    expect((await send(port, as('u2'))).status).toBe(200);
    expect(mock.requests).toHaveLength(2);
  });

  it('counts cache creation and cache reads in the budget', async () => {
    const usage = { input_tokens: 10, cache_creation_input_tokens: 40, cache_read_input_tokens: 40, output_tokens: 20 };
    const { port, mock } = await start([textReply('cached', { usage })], { authorize: byHeader, perUser: { tokenBudget: { tokens: 100, perMs: 60_000 } } });
    expect((await send(port, { path: '/api/v1/messages', ...as('u1') })).status).toBe(200);
    await sleep(50);
    expectRateLimited(await send(port, as('u1')));
    expect(mock.requests).toHaveLength(1);
  });

  it('counts a stream’s output once: 99 tokens of a budget of 100 leave room (the control)', async () => {
    const usage = { input_tokens: 10, cache_creation_input_tokens: 0, cache_read_input_tokens: 0, output_tokens: 89 };
    const { port, mock } = await start([textReply('just under', { usage }), textReply('again')], { authorize: byHeader, perUser: { tokenBudget: { tokens: 100, perMs: 60_000 } } });
    expect((await send(port, as('u1'))).status).toBe(200);
    await sleep(50);
    expect((await send(port, as('u1'))).status).toBe(200);
    expect(mock.requests).toHaveLength(2);
  });

  it('counts a stream the browser cut off, with the usage as far as it came (streamStore: false)', async () => {
    const cut = textReply('slow '.repeat(100), { chunkSize: 5, chunkDelayMs: 20, usage: { input_tokens: 150 } });
    const { port, mock } = await start([cut, textReply('never')], { authorize: byHeader, perUser: { tokenBudget: { tokens: 100, perMs: 60_000 } }, streamStore: false });
    const stream = await openStream(port, as('u1'));
    expect(stream.status).toBe(200);
    stream.close();
    await within((await mock.waitForRequest(0)).closed, 2_000, 'the upstream request to close');
    await sleep(100);
    expectRateLimited(await send(port, as('u1')));
    expect(mock.requests).toHaveLength(1);
  });
});
