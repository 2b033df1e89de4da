import type { IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Redis } from 'ioredis';
import { createClient } from 'rx-anthropic';
import { createProxyServer, type PerUserLimits, type ProxyLimitStore, type ProxyServer } from 'rx-anthropic/proxy';
import { redisLimitStore } from 'rx-anthropic/redis';
import { createMockServer, textReply, type MockScript, type MockServer, type RecordedRequest } from 'rx-anthropic/testing';
import { expectRefusal, openStream, params, send, SERVER_KEY, sleep, trackedScript, waitFor, within, type Answer } from '../proxy/support/attackHarness';
import { connectRedis, deleteKeys, describeWithRedis, HAS_REDIS_SERVER, startRedisServer, uniquePrefix, type OwnRedisServer } from './support/redisServer';

/**
 * The relay's per-user limits kept in Redis (`redisLimitStore`): two relay instances, each with its
 * own connection and store, in front of one mock upstream count as one; and a relay whose Redis
 * goes away refuses (503) instead of letting requests through unlimited, then recovers by itself.
 */

/** The identity is the `x-user` header (a test's stand-in for a session). */
const byHeader = (request: IncomingMessage) => ({ user: String(request.headers['x-user'] ?? 'nobody') });
const as = (user: string) => ({ headers: { 'x-user': user } });

/** About 2 s of stream: 100 chunks, 20 ms apart. */
const SLOW = textReply('slow '.repeat(100), { chunkSize: 5, chunkDelayMs: 20 });

/** A relay and its port, in front of `mock`, counting per user in `limitStore`. */
interface Relay {
  readonly proxy: ProxyServer;
  readonly port: number;
  readonly errors: unknown[];
}

/** Relays and a mock upstream made by a test, all closed after it. */
function useRelays(): { mock(script: MockScript): Promise<MockServer>; relay(mock: MockServer, limitStore: ProxyLimitStore, perUser: PerUserLimits): Promise<Relay> } {
  const open: { close(): Promise<void> }[] = [];
  afterEach(async () => {
    for (const server of open.splice(0).reverse()) await server.close();
  });
  return {
    async mock(script) {
      const mock = await createMockServer(script);
      open.push(mock);
      return mock;
    },
    async relay(mock, limitStore, perUser) {
      const errors: unknown[] = [];
      const proxy = await createProxyServer({
        client: createClient({ apiKey: SERVER_KEY, baseURL: mock.baseURL, maxRetries: 0 }),
        authorize: byHeader,
        perUser,
        limitStore,
        onError: (error) => void errors.push(error),
      });
      open.push(proxy);
      return { proxy, port: (proxy.server.address() as AddressInfo).port, errors };
    },
  };
}

function expectRateLimited(answer: Answer): void {
  expectRefusal(answer, 429, 'rate_limit_error');
  expect(answer.headers['retry-after']).toMatch(/^\d+$/);
}

describeWithRedis('two relays sharing redisLimitStore', () => {
  const relays = useRelays();
  const connections: Redis[] = [];
  let prefix: string;
  /** A store of its own, on a connection of its own, as each relay instance has. */
  const ownStore = (): ProxyLimitStore => {
    const connection = connectRedis();
    connections.push(connection);
    return redisLimitStore(connection, { prefix });
  };
  beforeEach(() => {
    prefix = uniquePrefix('relay');
  });
  afterEach(async () => {
    const [first] = connections;
    if (first) await deleteKeys(first, prefix);
    await Promise.all(connections.splice(0).map((connection) => connection.quit()));
  });

  it('holds one user to maxConcurrentRequests 2 across both: 40 streams at once, at most 2 upstream', async () => {
    const upstream = trackedScript(() => textReply('x'.repeat(30), { chunkSize: 1, chunkDelayMs: 20 }));
    const mock = await relays.mock(upstream.script);
    const perUser = { maxConcurrentRequests: 2 };
    const [one, two] = [await relays.relay(mock, ownStore(), perUser), await relays.relay(mock, ownStore(), perUser)];
    const answers = await within(
      Promise.all(Array.from({ length: 40 }, (_, index) => send((index % 2 === 0 ? one : two).port, { ...as('u1'), timeoutMs: 8_000 }))),
      9_000,
      '40 streams through two relays to be answered',
    );
    const admitted = answers.filter((answer) => answer.status === 200);
    expect(upstream.maxOpen()).toBe(2);
    expect(admitted.length).toBeGreaterThanOrEqual(2);
    expect(mock.requests).toHaveLength(admitted.length);
    for (const answer of admitted) expect(answer.text).toContain('event: message_stop');
    for (const answer of answers.filter((each) => each.status !== 200)) expectRateLimited(answer);
    expect([...one.errors, ...two.errors]).toEqual([]);
  });

  it('refuses a third stream on either relay while the user holds one on each, and lets another user in', async () => {
    const mock = await relays.mock([SLOW, SLOW, textReply('for u2')]);
    const perUser = { maxConcurrentRequests: 2 };
    const [one, two] = [await relays.relay(mock, ownStore(), perUser), await relays.relay(mock, ownStore(), perUser)];
    const held = [await openStream(one.port, as('u1')), await openStream(two.port, as('u1'))];
    try {
      expect(held.map((stream) => stream.status)).toEqual([200, 200]);
      expectRateLimited(await send(one.port, as('u1')));
      expectRateLimited(await send(two.port, as('u1')));
      expect(mock.requests).toHaveLength(2);
      expect((await send(two.port, as('u2'))).status).toBe(200);
      expect(mock.requests).toHaveLength(3);
    } finally {
      for (const stream of held) stream.close();
    }
  });

  it('counts requestsPerMinute across both relays', async () => {
    const mock = await relays.mock([textReply('1'), textReply('2'), textReply('3'), textReply('u2')]);
    const perUser = { requestsPerMinute: 3 };
    const [one, two] = [await relays.relay(mock, ownStore(), perUser), await relays.relay(mock, ownStore(), perUser)];
    expect((await send(one.port, as('u1'))).status).toBe(200);
    expect((await send(two.port, as('u1'))).status).toBe(200);
    expect((await send(one.port, as('u1'))).status).toBe(200);
    expectRateLimited(await send(two.port, as('u1')));
    expectRateLimited(await send(one.port, as('u1')));
    expect(mock.requests).toHaveLength(3);
    expect((await send(two.port, as('u2'))).status).toBe(200);
  });
});

