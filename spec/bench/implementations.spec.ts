import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { evaluateOutcome } from '../../bench/evaluate';
import { floorOf, IMPLEMENTATIONS, runsOn, selectImplementations } from '../../bench/implementations';
import { snapshotSink } from '../../bench/implementations/resultFromMessage';
import type { ChildOutcome } from '../../bench/measure';
import type { ServedWorkload } from '../../bench/server';
import { defineWorkloads, FULL_SCALE, type Workload, type WorkloadFamily } from '../../bench/workloads';
import { sseFrame } from '../../bench/workloads/events';
import { digestResults } from '../../bench/workloads/StreamResult';
import { structuredOutputStream } from '../../bench/workloads/structuredOutput';

const STRUCTURED = ['structured-floor', 'rx-partial', 'rx-final-output', 'sdk-format', 'sdk-partial'];
const MESSAGE_CONSUMERS = ['floor', 'rx-raw', 'rx-text', 'rx-events', 'rx-events-recovery', 'rx-final', 'sdk-stream', 'sdk-lazy', 'sdk-create', 'vercel'];
const BATCH_READERS = ['rx-batch-results', 'sdk-batch-results'];

const runOn = (family: WorkloadFamily): string[] => IMPLEMENTATIONS.filter((impl) => runsOn(impl, family)).map((impl) => impl.id);

describe('benchmark implementations', () => {
  it('registers the structured-output consumers after the message consumers, then the batch results readers, in table order', () => {
    expect(IMPLEMENTATIONS.map((impl) => impl.id)).toEqual([...MESSAGE_CONSUMERS, ...STRUCTURED, ...BATCH_READERS]);
    expect(selectImplementations(['sdk-partial', 'structured-floor']).map((impl) => impl.id)).toEqual(['structured-floor', 'sdk-partial']);
    expect(IMPLEMENTATIONS.filter((impl) => impl.snapshotsPerDelta).map((impl) => impl.id)).toEqual(['rx-events', 'rx-events-recovery', 'sdk-stream', 'rx-partial', 'sdk-partial']);
  });

  it('runs only the structured-output consumers on the structured workloads, and none of them elsewhere', () => {
    expect(runOn('structured')).toEqual(STRUCTURED);
    // The relay comparison runs rx-events itself (bench/relayRun.ts), not as a pair of the table.
    expect(runOn('relay')).toEqual([]);
    expect(runOn('stores')).toEqual([]);
    // The batch results file has its two readers, which run nowhere else.
    expect(runOn('batches')).toEqual(BATCH_READERS);
    const others = [...new Set(defineWorkloads(FULL_SCALE).map((w) => w.family))].filter((family) => family !== 'structured' && family !== 'relay' && family !== 'stores' && family !== 'batches');
    expect(others).toEqual(['text', 'tool', 'nested', 'thinking', 'mixed', 'many']);
    for (const family of others) {
      const running = runOn(family);
      expect(running.filter((id) => STRUCTURED.includes(id) || BATCH_READERS.includes(id))).toEqual([]);
      expect(running).toEqual(family === 'text' || family === 'many' ? MESSAGE_CONSUMERS : MESSAGE_CONSUMERS.filter((id) => id !== 'rx-text'));
    }
  });

  it('measures each family against its own floor', () => {
    expect(floorOf('structured')).toBe('structured-floor');
    for (const family of ['text', 'tool', 'nested', 'thinking', 'mixed', 'many'] as const) expect(floorOf(family)).toBe('floor');
  });

  describe('on a small structured output served over loopback', () => {
    let server: Server;
    let url: string;
    const stream = structuredOutputStream(6);
    const textDeltas = stream.events.filter((e) => e.type === 'content_block_delta').length;

    beforeAll(async () => {
      const body = stream.events.map(sseFrame).join('');
      server = createServer((request, response) => {
        request.resume();
        request.on('end', () => {
          response.writeHead(200, { 'content-type': 'text/event-stream' });
          response.end(body);
        });
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/w/structured-6k`;
    });
    afterAll(() => new Promise((resolve) => server.close(resolve)));

    it.each(STRUCTURED)('%s gives the expected result, reading a partial object on every delta if it says it does', async (id) => {
      const impl = IMPLEMENTATIONS.find((candidate) => candidate.id === id)!;
      const consume = (await impl.load())(url);
      const before = snapshotSink.reads;
      const result = await consume();
      const reads = snapshotSink.reads - before;
      expect(result.text).toBe(stream.expected.text);
      expect(digestResults([result])).toBe(digestResults([stream.expected]));
      if (id === 'sdk-partial') expect(reads).toBe(textDeltas);
      else if (impl.snapshotsPerDelta) {
        // A delta that only adds to an object key or a literal changes nothing and emits nothing; most deltas change the value.
        expect(reads).toBeGreaterThan(textDeltas * 0.6);
        expect(reads).toBeLessThanOrEqual(textDeltas);
      } else expect(reads).toBe(0);
    });
  });

  describe('the result check of a structured workload', () => {
    const workload = defineWorkloads({ ...FULL_SCALE, structuredSizesKB: [6] }).find((w) => w.id === 'structured-6k') as Workload;
    const served: ServedWorkload = { id: workload.id, events: 10, bytes: 100, streams: 1, expectedDigest: 'expected', expectedSummary: 'text 6144 chars' };
    const outcome = (snapshotReads: number, digest = 'expected'): ChildOutcome => ({
      baseHeapMB: 10,
      baseRssMB: 50,
      error: undefined,
      killedAtBudget: false,
      runs: [{ type: 'run', phase: 'measure', ms: 12, peakHeapMB: 12, startHeapMB: 10, cpuMs: 12, peakRssMB: 60, digest, summary: 'text', snapshotReads }],
    });
    const impl = (id: string) => IMPLEMENTATIONS.find((candidate) => candidate.id === id)!;

    it('fails a consumer that says it reads partial objects and read none', () => {
      expect(evaluateOutcome(impl('rx-partial'), workload, served, outcome(0), 1).failures).toEqual(['rx-partial on structured-6k read no partial object']);
      expect(evaluateOutcome(impl('rx-partial'), workload, served, outcome(700), 1).failures).toEqual([]);
      expect(evaluateOutcome(impl('rx-final-output'), workload, served, outcome(0), 1).failures).toEqual([]);
    });

    it('fails a consumer whose result is not the streamed text', () => {
      expect(evaluateOutcome(impl('sdk-format'), workload, served, outcome(0, 'other'), 1).failures).toEqual([
        'sdk-format on structured-6k disagrees: got text (digest other), expected text 6144 chars (digest expected)',
      ]);
    });
  });
});
