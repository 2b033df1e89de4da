import { lastValueFrom, tap } from 'rxjs';
import { createClient, finalMessage, messageStreamEvents, textDeltas, type MessageCreateParams, type MessageStreamEvent } from 'rx-anthropic';
import { BENCH_API_KEY, BENCH_REQUEST } from './benchRequest';
import type { RelayAccess, StreamConsumer } from './Implementation';
import { PlainAccumulator } from './PlainAccumulator';
import { resultFromMessage, snapshotSink } from './resultFromMessage';

const params = BENCH_REQUEST as unknown as MessageCreateParams;

/** The client of a workload URL; with `relay`, a browser's client of the relay: no key, a bearer token, an `Origin`. */
function client(workloadURL: string, relay?: RelayAccess) {
  if (relay) {
    return createClient({ apiKey: null, authToken: null, baseURL: workloadURL, maxRetries: 0, defaultHeaders: { authorization: `Bearer ${relay.token}`, origin: relay.origin } });
  }
  return createClient({ apiKey: BENCH_API_KEY, baseURL: workloadURL, maxRetries: 0 });
}

/** `client.messages.stream()`: the raw events (fetch → fromSSE → decodeEvents), accumulated plainly by the subscriber. */
export function createRawConsumer(workloadURL: string, relay?: RelayAccess): StreamConsumer {
  const messages = client(workloadURL, relay).messages;
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

/** Reads the snapshot of every derived event that has one (text, thinking, citation, input_json), as a live UI does. */
function readSnapshot(event: MessageStreamEvent): void {
  switch (event.type) {
    case 'text':
    case 'thinking':
    case 'citation':
      snapshotSink.keep(event.snapshot);
      return;
    case 'input_json':
      snapshotSink.read(event.snapshot);
      return;
  }
}

/**
 * The pipeline of a live UI: `messageStreamEvents()` with every event consumed and every
 * snapshot read (`input_json.snapshot` on every tool delta), then `finalMessage()` for the result.
 */
export function createEventsConsumer(workloadURL: string, relay?: RelayAccess): StreamConsumer {
  const messages = client(workloadURL, relay).messages;
  return async () => resultFromMessage((await lastValueFrom(messages.stream(params).pipe(messageStreamEvents(), tap(readSnapshot), finalMessage()))) as never);
}

/** `finalMessage()`: only the finished message. */
export function createFinalMessageConsumer(workloadURL: string, relay?: RelayAccess): StreamConsumer {
  const messages = client(workloadURL, relay).messages;
  return async () => resultFromMessage((await lastValueFrom(messages.stream(params).pipe(finalMessage()))) as never);
}

/** `textDeltas()`: the text as it streams, concatenated (the SDKs' `text_stream`); only for workloads where text is the whole result. */
export function createTextDeltasConsumer(workloadURL: string, relay?: RelayAccess): StreamConsumer {
  const messages = client(workloadURL, relay).messages;
  return () =>
    new Promise((resolve, reject) => {
      let text = '';
      messages
        .stream(params)
        .pipe(textDeltas())
        .subscribe({
          next: (delta) => (text += delta),
          error: reject,
          complete: () => resolve({ text, thinking: '', toolInputs: [] }),
        });
    });
}

/**
 * Every recovery option of issue 25 turned on, none of them needed (no fault is injected):
 * another model to fall back to, continuation after a drop, a hedge that never starts (no stream
 * waits a minute for content), and every timeout phase. What a stream pays for them when nothing
 * goes wrong.
 */
export const RECOVERY_OPTIONS = {
  continueOnDrop: 3,
  fallback: { models: ['claude-bench-fallback'] },
  hedge: { afterMs: 60_000 },
  timeout: { firstTokenMs: 60_000, idleMs: 60_000, totalMs: 600_000 },
} as const;

/** `rx-events` (every event, every snapshot read, then `finalMessage()`) with {@link RECOVERY_OPTIONS} on each request. */
export function createRecoveryEventsConsumer(workloadURL: string, relay?: RelayAccess): StreamConsumer {
  const messages = client(workloadURL, relay).messages;
  return async () =>
    resultFromMessage((await lastValueFrom(messages.stream(params, RECOVERY_OPTIONS).pipe(messageStreamEvents(), tap(readSnapshot), finalMessage()))) as never);
}