(HAS_REDIS_SERVER ? describeWithRedis : describe.skip)('a relay whose Redis goes down', () => {
  const relays = useRelays();
  let server: OwnRedisServer;
  let connection: Redis;
  const perUser = { maxConcurrentRequests: 2, requestsPerMinute: 100, tokenBudget: { tokens: 1_000_000, perMs: 60_000 } };
  /** The mock's answer: about 2 s of stream for a message that says `slow`, a short one otherwise. */
  const slowOrFine = (request: RecordedRequest) => ((request.body as typeof params).messages[0]?.content === 'slow' ? SLOW : textReply('fine'));
  const slow = { body: { ...params, messages: [{ role: 'user', content: 'slow' }] } };

  beforeAll(async () => {
    server = await startRedisServer();
    // Fails fast while Redis is away (a queued command waits for two tries to reconnect at most), retries at least every 500 ms.
    connection = new Redis(server.url, { maxRetriesPerRequest: 1, retryStrategy: (times) => Math.min(times * 50, 500) });
    connection.on('error', () => undefined);
  });
  beforeEach(async () => {
    // A test that failed may have left it stopped.
    if ((await connection.ping().catch(() => 'down')) !== 'PONG') await server.start();
  });
  afterAll(async () => {
    connection.disconnect();
    await server.dispose();
  });

  it('answers 503 overloaded_error, sending nothing upstream and telling onError, then admits requests again once Redis is back', async () => {
    const mock = await relays.mock(slowOrFine);
    const relay = await relays.relay(mock, redisLimitStore(connection, { prefix: uniquePrefix('down'), leaseMs: 1_000 }), perUser);
    expect((await send(relay.port, as('u1'))).status).toBe(200);
    expect(mock.requests).toHaveLength(1);

    await server.stop(true);
    for (const path of ['/api/messages', '/api/v1/messages']) {
      const answer = await send(relay.port, { ...as('u1'), path });
      const body = expectRefusal(answer, 503, 'overloaded_error');
      expect(body.error.message).toMatch(/limit store is unavailable/);
      expect(answer.headers['retry-after']).toBe('1');
    }
    expect(mock.requests).toHaveLength(1);
    expect(relay.errors.length).toBeGreaterThanOrEqual(2);
    for (const error of relay.errors) expect(error).toBeInstanceOf(Error);

    // Back, empty (nothing was saved), without the relay's scripts: no restart of the relay.
    await server.start();
    let last = 'none yet';
    for (const deadline = Date.now() + 15_000; !last.startsWith('200 '); await sleep(200)) {
      if (Date.now() > deadline) throw new Error(`the relay did not admit a request within 15 s of Redis restarting; its last answer: ${last}`);
      const answer = await send(relay.port, as('u1'));
      last = `${answer.status} ${answer.text.slice(0, 200)}`;
    }
    expect(mock.requests).toHaveLength(2);
    // And the limits hold again.
    const held = [await openStream(relay.port, { ...as('u1'), ...slow }), await openStream(relay.port, { ...as('u1'), ...slow })];
    try {
      expectRefusal(await send(relay.port, as('u1')), 429, 'rate_limit_error');
      expect(mock.requests).toHaveLength(4);
    } finally {
      for (const stream of held) stream.close();
    }
  }, 40_000);

  it('lets a stream admitted before Redis went down run to its end, its failed renewals and release told to onError', async () => {
    const mock = await relays.mock(slowOrFine);
    // Renewed every 100 ms: a ~2 s stream renews some 20 times.
    const relay = await relays.relay(mock, redisLimitStore(connection, { prefix: uniquePrefix('mid-stream'), leaseMs: 300 }), perUser);
    const answer = send(relay.port, { ...as('u1'), ...slow, timeoutMs: 8_000 });
    await within(mock.waitForRequest(0), 5_000, 'the stream to reach the upstream');
    await server.stop(true);
    const streamed = await answer;
    expect({ status: streamed.status, complete: streamed.complete }).toEqual({ status: 200, complete: true });
    expect(streamed.text).toContain('event: message_stop');
    expect(streamed.text).not.toContain('event: error');
    await waitFor(() => relay.errors.length > 0, 'onError to hear a failed renewal', 5_000);
    for (const error of relay.errors) expect(error).toBeInstanceOf(Error);
  }, 20_000);
});
