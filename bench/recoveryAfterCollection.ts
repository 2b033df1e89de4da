/**
 * What the recovery options cost right after a full collection, measured in pairs in one process:
 * `rx-events` and `rx-events-recovery` (bench/implementations) read one workload of the
 * benchmark's server in turn, each run after a `gc()` and then once more warm, so that the two
 * differences (after a collection, and warm) are each a median of differences taken under the same
 * load. The full benchmark measures each implementation in a process of its own, with three runs
 * after a collection each; this gives a steadier figure for a change to the recoveries.
 *
 * ```sh
 * npm run build
 * TSX_TSCONFIG_PATH=bench/tsconfig.dist.json NODE_ENV=production node --expose-gc --import tsx bench/recoveryAfterCollection.ts text 20
 * STREAMS=1000 … bench/recoveryAfterCollection.ts many 8   # 1,000 concurrent streams a run
 * ```
 */
import { performance } from 'node:perf_hooks';
import { IMPLEMENTATIONS } from './implementations';
import type { ServerMessage } from './server';
import { spawnTs } from './spawnTs';

const [workload = 'text', roundsArgument = '20'] = process.argv.slice(2);
const rounds = Number(roundsArgument);
const streams = Number(process.env['STREAMS'] ?? 1);
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with node --expose-gc');

const server = spawnTs('server.ts', { quick: false, workloads: [workload], chunkBytes: 16_384 });
const port = await new Promise<number>((resolve) => server.on('message', (message: ServerMessage) => message.type === 'listening' && resolve(message.port)));
const url = `http://127.0.0.1:${port}/w/${workload}`;

async function consumerOf(id: string): Promise<() => Promise<unknown>> {
  const implementation = IMPLEMENTATIONS.find((candidate) => candidate.id === id);
  if (!implementation) throw new Error(`unknown implementation ${id}`);
  const consume = (await implementation.load())(url);
  return () => (streams === 1 ? consume() : Promise.all(Array.from({ length: streams }, () => consume())));
}

const plain = await consumerOf('rx-events');
const recovering = await consumerOf('rx-events-recovery');
const timed = async (run: () => Promise<unknown>): Promise<number> => {
  const start = performance.now();
  await run();
  return performance.now() - start;
};

for (let warmup = 0; warmup < 10; warmup++) {
  await plain();
  await recovering();
}
const afterCollection: Array<[number, number]> = [];
const warm: Array<[number, number]> = [];
for (let round = 0; round < rounds; round++) {
  const pair: number[] = [];
  const warmPair: number[] = [];
  for (const run of [plain, recovering]) {
    gc();
    pair.push(await timed(run));
    await run();
    warmPair.push(await timed(run));
  }
  afterCollection.push(pair as [number, number]);
  warm.push(warmPair as [number, number]);
}

const median = (values: readonly number[]): number => [...values].sort((a, b) => a - b)[values.length >> 1] as number;
const line = (label: string, pairs: ReadonlyArray<[number, number]>): string =>
  `${label}: rx-events ${median(pairs.map(([a]) => a)).toFixed(1)} ms, rx-events-recovery ${median(pairs.map(([, b]) => b)).toFixed(1)} ms, median difference ${median(pairs.map(([a, b]) => b - a)).toFixed(1)} ms`;
console.log(`${workload}${streams > 1 ? ` (${streams} streams a run)` : ''}, ${rounds} rounds`);
console.log(line('after a collection', afterCollection));
console.log(line('warm', warm));
server.kill();
process.exit(0);
