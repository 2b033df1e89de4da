import type { GeneratedStream, Workload } from './index';
import { blockStop, messageDelta, messageStart, messageStop, textBlockStart, textDelta } from './events';
import { splitText } from './prose';
import { createRandom } from './random';
import { buildToolInput, nestRows } from './toolInput';

/** The sizes of the structured-output workloads, in KiB of JSON, of the default run (`FULL_SCALE`). */
export const STRUCTURED_SIZES_KB: readonly number[] = [100, 400];
/** The sizes of the structured-output workloads under `--quick` (`QUICK_SCALE`). */
export const QUICK_STRUCTURED_SIZES_KB: readonly number[] = [10, 20];

/**
 * The structured-output workloads: one text block whose text is a JSON answer of `kb` KiB (the
 * report of the tool workloads, its rows nested in groups of 32 so that every open container is
 * narrow), in `text_delta` events of ~8 characters. A live UI reads the partial object on every
 * delta; the floor concatenates the text and parses it once at the end.
 *
 * The expected result is the text itself, so every implementation agrees on it: those that only
 * concatenate text give it as it is, those that parse it give `JSON.stringify` of their value,
 * which is the same text (it was made by `JSON.stringify`).
 */
export function structuredOutputWorkloads(sizesKB: readonly number[]): Workload[] {
  return sizesKB.map((kb) => ({
    id: `structured-${kb}k`,
    family: 'structured',
    description: `one text block, a ${kb} KiB JSON structured output (rows nested in groups of 32) in text_delta chunks of ~8 characters`,
    streams: 1,
    generate: () => structuredOutputStream(kb),
  }));
}

/** The stream of a `kb` KiB structured output; deterministic (seeded). */
export function structuredOutputStream(kb: number): GeneratedStream {
  const random = createRandom(5000 + kb);
  const text = JSON.stringify(nestRows(buildToolInput(random, kb * 1024)));
  const pieces = splitText(text, random, 6, 10);
  return {
    events: [
      messageStart('msg_bench_structured'),
      textBlockStart(0),
      ...pieces.map((piece) => textDelta(0, piece)),
      blockStop(0),
      messageDelta('end_turn', Math.ceil(text.length / 4)),
      messageStop(),
    ],
    expected: { text, thinking: '', toolInputs: [] },
  };
}
