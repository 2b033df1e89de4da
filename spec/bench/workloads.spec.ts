import { from, lastValueFrom, toArray } from 'rxjs';
import { PlainAccumulator } from '../../bench/implementations/PlainAccumulator';
import { resultFromMessage } from '../../bench/implementations/resultFromMessage';
import {
  defineWorkloads,
  STORES_LATENCY_DELTAS,
  FULL_SCALE,
  manyStream,
  mixedStream,
  QUICK_SCALE,
  selectWorkloads,
  servedWorkloadIds,
  textStream,
  thinkingStream,
  toolStream,
  type GeneratedStream,
  type WireEvent,
} from '../../bench/workloads';
import { sseFrame } from '../../bench/workloads/events';
import { structuredOutputStream } from '../../bench/workloads/structuredOutput';
import { nestRows } from '../../bench/workloads/toolInput';
import { digestResults } from '../../bench/workloads/StreamResult';
import { finalMessage } from '../../lib/operators/finalMessage';
import { decodeEvents } from '../../lib/schema/decodeEvents';
import type { RawMessageStreamEvent } from '../../lib/schema/streamEvents';
import { fromSSE } from '../../lib/sse/fromSSE';

/** The stream's bytes as the benchmark server sends them, cut every `size` bytes (across UTF-8 characters too). */
function chunks(stream: GeneratedStream, size: number): Uint8Array[] {
  const bytes = Buffer.from(stream.events.map(sseFrame).join(''));
  const out: Uint8Array[] = [];
  for (let at = 0; at < bytes.length; at += size) out.push(bytes.subarray(at, at + size));
  return out;
}

function decode(stream: GeneratedStream, size = 7): Promise<RawMessageStreamEvent[]> {
  return lastValueFrom(from(chunks(stream, size)).pipe(fromSSE(), decodeEvents(), toArray()));
}

function deltas(events: readonly WireEvent[], type: string): Array<Record<string, unknown>> {
  return events
    .filter((e) => e.type === 'content_block_delta' && (e['delta'] as { type: string }).type === type)
    .map((e) => e['delta'] as Record<string, unknown>);
}

const codePoints = (text: string): number => Array.from(text).length;

const streams: Array<[string, () => GeneratedStream]> = [
  ['text', () => textStream(300)],
  ['tool (2 KiB)', () => toolStream(2)],
  ['tool (6 KiB)', () => toolStream(6)],
  ['nested tool (6 KiB)', () => toolStream(6, true)],
  ['thinking', () => thinkingStream(200, 100)],
  ['mixed', () => mixedStream(600)],
  ['many (one stream)', () => manyStream(200)],
  ['structured output (4 KiB)', () => structuredOutputStream(4)],
];

