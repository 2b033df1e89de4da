/**
 * Compares two checkouts of the library in one process, their runs alternated, so that a change
 * of the machine's load slows both alike: the ratio of their medians survives a noisy machine
 * that the loopback benchmark's ratios do not. No network: the workload's SSE bytes, cut into
 * 16 KiB chunks, go through each checkout's `fromSSE()` and `decodeEvents()`, then its operators.
 *
 *     node --import tsx bench/compare.ts <checkout A> <checkout B> [workload] [pipeline] [runs]
 *
 * A checkout is a directory with the library's `lib/` (a copy of an older commit, say
 * `git archive <rev> lib | tar -x -C /tmp/before`). Workloads: text, thinking, tool-50k …
 * tool-400k, nested-200k, nested-400k, mixed, many (one stream of the `many` workload). Pipelines: raw (no operator), events (the benchmark's
 * rx-events: `messageStreamEvents()`, every snapshot read, `finalMessage()`), final
 * (`finalMessage()`), text (`textDeltas()`), accumulate (`accumulateMessage()`), partial
(`partialOutput()` of a plain JSON Schema format, every value read) and final-output
(`finalOutput()`) for the structured-100k and structured-400k workloads, output-floor (the floor
and one `JSON.parse` of the text, their floor), and floor (the
 * benchmark's floor without its network: one streaming `TextDecoder`, `eventsource-parser`,
 * `JSON.parse` of each event, plain accumulation; the checkout is not used). `A/B` as the
 * pipeline runs pipeline A on checkout A and B on checkout B, so `. . floor/events` gives the
 * pipeline's ratio to the floor in one process.
 */
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { createParser } from 'eventsource-parser';
import { from, lastValueFrom, tap, type Observable, type OperatorFunction } from 'rxjs';
import { PlainAccumulator } from './implementations/PlainAccumulator';
import { manyStream, mixedStream, textStream, thinkingStream, toolStream, type GeneratedStream } from './workloads';
import { sseFrame } from './workloads/events';
import { structuredOutputStream } from './workloads/structuredOutput';

type Operator = () => OperatorFunction<unknown, unknown>;

interface Checkout {
  fromSSE: Operator;
  decodeEvents: Operator;
  messageStreamEvents: Operator;
  finalMessage: Operator;
  textDeltas: Operator;
  accumulateMessage: Operator;
  partialOutput: (format: unknown) => OperatorFunction<unknown, unknown>;
  finalOutput: (format: unknown) => OperatorFunction<unknown, unknown>;
  outputFormat: (schema: unknown, options: { transform: boolean }) => unknown;
}

const WORKLOADS: Readonly<Record<string, () => GeneratedStream>> = {
  text: () => textStream(20_000),
  thinking: () => thinkingStream(10_000, 5_000),
  mixed: () => mixedStream(4_000),
  // One stream of the `many` workload (200 events): what a pipeline costs per request, without the network.
  many: () => manyStream(200),
  ...Object.fromEntries([100, 400].map((kb) => [`structured-${kb}k`, () => structuredOutputStream(kb)])),
  ...Object.fromEntries([50, 100, 200, 400].map((kb) => [`tool-${kb}k`, () => toolStream(kb)])),
  ...Object.fromEntries([200, 400].map((kb) => [`nested-${kb}k`, () => toolStream(kb, true)])),
};

async function load(root: string): Promise<Checkout> {
  const lib = path.resolve(root, 'lib');
  const operators = (await import(path.join(lib, 'operators', 'index.ts'))) as Record<string, Operator>;
  const sse = (await import(path.join(lib, 'sse', 'fromSSE.ts'))) as Record<string, Operator>;
  const schema = (await import(path.join(lib, 'schema', 'decodeEvents.ts'))) as Record<string, Operator>;
  const output = (await import(path.join(lib, 'output', 'index.ts'))) as Record<string, unknown>;
  return { ...operators, ...output, fromSSE: sse['fromSSE'], decodeEvents: schema['decodeEvents'] } as unknown as Checkout;
}

