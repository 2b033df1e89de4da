import { Observable, type OperatorFunction } from 'rxjs';
import type { StreamEventLike } from '../operators/MessageStreamEvent';
import { subscribeWhileOpen } from '../operators/withAccumulator';
import type { TaggedEvent } from './TaggedEvent';

/**
 * Prices per million tokens, in any currency (the cost comes out in the same one). Cache
 * prices default to Anthropic's multipliers of the input price: 1.25× for cache writes
 * (5-minute cache), 0.1× for cache reads.
 *
 * ## Example
 * ```ts
 * const prices: TokenPrices = { input: 3, output: 15 }; // cacheWrite 3.75 and cacheRead 0.3 by default
 * stream$.pipe(aggregateUsage({ prices }));
 * ```
 */
export interface TokenPrices {
  readonly input: number;
  readonly output: number;
  readonly cacheWrite?: number;
  readonly cacheRead?: number;
}

/**
 * Token counts summed over messages, and their cost when prices were given.
 *
 * ## Example
 * ```ts
 * stream$.pipe(aggregateUsage(), last()).subscribe((figures: UsageFigures) => console.log(figures.inputTokens, figures.outputTokens));
 * ```
 */
export interface UsageFigures {
  /** Input tokens not read from or written to the cache (the API's `input_tokens`). */
  readonly inputTokens: number;
  readonly outputTokens: number;
  /** The API's `cache_creation_input_tokens`. */
  readonly cacheCreationInputTokens: number;
  /** The API's `cache_read_input_tokens`. */
  readonly cacheReadInputTokens: number;
  /** How many messages (each `message_start`) were counted. */
  readonly messages: number;
  /** The cost at the given prices; absent without prices. */
  readonly cost?: number;
}

/**
 * The running totals that {@link aggregateUsage} emits: over everything, and by key for tagged events.
 *
 * ## Example
 * ```ts
 * streamAll(client, { a: paramsA, b: paramsB })
 *   .pipe(aggregateUsage({ prices: { input: 3, output: 15 } }), last())
 *   .subscribe((totals: UsageTotals) => console.log(totals.cost, totals.byKey.a?.outputTokens));
 * ```
 */
export interface UsageTotals<K extends PropertyKey = string> extends UsageFigures {
  /** The figures of each key seen so far (empty for untagged events). */
  readonly byKey: Readonly<Partial<Record<K, UsageFigures>>>;
}

/**
 * Options of {@link aggregateUsage}.
 *
 * ## Example
 * ```ts
 * const options: AggregateUsageOptions = { prices: { input: 3, output: 15 } };
 * stream$.pipe(aggregateUsage(options));
 * ```
 */
export interface AggregateUsageOptions {
  /** Prices per million tokens: with them every figure has a `cost`. */
  prices?: TokenPrices;
}

interface Counts {
  inputTokens: number;
  outputTokens: number;
  cacheCreationInputTokens: number;
  cacheReadInputTokens: number;
}

/** The API's usage field behind each count. */
const FIELDS: readonly (readonly [keyof Counts, string])[] = [
  ['inputTokens', 'input_tokens'],
  ['outputTokens', 'output_tokens'],
  ['cacheCreationInputTokens', 'cache_creation_input_tokens'],
  ['cacheReadInputTokens', 'cache_read_input_tokens'],
];

const zero = (): Counts => ({ inputTokens: 0, outputTokens: 0, cacheCreationInputTokens: 0, cacheReadInputTokens: 0 });

interface StreamState {
  /** The usage of the stream's current message as last reported (cumulative, per the API). */
  current: Counts | undefined;
  totals: Counts & { messages: number };
  figures: UsageFigures | undefined;
}

type Tagged<K> = TaggedEvent<K, StreamEventLike>;

const newStream = (): StreamState => ({ current: undefined, totals: { ...zero(), messages: 0 }, figures: undefined });

