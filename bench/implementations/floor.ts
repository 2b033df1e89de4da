import { createParser } from 'eventsource-parser';
import { BENCH_API_KEY, BENCH_REQUEST } from './benchRequest';
import { feedSSEBody } from './feedSSEBody';
import type { StreamConsumer } from './Implementation';
import { PlainAccumulator } from './PlainAccumulator';

/**
 * The floor: what the work costs with nothing on top. `fetch`, a reader loop, one streaming
 * `TextDecoder`, `eventsource-parser`, `JSON.parse` of each event's data and plain string
 * accumulation (tool input parsed once, at the end). No Observables, no validation, no snapshots.
 */
export function createFloorConsumer(workloadURL: string): StreamConsumer {
  const url = `${workloadURL}/v1/messages`;
  const body = JSON.stringify({ ...BENCH_REQUEST, stream: true });
  const headers = { 'content-type': 'application/json', 'x-api-key': BENCH_API_KEY, 'anthropic-version': '2023-06-01' };
  return async () => {
    const response = await fetch(url, { method: 'POST', headers, body });
    if (!response.ok || !response.body) throw new Error(`HTTP ${response.status}`);
    const accumulator = new PlainAccumulator();
    const parser = createParser({ onEvent: (event) => accumulator.add(JSON.parse(event.data)) });
    await feedSSEBody(response.body, parser);
    return accumulator.result();
  };
}
