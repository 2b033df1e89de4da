import Anthropic from '@anthropic-ai/sdk';
import { BENCH_API_KEY, BENCH_REQUEST } from './benchRequest';
import type { StreamConsumer } from './Implementation';
import { PlainAccumulator } from './PlainAccumulator';
import { resultFromMessage, snapshotSink } from './resultFromMessage';

function client(workloadURL: string): Anthropic {
  return new Anthropic({ apiKey: BENCH_API_KEY, baseURL: workloadURL, maxRetries: 0 });
}

/**
 * `messages.stream()`: every event consumed with `for await`, an `inputJson` listener reading the
 * snapshot on every tool delta, then `finalMessage()`.
 */
export function createMessageStreamConsumer(workloadURL: string): StreamConsumer {
  const anthropic = client(workloadURL);
  return async () => {
    const stream = anthropic.messages.stream(BENCH_REQUEST);
    stream.on('inputJson', (_delta, snapshot) => snapshotSink.read(snapshot));
    for await (const event of stream) void event;
    return resultFromMessage((await stream.finalMessage()) as never);
  };
}

/**
 * `messages.stream()` without an `inputJson` listener (the SDK's lazy mode: it builds no partial
 * tool input): every event consumed with `for await`, then `finalMessage()`.
 */
export function createLazyMessageStreamConsumer(workloadURL: string): StreamConsumer {
  const anthropic = client(workloadURL);
  return async () => {
    const stream = anthropic.messages.stream(BENCH_REQUEST);
    for await (const event of stream) void event;
    return resultFromMessage((await stream.finalMessage()) as never);
  };
}

/** `messages.create({ stream: true })`: the raw events with `for await`, accumulated plainly. */
export function createRawStreamConsumer(workloadURL: string): StreamConsumer {
  const anthropic = client(workloadURL);
  return async () => {
    const stream = await anthropic.messages.create({ ...BENCH_REQUEST, stream: true });
    const accumulator = new PlainAccumulator();
    for await (const event of stream) accumulator.add(event as never);
    return accumulator.result();
  };
}