/**
 * Adds up token usage (and cost, given prices) across messages and streams, emitting the
 * running totals each time they change.
 *
 * Feed it the events of one stream (raw events, `messageStreamEvents()` output, a tool loop's
 * events) or tagged events of several (`streamAll`, `streamEach`); tagged events are also
 * totalled by key in `byKey`. The usage of a message is counted once: `message_start` gives its
 * first figures, and each `message_delta` replaces them with its cumulative ones (only the
 * fields it carries non-null), adding only the difference. Every `message_start` begins a new
 * message whose usage is added, so the turns of a tool loop sum. Untagged events are taken as
 * one stream: to total several streams, tag them rather than merging their raw events.
 *
 * ## Example
 * ```ts
 * import { last } from 'rxjs';
 * import { aggregateUsage, streamAll } from 'rx-anthropic';
 *
 * streamAll(client, { a: paramsA, b: paramsB }, { concurrency: 2 })
 *   .pipe(aggregateUsage({ prices: { input: 3, output: 15 } }), last())
 *   .subscribe(({ inputTokens, outputTokens, cost, byKey }) => console.log(inputTokens, outputTokens, cost?.toFixed(4), byKey.a));
 * ```
 *
 * @param options Prices per million tokens.
 * @return An operator from (tagged) events to running usage totals.
 * @see streamAll
 * @see streamMetrics
 */
export function aggregateUsage<K extends PropertyKey = string>(
  options: AggregateUsageOptions = {},
): OperatorFunction<StreamEventLike | Tagged<K>, UsageTotals<K>> {
  const { prices } = options;
  const costOf = prices ? costFunction(prices) : undefined;
  const figuresOf = (totals: Counts & { messages: number }): UsageFigures => (costOf ? { ...totals, cost: costOf(totals) } : { ...totals });

  return (source) =>
    new Observable<UsageTotals<K>>((subscriber) => {
      const totals = { ...zero(), messages: 0 };
      const byKey = new Map<K, StreamState>();
      const untagged = newStream();

      return subscribeWhileOpen(source, subscriber, {
        next: (value) => {
          const tagged = isTagged<K>(value);
          const event = tagged ? value.event : value;
          if (event.type !== 'message_start' && event.type !== 'message_delta') return;
          let stream = untagged;
          if (tagged) {
            stream = byKey.get(value.key) ?? newStream();
            byKey.set(value.key, stream);
          }
          const change = usageChange(stream, event);
          if (change === undefined) return;
          addTo(totals, change);
          addTo(stream.totals, change);
          stream.figures = undefined;

          const record: Partial<Record<K, UsageFigures>> = {};
          for (const [key, state] of byKey) record[key] = state.figures ??= figuresOf(state.totals);
          subscriber.next({ ...figuresOf(totals), byKey: record });
        },
        error: (error: unknown) => subscriber.error(error),
        complete: () => subscriber.complete(),
      });
    });
}

/** What an event adds to the totals, or `undefined` when it adds nothing. */
function usageChange(stream: StreamState, event: StreamEventLike): (Counts & { messages: number }) | undefined {
  const change = { ...zero(), messages: 0 };
  let usage: Record<string, unknown> | undefined;
  if (event.type === 'message_start') {
    usage = (event as { message?: { usage?: Record<string, unknown> } }).message?.usage;
    stream.current = zero();
    change.messages = 1;
  } else {
    usage = (event as { usage?: Record<string, unknown> }).usage;
    if (stream.current === undefined) {
      // A delta whose start we never saw still has usage worth counting.
      stream.current = zero();
      change.messages = 1;
    }
  }
  const current = stream.current;
  let changed = change.messages > 0;
  for (const [count, field] of FIELDS) {
    const reported = usage?.[field];
    if (typeof reported !== 'number') continue;
    change[count] = reported - current[count];
    current[count] = reported;
    if (change[count] !== 0) changed = true;
  }
  return changed ? change : undefined;
}

function addTo(totals: Counts & { messages: number }, change: Counts & { messages: number }): void {
  for (const [count] of FIELDS) totals[count] += change[count];
  totals.messages += change.messages;
}

function costFunction(prices: TokenPrices): (counts: Counts) => number {
  const cacheWrite = prices.cacheWrite ?? prices.input * 1.25;
  const cacheRead = prices.cacheRead ?? prices.input * 0.1;
  return (counts) =>
    (counts.inputTokens * prices.input +
      counts.outputTokens * prices.output +
      counts.cacheCreationInputTokens * cacheWrite +
      counts.cacheReadInputTokens * cacheRead) /
    1_000_000;
}

function isTagged<K>(value: StreamEventLike | Tagged<K>): value is Tagged<K> {
  return !('type' in value) && 'event' in value && 'key' in value;
}
