import { createParser } from 'eventsource-parser';
import { floorRequest } from './benchRequest';
import { feedSSEBody } from './feedSSEBody';
import type { StreamConsumer } from './Implementation';
import { PlainAccumulator } from './PlainAccumulator';

/**
 * The floor: what the work costs with nothing on top. `fetch`, a reader loop, one streaming
 * `TextDecoder`, `eventsource-parser`, `JSON.parse` of each event's data and plain string
 * accumulation (tool input parsed once, at the end). No Observables, no validation, no snapshots.
 */
export function createFloorConsumer(workloadURL: string): StreamConsumer {
  const request = floorRequest(workloadURL);
  return async () => {
    const body = await request();
    const accumulator = new PlainAccumulator();
    const parser = createParser({ onEvent: (event) => accumulator.add(JSON.parse(event.data)) });
    await feedSSEBody(body, parser);
    return accumulator.result();
  };
}