describe('benchmark workloads', () => {
  describe.each(streams)('%s', (_, generate) => {
    it('decodes through fromSSE, decodeEvents and finalMessage to what the generator expects', async () => {
      const stream = generate();
      const message = await lastValueFrom(from(chunks(stream, 7)).pipe(fromSSE(), decodeEvents(), finalMessage()));
      const result = resultFromMessage(message as never);
      expect(result).toEqual(stream.expected);
      expect(digestResults([result])).toBe(digestResults([stream.expected]));
    });

    it('gives the same result to the plain accumulation of the floor', async () => {
      const stream = generate();
      const accumulator = new PlainAccumulator();
      for (const event of await decode(stream, 4096)) accumulator.add(event as never);
      expect(accumulator.result()).toEqual(stream.expected);
    });

    it('is deterministic', () => {
      expect(generate().events.map(sseFrame).join('')).toBe(generate().events.map(sseFrame).join(''));
    });
  });

  it('text: exactly the deltas asked for, each of 4–12 characters', () => {
    const stream = textStream(500);
    const texts = deltas(stream.events, 'text_delta').map((d) => d['text'] as string);
    expect(texts).toHaveLength(500);
    for (const text of texts) expect(codePoints(text)).toBeGreaterThanOrEqual(4);
    for (const text of texts) expect(codePoints(text)).toBeLessThanOrEqual(12);
    expect(texts.join('')).toBe(stream.expected.text);
  });

  it('tool: an input of about the size asked for, in pieces of about 8 characters', () => {
    const stream = toolStream(8);
    const json = JSON.stringify(stream.expected.toolInputs[0]);
    expect(Buffer.byteLength(json)).toBeGreaterThan(8 * 1024 * 0.9);
    expect(Buffer.byteLength(json)).toBeLessThan(8 * 1024 * 1.1);
    const pieces = deltas(stream.events, 'input_json_delta').map((d) => d['partial_json'] as string);
    expect(pieces.join('')).toBe(json);
    const mean = json.length / pieces.length;
    expect(mean).toBeGreaterThan(6);
    expect(mean).toBeLessThan(10);
  });

  it('nested tool: the same rows as the wide input, in groups of 32, every array at most 32 wide', () => {
    const wide = toolStream(40).expected.toolInputs[0] as { records: unknown[] };
    const nested = toolStream(40, true).expected.toolInputs[0] as { records: unknown[] };
    expect(wide.records.length).toBeGreaterThan(32);
    const widest = (value: unknown): number =>
      Array.isArray(value) ? Math.max(value.length, ...value.map(widest)) : value !== null && typeof value === 'object' ? Math.max(0, ...Object.values(value).map(widest)) : 0;
    expect(widest(nested)).toBeLessThanOrEqual(32);
    expect(widest(wide)).toBe(wide.records.length);
    const flatten = (value: unknown[]): unknown[] => value.flatMap((item) => (Array.isArray(item) ? flatten(item) : [item]));
    expect(flatten(nested.records)).toEqual(wide.records);
    expect({ ...nested, records: undefined }).toEqual({ ...wide, records: undefined });
    // Groups of groups once there are more than 32 groups.
    const rows = Array.from({ length: 2000 }, (_, id) => ({ id }));
    const deep = nestRows({ records: rows })['records'] as unknown[][][];
    expect(deep).toHaveLength(2);
    expect(deep[0]).toHaveLength(32);
    expect(deep[0]?.[0]).toHaveLength(32);
    expect(widest(deep)).toBe(32);
    expect(flatten(deep)).toEqual(rows);
  });

  it('thinking: the thinking deltas, one signature, then the text block', () => {
    const stream = thinkingStream(300, 150);
    expect(deltas(stream.events, 'thinking_delta')).toHaveLength(300);
    expect(deltas(stream.events, 'signature_delta')).toHaveLength(1);
    expect(deltas(stream.events, 'text_delta')).toHaveLength(150);
  });

  it('mixed: citations, two tool uses and pings (which decodeEvents drops)', async () => {
    const stream = mixedStream(600);
    expect(deltas(stream.events, 'citations_delta')).toHaveLength(6);
    expect(stream.expected.toolInputs).toHaveLength(2);
    const pings = stream.events.filter((e) => e.type === 'ping').length;
    expect(pings).toBeGreaterThanOrEqual(2);
    expect(await decode(stream)).toHaveLength(stream.events.length - pings);
  });

  it('many: each stream has exactly the events asked for', () => {
    expect(manyStream(200).events).toHaveLength(200);
  });

  it('structured output: a JSON answer of about the size asked, whose text is the expected result, in text deltas of ~8 characters', () => {
    const stream = structuredOutputStream(8);
    const text = stream.expected.text;
    expect(stream.expected).toEqual({ text, thinking: '', toolInputs: [] });
    expect(Buffer.byteLength(text)).toBeGreaterThan(8 * 1024 * 0.9);
    expect(Buffer.byteLength(text)).toBeLessThan(8 * 1024 * 1.1);
    // Written by JSON.stringify, so a parser's value written back gives the text again: the result check holds for parsing consumers.
    expect(JSON.stringify(JSON.parse(text))).toBe(text);
    const pieces = deltas(stream.events, 'text_delta').map((d) => d['text'] as string);
    expect(pieces.join('')).toBe(text);
    expect(text.length / pieces.length).toBeGreaterThan(6);
    expect(text.length / pieces.length).toBeLessThan(10);
  });

  it('structured output: the rows of the tool workloads\' report, nested in groups of 32', () => {
    const output = JSON.parse(structuredOutputStream(40).expected.text) as { records: unknown[] };
    const widest = (value: unknown): number =>
      Array.isArray(value) ? Math.max(value.length, ...value.map(widest)) : value !== null && typeof value === 'object' ? Math.max(0, ...Object.values(value).map(widest)) : 0;
    expect(Object.keys(output)).toEqual(['path', 'mode', 'records', 'content']);
    expect(output.records.length).toBeGreaterThan(1);
    expect(widest(output)).toBeLessThanOrEqual(32);
  });

  it('every workload of both scales is defined, and selection takes families and ids', () => {
    const full = defineWorkloads(FULL_SCALE);
    expect(full.map((w) => w.id)).toEqual([
      'text',
      'tool-50k',
      'tool-100k',
      'tool-200k',
      'tool-400k',
      'nested-200k',
      'nested-400k',
      'thinking',
      'mixed',
      'many',
      'structured-100k',
      'structured-400k',
      'relay',
      'stores',
      'batch-results',
    ]);
    expect(full.find((w) => w.id === 'many')?.streams).toBe(1000);
    expect(selectWorkloads(full, ['batches']).map((w) => [w.id, w.family, w.resultLines])).toEqual([['batch-results', 'batches', 200_000]]);
    expect(selectWorkloads(defineWorkloads(QUICK_SCALE), ['batches']).map((w) => w.resultLines)).toEqual([5_000]);
    // The batch server serves its file: the SSE server plays nothing for it.
    expect(servedWorkloadIds(selectWorkloads(full, ['batches']))).toEqual([]);
    expect(selectWorkloads(full, ['tool', 'many']).map((w) => w.id)).toEqual(['tool-50k', 'tool-100k', 'tool-200k', 'tool-400k', 'many']);
    expect(selectWorkloads(full, ['nested']).map((w) => w.id)).toEqual(['nested-200k', 'nested-400k']);
    expect(selectWorkloads(full, ['structured']).map((w) => [w.id, w.family, w.streams])).toEqual([
      ['structured-100k', 'structured', 1],
      ['structured-400k', 'structured', 1],
    ]);
    expect(selectWorkloads(defineWorkloads(QUICK_SCALE), ['structured']).map((w) => w.id)).toEqual(['structured-10k', 'structured-20k']);
    expect(selectWorkloads(defineWorkloads(QUICK_SCALE), ['tool-10k']).map((w) => w.id)).toEqual(['tool-10k']);
    expect(() => selectWorkloads(full, ['nope'])).toThrow(/unknown workload/);
  });

  it('relay: selected alone by its name, its stream the text one, which the server plays for it', () => {
    for (const scale of [FULL_SCALE, QUICK_SCALE]) {
      const workloads = defineWorkloads(scale);
      const relay = selectWorkloads(workloads, ['relay']);
      expect(relay.map((w) => [w.id, w.family, w.streams])).toEqual([['relay', 'relay', 1]]);
      expect(selectWorkloads(workloads, ['text']).map((w) => w.id)).toEqual(['text']);
      const text = workloads.find((w) => w.id === 'text')!;
      expect(digestResults([relay[0]!.generate().expected])).toBe(digestResults([text.generate().expected]));
      expect(servedWorkloadIds(relay)).toEqual(['text']);
      expect(servedWorkloadIds(selectWorkloads(workloads, ['text', 'relay']))).toEqual(['text']);
      expect(servedWorkloadIds(selectWorkloads(workloads, ['many', 'relay']))).toEqual(['many', 'text']);
    }
  });

  it('stores: its small stream played under its own id, and the text one for the tee', () => {
    for (const scale of [FULL_SCALE, QUICK_SCALE]) {
      const workloads = defineWorkloads(scale);
      const stores = selectWorkloads(workloads, ['stores']);
      expect(stores.map((w) => [w.id, w.family, w.streams])).toEqual([['stores', 'stores', 1]]);
      expect(servedWorkloadIds(stores)).toEqual(['text', 'stores']);
      expect(servedWorkloadIds(selectWorkloads(workloads, ['relay', 'stores']))).toEqual(['text', 'stores']);
      const small = stores[0]!.generate();
      expect(small.events.filter((event) => event.type === 'content_block_delta')).toHaveLength(STORES_LATENCY_DELTAS);
    }
  });
});
