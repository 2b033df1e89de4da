/**
 * What the recovery wrappers cost per stream, without HTTP: 2,000 streams of 25 in-memory events
 * (each stream's events a macrotask later, as from a socket) through `applyRecoveries` with each
 * option alone and all of them, against none; the median of 10 rounds after 2 warm-up rounds.
 * `npx tsx bench/recoveryWrapCost.ts lib` measures the sources as the bench's children load them
 * (through tsx, whose esbuild transform names every function with a `__name` call); `dist` (after
 * `npm run build`) the built package, as an application runs it.
 */
import { asyncScheduler, from, lastValueFrom, mergeMap, range, toArray, type Observable } from 'rxjs';
import type { RawMessageStreamEvent } from '../lib/schema';
import type { RecoveryOptions } from '../lib/recovery/RecoveryOptions';
import type { applyRecoveries as ApplyRecoveries } from '../lib/recovery/applyRecoveries';
import type { recoveryContext as RecoveryContextOf } from '../lib/recovery/RecoveryContext';

const source = process.argv[2] === 'dist' ? 'dist' : 'lib';
const extension = source === 'dist' ? 'js' : 'ts';
const root = source === 'dist' ? '../dist/esm' : '../lib';
const { applyRecoveries } = (await import(`${root}/recovery/applyRecoveries.${extension}`)) as { applyRecoveries: typeof ApplyRecoveries };
const { recoveryContext } = (await import(`${root}/recovery/RecoveryContext.${extension}`)) as { recoveryContext: typeof RecoveryContextOf };

const events = [
  { type: 'message_start', message: { id: 'm', type: 'message', role: 'assistant', model: 'x', content: [], stop_reason: null, stop_sequence: null, usage: { input_tokens: 1, output_tokens: 1 } } },
  { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } },
  ...Array.from({ length: 20 }, () => ({ type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'word ' } })),
  { type: 'content_block_stop', index: 0 },
  { type: 'message_delta', delta: { stop_reason: 'end_turn', stop_sequence: null }, usage: { output_tokens: 20 } },
  { type: 'message_stop' },
] as unknown as RawMessageStreamEvent[];
const send = (): Observable<RawMessageStreamEvent> => from(new Promise<RawMessageStreamEvent[]>((resolve) => setImmediate(() => resolve(events)))).pipe(mergeMap((list) => list));
const phases = { firstTokenMs: 60_000, idleMs: 60_000, totalMs: 600_000 };
const SUBSETS: Record<string, RecoveryOptions> = {
  none: {},
  continueOnDrop: { continueOnDrop: 3 },
  fallback: { fallback: { models: ['y'] } },
  hedge: { hedge: { afterMs: 60_000 } },
  timeouts: { timeout: phases },
  all: { continueOnDrop: 3, fallback: { models: ['y'] }, hedge: { afterMs: 60_000 }, timeout: phases },
};
const params = { model: 'x', max_tokens: 1, messages: [] } as never;
const STREAMS = 2000;
const times: Record<string, number[]> = {};
for (let round = 0; round < 12; round++) {
  for (const [name, options] of Object.entries(SUBSETS)) {
    const started = performance.now();
    await lastValueFrom(range(0, STREAMS).pipe(mergeMap(() => applyRecoveries(send, recoveryContext({}, options, asyncScheduler, undefined))(params)), toArray()));
    if (round >= 2) (times[name] ??= []).push(performance.now() - started);
  }
}
const median = (list: number[]) => [...list].sort((a, b) => a - b)[Math.floor(list.length / 2)]!;
const none = median(times['none']!);
console.log(`${source}: ${STREAMS} streams, median of ${times['none']!.length} rounds`);
for (const [name, list] of Object.entries(times)) {
  const extra = name === 'none' ? '' : `, +${(((median(list) - none) * 1000) / STREAMS).toFixed(1)} µs per stream`;
  console.log(`  ${name.padEnd(15)} ${median(list).toFixed(1)} ms${extra}`);
}
