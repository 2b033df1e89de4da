/**
 * A relay instance of `resumeAcrossRelays.spec.ts`, run as a process of its own so that the spec
 * can kill it (SIGKILL) mid-stream: `node --import tsx streamingRelay.ts <redisUrl> <prefix> <leaseMs>`
 * starts a slow mock upstream and a relay in front of it with `redisStreamStore`, prints
 * `listening <url>`, and relays until it is killed.
 */
import { Redis } from 'ioredis';
import { createClient } from '../../../lib/index';
import { createProxyServer } from '../../../lib/proxy/index';
import { redisStreamStore } from '../../../lib/redis/index';
import { createMockServer, textReply } from '../../../lib/testing/index';

const [url, prefix, leaseMs] = process.argv.slice(2);
if (!url || prefix === undefined || !leaseMs) {
  process.stderr.write('usage: streamingRelay.ts <redisUrl> <prefix> <leaseMs>\n');
  process.exit(2);
}

const redis = new Redis(url, { maxRetriesPerRequest: 1 });
// About 10 s of events: the spec kills the relay long before their end.
const mock = await createMockServer(() => textReply('long '.repeat(250), { chunkSize: 5, chunkDelayMs: 40 }), { keepProcessAlive: true });
const proxy = await createProxyServer({
  client: createClient({ apiKey: 'sk-ant-child', baseURL: mock.baseURL, maxRetries: 0 }),
  // As the spec's own relays: the user names itself in x-user, so that both see the same owner.
  authorize: (request) => (typeof request.headers['x-user'] === 'string' ? { user: request.headers['x-user'] } : false),
  streamStore: redisStreamStore(redis, { prefix, leaseMs: Number(leaseMs) }),
});
process.stdout.write(`listening ${proxy.url}\n`);
