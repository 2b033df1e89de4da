import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import {
  createFinalOutputConsumer,
  createPartialOutputConsumer,
  createSdkFormatStreamConsumer,
  createSdkPartialConsumer,
  createStructuredFloorConsumer,
} from '../../bench/implementations/structuredOutput';
import { snapshotSink } from '../../bench/implementations/resultFromMessage';
import { sseFrame } from '../../bench/workloads/events';
import { digestResults } from '../../bench/workloads/StreamResult';
import { structuredOutputStream, structuredOutputWorkloads } from '../../bench/workloads/structuredOutput';

/**
 * The structured-output bench workload and its consumers, at a small size: the stream is what the
 * workload says, and every consumer gives the expected result (the check the bench makes on
 * every run), the partial ones reading a value on every delta.
 */
describe('the structured-output bench workload', () => {
  let server: Server;
  let url: string;
  const stream = structuredOutputStream(10);

  beforeAll(async () => {
    const body = stream.events.map((event) => sseFrame(event)).join('');
    server = createServer((request, response) => {
      request.resume();
      request.on('end', () => {
        response.writeHead(200, { 'content-type': 'text/event-stream' });
        response.end(body);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/w/structured-10k`;
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  it('is a JSON answer of about the size asked, in text deltas of 6 to 10 code points, its rows nested at most 32 wide', () => {
    const deltas = stream.events.filter((event) => event.type === 'content_block_delta').map((event) => (event['delta'] as { text: string }).text);
    expect(deltas.join('')).toBe(stream.expected.text);
    expect(deltas.slice(0, -1).every((delta) => Array.from(delta).length >= 6 && Array.from(delta).length <= 10)).toBe(true);
    expect(Buffer.byteLength(stream.expected.text)).toBeGreaterThan(9 * 1024);
    expect(Buffer.byteLength(stream.expected.text)).toBeLessThan(11 * 1024);
    const widest = (value: unknown): number =>
      Array.isArray(value) ? Math.max(value.length, ...value.map(widest)) : typeof value === 'object' && value !== null ? Math.max(0, ...Object.values(value).map(widest)) : 0;
    expect(widest(JSON.parse(stream.expected.text))).toBeLessThanOrEqual(32);
    expect(structuredOutputWorkloads([100, 400]).map((workload) => workload.id)).toEqual(['structured-100k', 'structured-400k']);
  });

  it.each([
    ['structured-floor', createStructuredFloorConsumer, false],
    ['rx-partial', createPartialOutputConsumer, true],
    ['rx-final-output', createFinalOutputConsumer, false],
    ['sdk-format', createSdkFormatStreamConsumer, false],
    ['sdk-partial', createSdkPartialConsumer, true],
  ] as const)('%s gives the expected result', async (_, create, readsEveryDelta) => {
    const reads = snapshotSink.reads;
    const result = await create(url)();
    expect(digestResults([result])).toBe(digestResults([stream.expected]));
    if (readsEveryDelta) expect(snapshotSink.reads - reads).toBeGreaterThan(500);
  });
});
