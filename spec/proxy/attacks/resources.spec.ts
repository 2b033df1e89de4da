import { textReply } from 'rx-anthropic/testing';
import { ATTACK_HOSTS, connectionsOf, dripBody, expectRefusal, openStream, params, rawExchange, send, sleep, useRelay } from '../support/attackHarness';

const SLOW = textReply('slow '.repeat(100), { chunkSize: 5, chunkDelayMs: 20 });

/** Nothing unbounded: body size, body time, requests held at once. */
describe.each(ATTACK_HOSTS)('resources on %s', (host) => {
  const { start } = useRelay(host);

  it('refuses a body over the default maxBodyBytes (1 MiB) with 413 request_too_large, nothing upstream', async () => {
    const { port, mock } = await start([textReply('never')], { authorize: 'anyone' });
    const body = { ...params, messages: [{ role: 'user', content: 'x'.repeat(1024 * 1024 + 1024) }] };
    expectRefusal(await send(port, { body }), 413, 'request_too_large');
    expect(mock.requests).toHaveLength(0);
  });

  it('refuses 12 parallel bodies announcing 30 MiB at once, without waiting for them', async () => {
    const { port, mock } = await start([textReply('never')], { authorize: 'anyone' });
    const head = `POST /api/messages HTTP/1.1\r\nhost: 127.0.0.1:${port}\r\ncontent-type: application/json\r\ncontent-length: ${30 * 1024 * 1024}\r\n\r\n`;
    const answers = await Promise.all(Array.from({ length: 12 }, () => rawExchange(port, `${head}{"model":"${'x'.repeat(64 * 1024)}`, 2_000)));
    for (const answer of answers) {
      expect(answer.status).toBe(413);
      expect(answer.text).toContain('request_too_large');
      expect(answer.closedByServer).toBe(true);
    }
    expect(mock.requests).toHaveLength(0);
  });

  it('answers a body that drips past bodyTimeoutMs with 408 timeout_error, and closes the connection', async () => {
    const { port, mock } = await start([textReply('never')], { authorize: 'anyone', bodyTimeoutMs: 300 });
    const answer = await dripBody(port, { intervalMs: 25, capMs: 2_000 });
    expect(answer.status).toBe(408);
    expect(answer.text).toContain('timeout_error');
    expect(answer.closedByServer).toBe(true);
    expect(answer.elapsedMs).toBeLessThan(1_500);
    expect(mock.requests).toHaveLength(0);
  });

  it('holds none of 50 slow bodies after the timeout', async () => {
    const { port, mock, proxy } = await start([textReply('never')], { authorize: 'anyone', bodyTimeoutMs: 300 });
    const answers = await Promise.all(Array.from({ length: 50 }, () => dripBody(port, { intervalMs: 50, capMs: 2_500 })));
    expect(answers.map((answer) => answer.status)).toEqual(answers.map(() => 408));
    expect(answers.every((answer) => answer.closedByServer)).toBe(true);
    // The sockets are gone on the relay's side too, not only answered.
    const deadline = Date.now() + 1_000;
    let open = await connectionsOf(proxy.server);
    while (open > 0 && Date.now() < deadline) {
      await sleep(20);
      open = await connectionsOf(proxy.server);
    }
    expect(open).toBe(0);
    expect(mock.requests).toHaveLength(0);
  });

  it('answers 503 overloaded_error with retry-after past maxConcurrentRequests (streams held), sending nothing more upstream', async () => {
    const { port, mock } = await start([SLOW, SLOW, textReply('never')], { authorize: 'anyone', maxConcurrentRequests: 2 });
    const held = await Promise.all([openStream(port), openStream(port)]);
    expect(held.map((stream) => stream.status)).toEqual([200, 200]);
    const answer = await send(port);
    expectRefusal(answer, 503, 'overloaded_error');
    expect(answer.headers['retry-after']).toMatch(/^\d+$/);
    expect(mock.requests).toHaveLength(2);
    for (const stream of held) stream.close();
  });

  it('counts requests still sending their body: two slow bodies fill maxConcurrentRequests 2', async () => {
    const { port, mock } = await start([textReply('never')], { authorize: 'anyone', maxConcurrentRequests: 2, bodyTimeoutMs: 5_000 });
    const drips = [dripBody(port, { capMs: 700 }), dripBody(port, { capMs: 700 })];
    await sleep(150);
    const answer = await send(port);
    expectRefusal(answer, 503, 'overloaded_error');
    expect(answer.headers['retry-after']).toMatch(/^\d+$/);
    await Promise.all(drips);
    expect(mock.requests).toHaveLength(0);
  });
});
