import { spawn, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import type { Redis } from 'ioredis';
import { createClient } from 'rx-anthropic';
import { createProxyServer, type ProxyServer } from 'rx-anthropic/proxy';
import { createMockServer, textReply, type MockServer, type MockTurn } from 'rx-anthropic/testing';
import { redisStreamStore } from '../../lib/redis';
import { within } from '../proxy/support/attackHarness';
import { cutStream, framesOf, idsOf, resume, seeded, stop, wholeFrames, wholeStream } from '../proxy/support/streamHarness';
import { connectRedis, deleteKeys, describeWithRedis, REDIS_URL, uniquePrefix } from './support/redisServer';

const STEADY: MockTurn = { ...textReply('The quick brown fox jumps over the lazy dog. '.repeat(4), { id: 'msg_fixed', chunkSize: 5, chunkDelayMs: 2 }), splitBytes: 97 };
const SLOW: MockTurn = textReply('slow '.repeat(40), { id: 'msg_slow', chunkSize: 5, chunkDelayMs: 40 });
const HOLDER_GONE = 'event: error\ndata: {"type":"error","error":{"type":"api_error","message":"The relay instance that held this stream stopped before it ended."}}\n\n';

describeWithRedis('resumable streams across two relays sharing redisStreamStore', () => {
  let redis: Redis;
  let prefix: string;
  const open: { close(): Promise<void> }[] = [];
  beforeAll(() => {
    redis = connectRedis();
  });
  beforeEach(() => {
    prefix = uniquePrefix('resume');
  });
  afterEach(async () => {
    for (const server of open.splice(0).reverse()) await server.close();
    await deleteKeys(redis, prefix);
  });
  afterAll(async () => {
    await redis.quit();
  });

  /** One mock upstream (with `script`) and two relays in front of it, sharing the store. */
  async function twoRelays(script: MockTurn[] | (() => MockTurn), leaseMs = 30_000): Promise<{ mock: MockServer; first: ProxyServer; second: ProxyServer }> {
    const mock = await createMockServer(script);
    open.push(mock);
    const relay = async (): Promise<ProxyServer> => {
      const proxy = await createProxyServer({
        client: createClient({ apiKey: 'sk-ant-server', baseURL: mock.baseURL, maxRetries: 0 }),
        authorize: (request) => (typeof request.headers['x-user'] === 'string' ? { user: request.headers['x-user'] } : false),
        streamStore: redisStreamStore(redis, { prefix, leaseMs }),
      });
      open.push(proxy);
      return proxy;
    };
    return { mock, first: await relay(), second: await relay() };
  }

  const u1 = { 'x-user': 'u1' };

  it('resumes on the other relay after 10 cuts at seeded random bytes: byte-identical to the uncut stream', async () => {
    const { first, second } = await twoRelays(() => STEADY);
    const reference = (await wholeStream(first.url, u1)).text;
    expect(idsOf(reference)).toEqual(Array.from({ length: framesOf(reference).length }, (_, index) => index + 1));
    const random = seeded(7_919);
    for (let cut = 0; cut < 10; cut += 1) {
      const cutAt = 1 + Math.floor(random() * (Buffer.byteLength(reference) - 2));
      const dropped = await cutStream(first.url, cutAt, u1);
      const kept = wholeFrames(dropped.received);
      const rest = await resume(second.url, dropped.id, kept.lastId, u1);
      expect({ cutAt, status: rest.status }).toEqual({ cutAt, status: 200 });
      expect(kept.text + rest.text).toBe(reference);
    }
  });

  it('a resume on the other relay before the end goes live and ends with the stream', async () => {
    const { mock, first, second } = await twoRelays([SLOW]);
    const dropped = await cutStream(first.url, 600, u1);
    const kept = wholeFrames(dropped.received);
    const upstream = await mock.waitForRequest(0);
    const rest = await resume(second.url, dropped.id, kept.lastId, u1);
    expect(upstream.completed).toBe(true);
    expect(upstream.abortedByClient).toBe(false);
    const all = kept.text + rest.text;
    expect(idsOf(all)).toEqual(Array.from({ length: framesOf(all).length }, (_, index) => index + 1));
    expect(all.trimEnd().endsWith('data: {"type":"message_stop"}')).toBe(true);
  });

  it('DELETE on the other relay aborts the upstream request on the first; another user’s DELETE there stops nothing (404)', async () => {
    const { mock, first, second } = await twoRelays([SLOW]);
    const dropped = await cutStream(first.url, 300, u1);
    const upstream = await mock.waitForRequest(0);
    const refused = await stop(second.url, dropped.id, { 'x-user': 'u2' });
    expect(refused.status).toBe(404);
    expect(upstream.completed).toBe(false);
    const started = Date.now();
    expect((await stop(second.url, dropped.id, u1)).status).toBe(204);
    await within(upstream.closed, 2_000, 'the first relay to abort its upstream request');
    expect(upstream.abortedByClient).toBe(true);
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it('a relay killed mid-stream (SIGKILL): a reader on the other relay gets the frames kept, then the error frame, within the lease', async () => {
    const leaseMs = 900;
    const { second } = await twoRelays([], leaseMs);
    const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, 'support', 'streamingRelay.ts'), REDIS_URL ?? '', prefix, String(leaseMs)], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    try {
      const childURL = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`the child relay did not print "listening" within 15 s (stderr: ${stderr})`)), 15_000);
        let stdout = '';
        child.stdout?.on('data', (chunk: Buffer) => {
          stdout += chunk.toString();
          const match = /listening (\S+)\n/.exec(stdout);
          if (match) {
            clearTimeout(timer);
            resolve(match[1] as string);
          }
        });
        child.once('exit', (code) => {
          clearTimeout(timer);
          reject(new Error(`the child relay exited (${code}) before listening: ${stderr}`));
        });
      });
      const dropped = await cutStream(childURL, 2_000, u1);
      const kept = wholeFrames(dropped.received);
      // Outlive a lease first: alive, the child renews, and nobody ends its stream.
      await new Promise((resolve) => setTimeout(resolve, 1.5 * leaseMs));
      child.kill('SIGKILL');
      await exited;
      const killedAt = Date.now();
      const rest = await resume(second.url, dropped.id, kept.lastId, u1, 4 * leaseMs + 5_000);
      const endedAfterMs = Date.now() - killedAt;
      expect(rest.status).toBe(200);
      const frames = framesOf(kept.text + rest.text);
      expect(idsOf(kept.text + rest.text)).toEqual(Array.from({ length: frames.length }, (_, index) => index + 1));
      expect(frames.length).toBeGreaterThan(kept.lastId + 10);
      expect(frames[frames.length - 1]).toBe(`id: ${frames.length}\n${HOLDER_GONE}`);
      expect(frames.filter((frame) => frame.includes('event: error'))).toHaveLength(1);
      // Within the lease, and the reader's look every third of it.
      expect(endedAfterMs).toBeLessThan(leaseMs + leaseMs / 3 + 500);
      // A second reader gets the same end, not a second error frame.
      expect((await resume(second.url, dropped.id, kept.lastId, u1)).text).toBe(rest.text);
    } finally {
      child.kill('SIGKILL');
      await exited;
    }
  });
});
