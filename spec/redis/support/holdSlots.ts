/**
 * A relay's part in the crash test of `redisLimitStore.spec.ts`, run as a process of its own:
 * `node --import tsx holdSlots.ts <redisUrl> <prefix> <leaseMs> <key> <count>` takes `count` slots
 * of `key` (limit `count`), renews them every third of `leaseMs` as the relay does, prints
 * `held <lease> …` once it has them all, and waits to be killed.
 */
import { Redis } from 'ioredis';
import { redisLimitStore } from '../../../lib/redis/redisLimitStore';

const [url, prefix, leaseMs, key, count] = process.argv.slice(2);
if (!url || prefix === undefined || !leaseMs || !key || !count) {
  process.stderr.write('usage: holdSlots.ts <redisUrl> <prefix> <leaseMs> <key> <count>\n');
  process.exit(2);
}

const redis = new Redis(url, { maxRetriesPerRequest: 1 });
const store = redisLimitStore(redis, { prefix, leaseMs: Number(leaseMs) });
const leases: string[] = [];
for (let index = 0; index < Number(count); index += 1) {
  const grant = await store.acquireSlot(key, Number(count));
  if (!grant.granted) {
    process.stderr.write(`slot ${index + 1} of ${count} refused: ${JSON.stringify(grant)}\n`);
    process.exit(1);
  }
  leases.push(grant.lease);
}
setInterval(() => {
  for (const lease of leases) {
    store.renewSlot(key, lease).then(
      (renewed) => renewed || process.stderr.write(`lease ${lease} had expired before its renewal\n`),
      (error: unknown) => process.stderr.write(`renewal failed: ${String(error)}\n`),
    );
  }
}, Number(leaseMs) / 3);
process.stdout.write(`held ${leases.join(' ')}\n`);
