import { finalize, tap, type MonoTypeOperatorFunction } from 'rxjs';
import type { Message, RawMessageStreamEvent, Usage } from '../schema';

/** What one upstream answer used, as far as it came. */
export interface MeteredAnswer {
  readonly model: string;
  readonly usage: Usage;
  readonly stopReason: string | null;
  readonly durationMs: number;
}

/**
 * Reports, once, what a stream used when it ends: finished, failed, or unsubscribed (the browser
 * left, or the deadline passed). The usage is `message_start`'s, with each `message_delta`'s
 * non-null fields over it, as the API reports it; a stream that never started a message reports
 * nothing (no answer, nothing spent).
 */
export function meterEvents(report: (answer: MeteredAnswer) => void): MonoTypeOperatorFunction<RawMessageStreamEvent> {
  return (source) => {
    let started = 0;
    let answer: { model: string; usage: Usage; stopReason: string | null } | undefined;
    return source.pipe(
      tap({
        subscribe: () => void (started = Date.now()),
        next: (event) => {
          if (event.type === 'message_start') {
            answer = { model: event.message.model, usage: { ...event.message.usage }, stopReason: null };
          } else if (event.type === 'message_delta' && answer) {
            const usage: Record<string, unknown> = { ...answer.usage };
            for (const [field, value] of Object.entries(event.usage ?? {})) if (value !== null && value !== undefined) usage[field] = value;
            answer = { model: answer.model, usage: usage as Usage, stopReason: event.delta.stop_reason ?? answer.stopReason };
          }
        },
      }),
      finalize(() => {
        if (answer) report({ ...answer, durationMs: Date.now() - started });
        answer = undefined;
      }),
    );
  };
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
