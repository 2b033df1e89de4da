import { filter, from, lastValueFrom, map, toArray } from 'rxjs';

import { accumulateMessage, contentBlocks, createClient, messageStreamEvents, type ContentBlock } from 'rx-anthropic';
import { createMockServer, toolUseReply, type MockServer } from 'rx-anthropic/testing';

import { toolMessage } from './events';

/** The `input_json` snapshots of a tool-use block whose input arrives in `fragments`. */
const inputSnapshots = (fragments: readonly string[]) =>
  lastValueFrom(
    from(toolMessage(fragments)).pipe(
      messageStreamEvents(),
      filter((event) => event.type === 'input_json'),
      map((event) => event.snapshot),
      toArray(),
    ),
  );

/** The tool input shown by each of `accumulateMessage()`'s snapshots, once the tool block has started. */
const accumulatedInputs = (fragments: readonly string[]) =>
  lastValueFrom(
    from(toolMessage(fragments)).pipe(
      accumulateMessage(),
      map((message) => (message.content[1] as { input?: unknown } | undefined)?.input),
      filter((input) => input !== undefined),
      toArray(),
    ),
  );

describe('partial numbers in tool input snapshots', () => {
  it('shows 21 while "21." waits for its fraction, then 21.5 (the number never drops out of the snapshot)', async () => {
    expect(await inputSnapshots(['{"temperature": 21', '.', '5', '}'])).toEqual([
      { temperature: 21 },
      { temperature: 21 },
      { temperature: 21.5 },
      { temperature: 21.5 },
    ]);
  });

  it('keeps an array element while an exponent is written after it', async () => {
    expect(await inputSnapshots(['{"readings": [1, 2', 'e', '-', '1', ']}'])).toEqual([
      { readings: [1, 2] },
      { readings: [1, 2] },
      { readings: [1, 2] },
      { readings: [1, 0.2] },
      { readings: [1, 0.2] },
    ]);
  });

  it('leaves a key out while its value is a lone "-", and shows it from the first digit', async () => {
    expect(await inputSnapshots(['{"delta": ', '-', '0', '.', '2', '5}'])).toEqual([
      {},
      {},
      { delta: -0 },
      { delta: -0 },
      { delta: -0.2 },
      { delta: -0.25 },
    ]);
  });

  it('shows the same in accumulateMessage() snapshots, and the whole input on the finished block', async () => {
    const fragments = ['{"at": {"lat": 48.', '8', '5E', '+', '1, "lon": 2', '.35}}'];
    // The first snapshot of the tool block is the block's initial input, before any delta.
    expect(await accumulatedInputs(fragments)).toEqual([
      {},
      { at: { lat: 48 } },
      { at: { lat: 48.8 } },
      { at: { lat: 48.85 } },
      { at: { lat: 48.85 } },
      { at: { lat: 488.5, lon: 2 } },
      { at: { lat: 488.5, lon: 2.35 } },
      { at: { lat: 488.5, lon: 2.35 } },
      { at: { lat: 488.5, lon: 2.35 } },
      { at: { lat: 488.5, lon: 2.35 } },
    ]);
    const blocks = await lastValueFrom(from(toolMessage(fragments)).pipe(contentBlocks(), toArray()));
    expect((blocks[1] as ContentBlock & { input: unknown }).input).toEqual({ at: { lat: 488.5, lon: 2.35 } });
  });

  describe('over HTTP, the input cut into one-character deltas', () => {
    let server: MockServer | undefined;
    afterEach(async () => server?.close());

    it('never shows a snapshot without a number it has shown before', async () => {
      const input = { temperature: -21.5, readings: [0.25, 1.5e-7, 2e21] };
      server = await createMockServer([toolUseReply([{ name: 'get_weather', input }], { jsonChunkSize: 1 })]);
      const client = createClient({ baseURL: server.baseURL, apiKey: 'k', maxRetries: 0 });
      const snapshots = await lastValueFrom(
        client.messages
          .stream({ model: 'claude-sonnet-4-6', max_tokens: 256, messages: [{ role: 'user', content: 'Weather?' }] })
          .pipe(
            messageStreamEvents(),
            filter((event) => event.type === 'input_json'),
            map((event) => event.snapshot as { temperature?: number; readings?: number[] }),
            toArray(),
          ),
      );
      const temperatures = snapshots.map((snapshot) => snapshot.temperature).filter((t) => t !== undefined);
      // "-", "-2", "-21", "-21.", "-21.5": the lone "-" shows nothing, the "." keeps -21.
      expect([...new Set(temperatures)]).toEqual([-2, -21, -21.5]);
      const shownAt = snapshots.findIndex((snapshot) => snapshot.temperature !== undefined);
      expect(snapshots.slice(shownAt).every((snapshot) => snapshot.temperature !== undefined)).toBe(true);
      const lengths = snapshots.map((snapshot) => snapshot.readings?.length ?? 0);
      expect(lengths).toEqual([...lengths].sort((a, b) => a - b));
      expect(snapshots[snapshots.length - 1]).toEqual(input);
    });
  });
});
