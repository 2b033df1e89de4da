import { from, type Observable } from 'rxjs';

import { accumulateMessage } from '../../lib/operators/accumulateMessage';
import { finalMessage } from '../../lib/operators/finalMessage';
import type { MessageStreamEvent } from '../../lib/operators/MessageStreamEvent';
import { messageStreamEvents } from '../../lib/operators/messageStreamEvents';
import { textDeltas } from '../../lib/operators/textDeltas';
import { decodeEvents } from '../../lib/schema/decodeEvents';
import type { RawMessageStreamEvent } from '../../lib/schema/streamEvents';
import { fromSSE } from '../../lib/sse/fromSSE';

/** What a subscription gave: its values, and its error when it failed. */
export interface Collected<T> {
  values: T[];
  error?: unknown;
  completed: boolean;
}

/** Subscribes and collects synchronously: every source here is synchronous (`from(chunks)`). */
export function collect<T>(source: Observable<T>): Collected<T> {
  const result: Collected<T> = { values: [], completed: false };
  source.subscribe({
    next: (value) => result.values.push(value),
    error: (error: unknown) => (result.error = error),
    complete: () => (result.completed = true),
  });
  if (!result.completed && !('error' in result)) throw new Error('the pipeline did not finish synchronously');
  return result;
}

/** The raw events of a byte stream, cut into the given chunks: `fromSSE() → decodeEvents()`. */
export function rawEvents(chunks: readonly Uint8Array[]): Observable<RawMessageStreamEvent> {
  return from(chunks).pipe(fromSSE(), decodeEvents());
}

/** Everything the conformance suites compare, from one chunking of a fixture. */
export interface Outcome {
  raw: Collected<RawMessageStreamEvent>;
  /** The last snapshot accumulateMessage() emitted, as JSON (lazy inputs read), and how the stream ended. */
  lastSnapshot: unknown;
  snapshotCount: number;
  snapshotError?: unknown;
  final: Collected<unknown>;
  text: Collected<string>;
  events: Collected<MessageStreamEvent>;
}

/** Runs the operators on the bytes, each on its own subscription, as a user would. */
export function outcomeOf(chunks: readonly Uint8Array[]): Outcome {
  const snapshots = collect(rawEvents(chunks).pipe(accumulateMessage()));
  const outcome: Outcome = {
    raw: collect(rawEvents(chunks)),
    lastSnapshot: snapshots.values.length > 0 ? plain(snapshots.values[snapshots.values.length - 1]) : undefined,
    snapshotCount: snapshots.values.length,
    final: collect(rawEvents(chunks).pipe(finalMessage())),
    text: collect(rawEvents(chunks).pipe(textDeltas())),
    events: collect(rawEvents(chunks).pipe(messageStreamEvents())),
  };
  if ('error' in snapshots) outcome.snapshotError = snapshots.error;
  return outcome;
}

/** The JSON form of a value: lazy getters read, `undefined` dropped, key order irrelevant to `toEqual`. */
export function plain<T>(value: T): T {
  return value === undefined ? value : (JSON.parse(JSON.stringify(value)) as T);
}

/** A copy without null-valued keys, recursively: pydantic's `model_dump(exclude_none=True)`. */
export function dropNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(dropNulls);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([, v]) => v !== null)
        .map(([k, v]) => [k, dropNulls(v)]),
    );
  }
  return value;
}

/** The value at a path such as `usage.output_tokens`, `content[1]` or `content[0].type`. */
export function valueAt(root: unknown, path: string): unknown {
  const steps = path.match(/[^.[\]]+/g) ?? [];
  return steps.reduce<unknown>((value, step) => {
    if (value === null || typeof value !== 'object') return undefined;
    return (value as Record<string, unknown>)[/^\d+$/.test(step) ? Number(step) : step] as unknown;
  }, root);
}