let kept = 0;
const readSnapshot = (event: unknown): void => {
  if ((event as { snapshot?: unknown }).snapshot !== undefined) kept += 1;
};

function pipeline(checkout: Checkout, name: string, chunks: readonly Uint8Array[]): () => Promise<unknown> {
  const raw = (): Observable<unknown> => from(chunks).pipe(checkout.fromSSE(), checkout.decodeEvents());
  switch (name) {
    case 'raw':
      return () => lastValueFrom(raw(), { defaultValue: undefined });
    case 'events':
      return () => lastValueFrom(raw().pipe(checkout.messageStreamEvents(), tap(readSnapshot), checkout.finalMessage()));
    case 'final':
      return () => lastValueFrom(raw().pipe(checkout.finalMessage()));
    case 'text':
      return () => lastValueFrom(raw().pipe(checkout.textDeltas()), { defaultValue: undefined });
    case 'accumulate':
      return () => lastValueFrom(raw().pipe(checkout.accumulateMessage()));
    case 'floor':
      return () => Promise.resolve(floor(chunks));
    case 'output-floor':
      return () => Promise.resolve(JSON.parse(floor(chunks).text));
    case 'partial': {
      const format = checkout.outputFormat({ type: 'object' }, { transform: false });
      return () => lastValueFrom(raw().pipe(checkout.partialOutput(format), tap(readSnapshot)));
    }
    case 'final-output': {
      const format = checkout.outputFormat({ type: 'object' }, { transform: false });
      return () => lastValueFrom(raw().pipe(checkout.finalOutput(format)));
    }
    default:
      throw new Error(`unknown pipeline ${name}: raw, events, final, text, accumulate, partial, final-output, output-floor or floor`);
  }
}

/** The floor's work on the chunks: decode, parse the SSE, `JSON.parse` each event, accumulate plainly. */
function floor(chunks: readonly Uint8Array[]): { text: string } {
  const accumulator = new PlainAccumulator();
  const parser = createParser({ onEvent: (event) => accumulator.add(JSON.parse(event.data)) });
  const decoder = new TextDecoder();
  for (const chunk of chunks) parser.feed(decoder.decode(chunk, { stream: true }));
  parser.feed(decoder.decode());
  return accumulator.result();
}

const median = (values: readonly number[]): number => [...values].sort((a, b) => a - b)[values.length >> 1] as number;

async function main(): Promise<void> {
  const [rootA, rootB, workload = 'text', name = 'events', runs = '20'] = process.argv.slice(2);
  if (!rootA || !rootB) throw new Error('usage: node --import tsx bench/compare.ts <checkout A> <checkout B> [workload] [pipeline] [runs]');
  const generate = WORKLOADS[workload];
  if (!generate) throw new Error(`unknown workload ${workload}: ${Object.keys(WORKLOADS).join(', ')}`);
  const bytes = Buffer.from(generate().events.map(sseFrame).join(''));
  const chunks: Uint8Array[] = [];
  for (let at = 0; at < bytes.length; at += 16_384) chunks.push(new Uint8Array(bytes.subarray(at, at + 16_384)));
  const [nameA, nameB = nameA] = name.split('/') as [string, string?];
  const [a, b] = [pipeline(await load(rootA), nameA, chunks), pipeline(await load(rootB), nameB, chunks)];
  const times: [number[], number[]] = [[], []];
  for (let i = 0; i < Number(runs); i++) {
    // Alternate which goes first, so neither always runs after the other's garbage.
    const order: Array<0 | 1> = i % 2 === 0 ? [0, 1] : [1, 0];
    for (const which of order) {
      const started = performance.now();
      await (which === 0 ? a : b)();
      times[which].push(performance.now() - started);
    }
  }
  const [ma, mb] = [median(times[0]), median(times[1])];
  process.stdout.write(`${workload} ${name}, median of ${runs}: A ${ma.toFixed(1)} ms, B ${mb.toFixed(1)} ms, B/A ${(mb / ma).toFixed(3)}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
