/**
 * One client process of `redisRequestLimiter.spec.ts`:
 *
 *   node --import tsx spec/redis/support/limitedClient.ts <redisURL> <prefix> <key> <count> <baseURL> <label> [leaseMs]
 *
 * Builds a client limited by `redisRequestLimiter(redis, { key, prefix, maxConcurrentRequests: 4, leaseMs })`,
 * prints `{"type":"ready"}`, waits for a line `go` on stdin, then streams `count` requests at once
 * (each asking `<label>#<n>`). It prints one JSON line per request as it ends (`done` or `failed`,
 * with the time) and `{"type":"finished","ok":…,"failed":…}` at the end, then exits.
 */
import { createInterface } from 'node:readline';
import { Redis } from 'ioredis';
import { lastValueFrom, mergeMap, range, toArray, catchError, map, of } from 'rxjs';
import { createClient } from '../../../lib/client';
import { finalText } from '../../../lib/operators';
import { redisRequestLimiter } from '../../../lib/redis/redisRequestLimiter';

const [redisURL, prefix, key, countText, baseURL, label, leaseText] = process.argv.slice(2);
if (!redisURL || prefix === undefined || !key || !countText || !baseURL || !label) {
  console.error('usage: limitedClient.ts <redisURL> <prefix> <key> <count> <baseURL> <label> [leaseMs]');
  process.exit(2);
}

const report = (line: Record<string, unknown>): void => {
  process.stdout.write(`${JSON.stringify({ ...line, at: Date.now() })}\n`);
};

async function main(): Promise<void> {
  const redis = new Redis(redisURL!, { maxRetriesPerRequest: 1 });
  const limiter = redisRequestLimiter(redis, { key: key!, prefix: prefix!, maxConcurrentRequests: 4, ...(leaseText ? { leaseMs: Number(leaseText) } : {}) });
  const client = createClient({ apiKey: 'test', baseURL: baseURL!, limiter });
  await redis.ping();
  report({ type: 'ready' });
  const lines = createInterface({ input: process.stdin });
  await new Promise<void>((resolve) => lines.once('line', () => resolve()));
  lines.close();

  const results = await lastValueFrom(
    range(0, Number(countText)).pipe(
      mergeMap((n) =>
        client.messages.stream({ model: 'claude-test', max_tokens: 16, messages: [{ role: 'user', content: `${label}#${n}` }] }).pipe(
          finalText(),
          map((text) => {
            report({ type: 'done', n, text });
            return true;
          }),
          catchError((error: unknown) => {
            report({ type: 'failed', n, error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) });
            return of(false);
          }),
        ),
      ),
      toArray(),
    ),
  );
  report({ type: 'finished', ok: results.filter(Boolean).length, failed: results.filter((ok) => !ok).length });
  await redis.quit();
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    report({ type: 'crashed', error: String(error) });
    process.exit(1);
  },
);
