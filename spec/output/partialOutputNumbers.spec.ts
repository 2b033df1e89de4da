import * as t from 'io-ts';
import { from, lastValueFrom, toArray } from 'rxjs';

import { createClient, outputFormat, partialOutput } from 'rx-anthropic';
import { createMockServer, textReply, type MockServer } from 'rx-anthropic/testing';

import { jsonMessage } from './outputEvents';

const Weather = t.type({ temperature: t.number, readings: t.array(t.number), station: t.type({ lat: t.number }) });
const format = outputFormat(Weather);

const partialsOf = (deltas: readonly string[]) => lastValueFrom(from(jsonMessage(deltas)).pipe(partialOutput(format), toArray()));

describe('partialOutput() and partial numbers', () => {
  it('shows 21 while "21." waits for its fraction: the "." delta changes nothing and emits nothing', async () => {
    expect(await partialsOf(['{"temperature": 21', '.', '5', ', "readings": [], "station": {"lat": 0}}'])).toEqual([
      { temperature: 21 },
      { temperature: 21.5 },
      { temperature: 21.5, readings: [], station: { lat: 0 } },
    ]);
  });

  it('keeps an array element while an exponent is written after it', async () => {
    const partials = await partialsOf(['{"readings": [1, 2', 'e', '+', '2', '], "temperature": 0, "station": {"lat": 1}}']);
    expect(partials).toEqual([
      { readings: [1, 2] },
      { readings: [1, 200] },
      { readings: [1, 200], temperature: 0, station: { lat: 1 } },
    ]);
  });

  it('leaves a field out while its value is a lone "-", shows it from the first digit and never drops it', async () => {
    const partials = await partialsOf(['{"station": {"lat": ', '-', '0', '.', '5', 'E', '-', '1', '}, "temperature": 3, "readings": []}']);
    expect(partials).toEqual([
      { station: {} },
      { station: { lat: -0 } },
      { station: { lat: -0.5 } },
      { station: { lat: -0.05 } },
      { station: { lat: -0.05 }, temperature: 3, readings: [] },
    ]);
  });

  describe('over HTTP, the output cut into one-character deltas', () => {
    let server: MockServer | undefined;
    afterEach(async () => server?.close());

    it('gives values that never lose a field or element they had shown, the last one the whole output', async () => {
      const output = { temperature: 21.5, readings: [0.5, -3e-2, 10], station: { lat: 48.85 } };
      server = await createMockServer([textReply(JSON.stringify(output), { chunkSize: 1 })]);
      const client = createClient({ baseURL: server.baseURL, apiKey: 'k', maxRetries: 0 });
      const params = { model: 'claude-sonnet-4-6', max_tokens: 256, messages: [{ role: 'user' as const, content: 'Weather?' }], output_config: { format } };
      const partials = await lastValueFrom(client.messages.stream(params).pipe(partialOutput(format), toArray()));
      const temperatures = partials.map((partial) => partial.temperature).filter((value) => value !== undefined);
      // "2", "21", "21." (emits nothing: it shows 21 still), "21.5".
      expect([...new Set(temperatures)]).toEqual([2, 21, 21.5]);
      for (let i = 1; i < partials.length; i++) {
        const [before, after] = [partials[i - 1]!, partials[i]!];
        for (const key of Object.keys(before)) expect([i, key, key in after]).toEqual([i, key, true]);
        expect(after.readings?.length ?? 0).toBeGreaterThanOrEqual(before.readings?.length ?? 0);
        if (before.station?.lat !== undefined) expect(after.station?.lat).toBeDefined();
      }
      expect(partials[partials.length - 1]).toEqual(output);
    });
  });
});
