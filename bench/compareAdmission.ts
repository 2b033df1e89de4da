/**
 * The relay's admission of a request under per-user limits on Redis (`admitUser` with
 * `redisLimitStore()`), in two checkouts of the library, alternated request by request in one
 * process: the time from asking to the answer, its p50, p90, p99 and largest. Each admission takes
 * a slot, checks a budget and counts a window; the slot is given back and tokens added to the
 * budget after each, as a relayed request does. Needs `REDIS_URL`; its keys go under a prefix of
 * their own, deleted at the end.
 *
 * ```sh
 * git archive HEAD lib | tar -x -C /tmp/before
 * REDIS_URL=redis://127.0.0.1:6379 NODE_PATH=node_modules node --import tsx bench/compareAdmission.ts /tmp/before . 2000
 * ```
 */
import * as path from 'node:path';
import { Redis } from 'ioredis';
import { percentile } from './report/stores';

const WARMUP = 100;
const LIMITS = { maxConcurrentRequests: 1000, requestsPerMinute: 1_000_000, tokenBudget: { tokens: 1e12, perMs: 60_000 } };

async function main(): Promise<void> {
  const [beforeRoot, afterRoot, count = '2000'] = process.argv.slice(2);
  const url = process.env['REDIS_URL'];
  if (!beforeRoot || !afterRoot || !url) throw new Error('usage: REDIS_URL=… node --import tsx bench/compareAdmission.ts <checkout A> <checkout B> [requests]');
  const requests = Number(count);
  const prefix = `rx-bench-admission:${process.pid}:`;
  const sides = await Promise.all(
    [beforeRoot, afterRoot].map(async (root, index) => {
      const lib = path.resolve(root, 'lib');
      const { admitUser } = (await import(path.join(lib, 'proxy/admitUser.ts'))) as typeof import('../lib/proxy/admitUser');
      const { redisLimitStore } = (await import(path.join(lib, 'redis/redisLimitStore.ts'))) as typeof import('../lib/redis/redisLimitStore');
      const redis = new Redis(url);
      return { root, admitUser, redis, store: redisLimitStore(redis, { prefix: `${prefix}${index}:` }), times: [] as number[] };
    }),
  );
  try {
    for (let round = 0; round < WARMUP + requests; round++) {
      for (const side of sides) {
        const started = performance.now();
        const admission = await side.admitUser(side.store, LIMITS, 'user:bench', (error) => console.error(error));
        const ms = performance.now() - started;
        admission.release();
        await side.store.addToBudget('budget:user:bench', 10, LIMITS.tokenBudget.perMs);
        if (round >= WARMUP) side.times.push(ms);
      }
    }
    for (const side of sides) {
      const at = (p: number): string => percentile(side.times, p).toFixed(3);
      console.log(`${side.root}: ${requests} admissions, p50 ${at(50)} ms, p90 ${at(90)} ms, p99 ${at(99)} ms, max ${Math.max(...side.times).toFixed(2)} ms`);
    }
  } finally {
    const cleaner = sides[0]!.redis;
    const keys = await cleaner.keys(`${prefix}*`);
    if (keys.length > 0) await cleaner.del(...keys);
    for (const side of sides) side.redis.disconnect();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
