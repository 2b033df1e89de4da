import {
  blockStop,
  citationsDelta,
  inputJsonDelta,
  messageDelta,
  messageStart,
  messageStop,
  ping,
  signatureDelta,
  textBlockStart,
  textDelta,
  thinkingBlockStart,
  thinkingDelta,
  toolUseBlockStart,
  type WireEvent,
} from './events';
import { BATCH_RESULT_LINES, batchResultsFile } from './batchResults';
import { proseDeltas, sentence, splitText } from './prose';
import { createRandom, type Random } from './random';
import type { StreamResult } from './StreamResult';
import { QUICK_STRUCTURED_SIZES_KB, STRUCTURED_SIZES_KB, structuredOutputWorkloads } from './structuredOutput';
import { buildToolInput, nestRows } from './toolInput';

export type { StreamResult } from './StreamResult';
export type { WireEvent } from './events';

/**
 * The kinds of workload; `--workloads` takes these or workload ids. `relay` is the `text` stream
 * read through the relay of `rx-anthropic/proxy` and directly, compared (`relayRun.ts`). `batches`
 * is a Message Batches results file, served by a server of its own (`batchServer.ts`).
 */
export type WorkloadFamily = 'text' | 'tool' | 'nested' | 'thinking' | 'mixed' | 'many' | 'structured' | 'relay' | 'stores' | 'batches';

/** One generated stream: its events in order and what a correct client makes of them. */
export interface GeneratedStream {
  events: WireEvent[];
  expected: StreamResult;
}

/** A workload: one stream, served to `streams` concurrent requests per run. */
export interface Workload {
  /** `text`, `tool-50k`, `nested-200k`, `thinking`, `mixed`, `many`, `structured-100k`. */
  id: string;
  family: WorkloadFamily;
  description: string;
  /** Concurrent requests per run (1, or many for `many`). */
  streams: number;
  /** For `many`: streams run one after another after each run, for the single-stream rate. */
  sequential?: number;
  /** For `batches`: the lines of the results file. */
  resultLines?: number;
  /** For `tool` and `nested` workloads: the size of the tool input, in KiB. */
  toolInputKB?: number;
  /** Builds the stream; deterministic (seeded), so the server and the tests build the same bytes. */
  generate(): GeneratedStream;
}

/** The sizes of the workloads. */
export interface WorkloadScale {
  textDeltas: number;
  toolSizesKB: number[];
  /** Sizes of the `nested` workloads: the rows of the tool input nested in groups of 32. */
  nestedSizesKB: number[];
  thinkingDeltas: number;
  thinkingTextDeltas: number;
  mixedTextDeltas: number;
  manyStreams: number;
  manyEventsPerStream: number;
  /** Sizes of the `structured` workloads: a JSON answer in text deltas, its rows nested in groups of 32. */
  structuredSizesKB: readonly number[];
  /** Lines of the Message Batches results file (`batch-results`). */
  batchResultLines: number;
}

export const FULL_SCALE: WorkloadScale = {
  textDeltas: 20_000,
  toolSizesKB: [50, 100, 200, 400],
  nestedSizesKB: [200, 400],
  thinkingDeltas: 10_000,
  thinkingTextDeltas: 5_000,
  mixedTextDeltas: 4_000,
  manyStreams: 1_000,
  manyEventsPerStream: 200,
  structuredSizesKB: STRUCTURED_SIZES_KB,
  batchResultLines: BATCH_RESULT_LINES.full,
};

export const QUICK_SCALE: WorkloadScale = {
  textDeltas: 2_000,
  toolSizesKB: [10, 20],
  nestedSizesKB: [10, 20],
  thinkingDeltas: 1_000,
  thinkingTextDeltas: 500,
  mixedTextDeltas: 500,
  manyStreams: 50,
  manyEventsPerStream: 200,
  structuredSizesKB: QUICK_STRUCTURED_SIZES_KB,
  batchResultLines: BATCH_RESULT_LINES.quick,
};

/** Text deltas of the small stream the limit store's latency requests relay (the `stores` workload). */
export const STORES_LATENCY_DELTAS = 20;

