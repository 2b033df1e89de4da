import { lastValueFrom, toArray } from 'rxjs';
import { answers, runConcurrentExample } from '../../examples/concurrent';

describe('examples/concurrent.ts', () => {
  it('runs the three parts offline against the mock server', async () => {
    const lines = (await lastValueFrom(runConcurrentExample().pipe(toArray()))).join('').split('\n');

    // Part 1: every stream's text arrives whole under its own key, whatever the interleaving.
    for (const [key, text] of Object.entries(answers)) {
      const deltas = lines.filter((line) => line.startsWith(`[${key}] "`)).map((line) => JSON.parse(line.slice(key.length + 3)) as string);
      expect(deltas.join('')).toBe(text);
      expect(lines).toContain(`[${key}] message_stop`);
    }
    expect(lines).toContain('usage: 28 in + 1200 cache read, 38 out, 3 messages, $0.001014 at $3/$15 per MTok (haiku 18 out)');

    // Part 2: the third stream waits for a place (maxConcurrentRequests: 2); the last record is the final state.
    const records = lines.slice(lines.indexOf('== combineSnapshots(streams, { throttle: 40 }) on createClient({ maxConcurrentRequests: 2 })') + 1);
    expect(records[0]).toContain('fact (waiting)');
    expect(records).toContain('haiku 72 chars, done | limerick 35 chars, done | fact 43 chars, done');

    // Part 3: estimated tokens while streaming, the API's count at the end.
    const figures = lines.slice(lines.indexOf('== streamMetrics() on the haiku stream') + 1).filter(Boolean);
    expect(figures.some((line) => line.includes('(estimated)'))).toBe(true);
    expect(figures[figures.length - 1]).toMatch(/^ *\d+ ms {2}ttft \d+ ms {2}18 tokens {2}\d+ tokens\/s {2}done$/);
  });
});
