import { lastValueFrom } from 'rxjs';
import { createClient, finalMessage, messageStreamEvents, type MessageCreateParams } from 'rx-anthropic';
import { BENCH_API_KEY, BENCH_REQUEST } from './benchRequest';
import type { StreamConsumer } from './Implementation';
import { PlainAccumulator } from './PlainAccumulator';
import { resultFromMessage, snapshotSink } from './resultFromMessage';

const params = BENCH_REQUEST as unknown as MessageCreateParams;

function client(workloadURL: string) {
  return createClient({ apiKey: BENCH_API_KEY, baseURL: workloadURL, maxRetries: 0 });
}

/** `client.messages.stream()`: the raw events (fetch → fromSSE → decodeEvents), accumulated plainly by the subscriber. */
export function createRawConsumer(workloadURL: string): StreamConsumer {
  const messages = client(workloadURL).messages;
  return () =>
    new Promise((resolve, reject) => {
      const accumulator = new PlainAccumulator();
      messages.stream(params).subscribe({
        next: (event) => accumulator.add(event as never),
        error: reject,
        complete: () => resolve(accumulator.result()),
      });
    });
}

/**
 * `messageStreamEvents()`, consuming every event and reading `snapshot` on every `input_json`
 * event (what a live UI does); the result is the message of `message_stop`.
 */
export function createEventsConsumer(workloadURL: string): StreamConsumer {
  const messages = client(workloadURL).messages;
  return () =>
    new Promise((resolve, reject) => {
      let message: Parameters<typeof resultFromMessage>[0] | undefined;
      messages
        .stream(params)
        .pipe(messageStreamEvents())
        .subscribe({
          next: (event) => {
            if (event.type === 'input_json') snapshotSink.read(event.snapshot);
            else if (event.type === 'message_stop') message = event.message as never;
          },
          error: reject,
          complete: () => (message ? resolve(resultFromMessage(message)) : reject(new Error('no message_stop'))),
        });
    });
}

/** `finalMessage()`: only the finished message. */
export function createFinalMessageConsumer(workloadURL: string): StreamConsumer {
  const messages = client(workloadURL).messages;
  return async () => resultFromMessage((await lastValueFrom(messages.stream(params).pipe(finalMessage()))) as never);
}