/** Every workload at a scale, in the order they run. */
export function defineWorkloads(scale: WorkloadScale): Workload[] {
  return [
    {
      id: 'text',
      family: 'text',
      description: `one text block, ${scale.textDeltas} text_delta events of 4–12 characters`,
      streams: 1,
      generate: () => textStream(scale.textDeltas),
    },
    ...scale.toolSizesKB.map(
      (kb): Workload => ({
        id: `tool-${kb}k`,
        family: 'tool',
        description: `one tool_use block, a ${kb} KiB JSON input in input_json_delta chunks of ~8 characters`,
        streams: 1,
        toolInputKB: kb,
        generate: () => toolStream(kb),
      }),
    ),
    ...scale.nestedSizesKB.map(
      (kb): Workload => ({
        id: `nested-${kb}k`,
        family: 'nested',
        description: `one tool_use block, the rows of the ${kb} KiB input nested in groups of 32 (every open container narrow), in input_json_delta chunks of ~8 characters`,
        streams: 1,
        toolInputKB: kb,
        generate: () => toolStream(kb, true),
      }),
    ),
    {
      id: 'thinking',
      family: 'thinking',
      description: `${scale.thinkingDeltas} thinking_delta + a signature_delta, then a text block of ${scale.thinkingTextDeltas} deltas`,
      streams: 1,
      generate: () => thinkingStream(scale.thinkingDeltas, scale.thinkingTextDeltas),
    },
    {
      id: 'mixed',
      family: 'mixed',
      description: `text (${scale.mixedTextDeltas} deltas) with a citations_delta every 100, two tool uses (~2 and ~8 KiB), pings`,
      streams: 1,
      generate: () => mixedStream(scale.mixedTextDeltas),
    },
    {
      id: 'many',
      family: 'many',
      description: `${scale.manyStreams} concurrent streams of ${scale.manyEventsPerStream} events each, in one process (after each run, ${Math.ceil(scale.manyStreams / 10)} of them one at a time, for the single-stream rate)`,
      streams: scale.manyStreams,
      sequential: Math.ceil(scale.manyStreams / 10),
      generate: () => manyStream(scale.manyEventsPerStream),
    },
    ...structuredOutputWorkloads(scale.structuredSizesKB),
    {
      id: 'relay',
      family: 'relay',
      description: `the text stream (${scale.textDeltas} text_delta events) read by rx-events through the relay of rx-anthropic/proxy (a process of its own, every check on; \`rx-events+relay\`) and directly from the server (\`rx-events\`), in turn`,
      streams: 1,
      // The server plays `text` for it: the relay's upstream is the text workload's URL.
      generate: () => textStream(scale.textDeltas),
    },
    {
      id: 'stores',
      family: 'stores',
      description: `the stores of rx-anthropic/proxy and rx-anthropic/redis: the text stream (${scale.textDeltas} text_delta events) by rx-events through a relay without a stream store, with memoryStreamStore() and with redisStreamStore() (the tee), in turn; and a stream of ${STORES_LATENCY_DELTAS} text_delta events relayed with the per-user limits in memory and on Redis (redisLimitStore()), alternating`,
      streams: 1,
      // Played by the server under its own id: the small stream of the limit store's requests (the tee reads `text`).
      generate: () => textStream(STORES_LATENCY_DELTAS),
    },
    {
      id: 'batch-results',
      family: 'batches',
      description: `the results file of a Message Batch of ${scale.batchResultLines.toLocaleString('en-US')} requests (one JSON line each: 94% succeeded, 3% errored, 2% canceled, 1% expired), read by \`results(id)\` of rx-anthropic and of the official SDK, from a file server of its own (\`batchServer.ts\`)`,
      streams: 1,
      resultLines: scale.batchResultLines,
      // A file, not a stream: the batch server renders it (no events); the expected result is the same file's.
      generate: () => ({ events: [], expected: batchResultsFile(scale.batchResultLines).expected }),
    },
  ];
}

/**
 * The workloads the server must play for `selected`: each one's own, but `text` for `relay`
 * (the relay's upstream is the text workload's URL), once; none for `batches` (the batch server
 * serves its file).
 */
export function servedWorkloadIds(selected: readonly Workload[]): string[] {
  return [...new Set(selected.flatMap((w) => (w.family === 'batches' ? [] : w.family === 'relay' ? ['text'] : w.family === 'stores' ? ['text', w.id] : [w.id])))];
}

/** The workloads that `names` (ids or families; empty = all) select, in their order; throws on an unknown name. */
export function selectWorkloads(workloads: readonly Workload[], names: readonly string[]): Workload[] {
  const unknown = names.filter((name) => !workloads.some((w) => w.id === name || w.family === name));
  if (unknown.length > 0) {
    throw new Error(`unknown workload(s) ${unknown.join(', ')}; known: ${[...new Set(workloads.flatMap((w) => [w.family, w.id]))].join(', ')}`);
  }
  return names.length === 0 ? [...workloads] : workloads.filter((w) => names.includes(w.id) || names.includes(w.family));
}

