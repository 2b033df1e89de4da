import { defer, finalize, tap, type MonoTypeOperatorFunction } from 'rxjs';
import type { Message, RawMessageStreamEvent, Usage } from '../schema';
import { scanUsageLines, type ScannedEvent } from './scanUsageLines';

/** What one upstream answer used, as far as it came. */
export interface MeteredAnswer {
  readonly model: string;
  readonly usage: Usage;
  readonly stopReason: string | null;
  readonly durationMs: number;
}

/** The two events that say what a stream used: where its message starts, and its deltas. */
type UsageEvent =
  | { readonly type: 'message_start'; readonly message: { readonly model: string; readonly usage: Usage } }
  | { readonly type: 'message_delta'; readonly delta: { readonly stop_reason?: string | null }; readonly usage?: Partial<Record<keyof Usage, unknown>> | null };

/**
 * Reports, once, what a stream used when it ends: finished, failed, or unsubscribed (the browser
 * left, or the deadline passed). The usage is `message_start`'s, with each `message_delta`'s
 * non-null fields over it, as the API reports it; a stream that never started a message reports
 * nothing (no answer, nothing spent). `watch` is called per subscription with the function to
 * call for each usage event, and gives the function that looks at each item.
 */
function meterStream<T>(watch: (see: (event: UsageEvent) => void) => (item: T) => void, report: (answer: MeteredAnswer) => void): MonoTypeOperatorFunction<T> {
  return (source) =>
    defer(() => {
      const started = Date.now();
      let answer: { model: string; usage: Usage; stopReason: string | null } | undefined;
      const see = (event: UsageEvent): void => {
        if (event.type === 'message_start') {
          answer = { model: event.message.model, usage: { ...event.message.usage }, stopReason: null };
        } else if (answer) {
          const usage: Record<string, unknown> = { ...answer.usage };
          for (const [field, value] of Object.entries(event.usage ?? {})) if (value !== null && value !== undefined) usage[field] = value;
          answer = { model: answer.model, usage: usage as Usage, stopReason: event.delta.stop_reason ?? answer.stopReason };
        }
      };
      return source.pipe(
        tap(watch(see)),
        finalize(() => {
          if (answer) report({ ...answer, durationMs: Date.now() - started });
        }),
      );
    });
}

/** Whether a parsed event is one of the two that carry usage, in the shape the meter reads. */
function isUsageEvent(event: ScannedEvent): event is ScannedEvent & UsageEvent {
  if (event.type === 'message_start') {
    const message = event['message'] as { model?: unknown; usage?: unknown } | undefined;
    return typeof message?.model === 'string' && typeof message.usage === 'object' && message.usage !== null;
  }
  return event.type === 'message_delta' && typeof event['delta'] === 'object' && event['delta'] !== null;
}

/** {@link meterStream} over decoded events. */
export function meterEvents(report: (answer: MeteredAnswer) => void): MonoTypeOperatorFunction<RawMessageStreamEvent> {
  return meterStream(
    (see) => (event) => {
      if (event.type === 'message_start' || event.type === 'message_delta') see(event as UsageEvent);
    },
    report,
  );
}

/**
 * {@link meterStream} over the bytes of the API's event stream as they came, each chunk whole
 * lines (`wholeEvents()` before it): only the lines that carry usage are read (see `scanUsageLines`).
 */
export function meterBody(report: (answer: MeteredAnswer) => void): MonoTypeOperatorFunction<Uint8Array> {
  return meterStream((see) => {
    let startSeen = false;
    return (chunk) =>
      scanUsageLines(
        chunk,
        (event) => {
          if (!isUsageEvent(event)) return;
          if (event.type === 'message_start') startSeen = true;
          see(event);
        },
        startSeen,
      );
  }, report);
}

/** Reports what a whole message (not streamed) used, when it arrives. */
export function meterMessage(report: (answer: MeteredAnswer) => void): MonoTypeOperatorFunction<Message> {
  return (source) => {
    let started = 0;
    return source.pipe(
      tap({
        subscribe: () => void (started = Date.now()),
        next: (message) => report({ model: message.model, usage: message.usage, stopReason: message.stop_reason, durationMs: Date.now() - started }),
      }),
    );
  };
}

/** The tokens a usage counts against a budget: every input token (cached or not) and every output token. */
export function tokensOf(usage: Usage): number {
  return usage.input_tokens + (usage.cache_creation_input_tokens ?? 0) + (usage.cache_read_input_tokens ?? 0) + usage.output_tokens;
}