export function textStream(deltaCount: number): GeneratedStream {
  const deltas = proseDeltas(createRandom(1), deltaCount);
  return {
    events: [messageStart('msg_bench_text'), textBlockStart(0), ...deltas.map((d) => textDelta(0, d)), blockStop(0), messageDelta('end_turn', deltaCount), messageStop()],
    expected: { text: deltas.join(''), thinking: '', toolInputs: [] },
  };
}

/** One tool use with a `kb` KiB input; `nested`, its rows nested in groups of 32 (the same rows, every open container narrow). */
export function toolStream(kb: number, nested = false): GeneratedStream {
  const random = createRandom(2000 + kb);
  const wide = buildToolInput(random, kb * 1024);
  const input = nested ? nestRows(wide) : wide;
  return {
    events: [
      messageStart('msg_bench_tool'),
      ...toolUseEvents(random, 0, 'toolu_bench_01', 'save_report', input),
      messageDelta('tool_use', Math.ceil((kb * 1024) / 4)),
      messageStop(),
    ],
    expected: { text: '', thinking: '', toolInputs: [input] },
  };
}

export function thinkingStream(thinkingCount: number, textCount: number): GeneratedStream {
  const random = createRandom(3);
  const thinking = proseDeltas(random, thinkingCount);
  const text = proseDeltas(random, textCount);
  const signature = Buffer.from(sentence(random, 60)).toString('base64');
  return {
    events: [
      messageStart('msg_bench_thinking'),
      thinkingBlockStart(0),
      ...thinking.map((d) => thinkingDelta(0, d)),
      signatureDelta(0, signature),
      blockStop(0),
      textBlockStart(1),
      ...text.map((d) => textDelta(1, d)),
      blockStop(1),
      messageDelta('end_turn', thinkingCount + textCount),
      messageStop(),
    ],
    expected: { text: text.join(''), thinking: thinking.join(''), toolInputs: [] },
  };
}

export function mixedStream(textCount: number): GeneratedStream {
  const random = createRandom(4);
  const deltas = proseDeltas(random, textCount);
  const events: WireEvent[] = [messageStart('msg_bench_mixed'), textBlockStart(0, true), ping()];
  let offset = 0;
  deltas.forEach((delta, i) => {
    events.push(textDelta(0, delta));
    if (i % 100 === 99) {
      const citedText = sentence(random, 8);
      events.push(
        citationsDelta(0, {
          type: 'char_location',
          cited_text: citedText,
          document_index: 0,
          document_title: 'Quarterly report',
          start_char_index: offset,
          end_char_index: offset + citedText.length,
        }),
      );
      offset += citedText.length;
    }
    if (i % 500 === 499) events.push(ping());
  });
  events.push(blockStop(0));
  const weather = { location: 'Zürich, CH', unit: 'celsius', days: 5, note: sentence(random, 300) };
  const report = buildToolInput(random, 8 * 1024);
  events.push(...toolUseEvents(random, 1, 'toolu_bench_a', 'get_weather', weather), ping());
  events.push(...toolUseEvents(random, 2, 'toolu_bench_b', 'save_report', report));
  events.push(messageDelta('tool_use', textCount + 3000), messageStop());
  return { events, expected: { text: deltas.join(''), thinking: '', toolInputs: [weather, report] } };
}

export function manyStream(eventCount: number): GeneratedStream {
  const deltas = proseDeltas(createRandom(5), eventCount - 5);
  return {
    events: [messageStart('msg_bench_many'), textBlockStart(0), ...deltas.map((d) => textDelta(0, d)), blockStop(0), messageDelta('end_turn', deltas.length), messageStop()],
    expected: { text: deltas.join(''), thinking: '', toolInputs: [] },
  };
}

/** A tool_use block: start, the empty first delta the API sends, the JSON in ~8-character pieces, stop. */
function toolUseEvents(random: Random, index: number, id: string, name: string, input: unknown): WireEvent[] {
  const pieces = splitText(JSON.stringify(input), random, 6, 10);
  return [toolUseBlockStart(index, id, name), inputJsonDelta(index, ''), ...pieces.map((p) => inputJsonDelta(index, p)), blockStop(index)];
}
