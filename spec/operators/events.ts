import { Observable } from 'rxjs';

import type { RawMessageStreamEvent } from '../../lib/schema/streamEvents';

/**
 * Raw stream events as plain objects, for operator specs: short to write in a marble's value
 * map, and shaped like what `decodeEvents()` gives.
 */
type Json = Record<string, unknown>;

const raw = (event: Json): RawMessageStreamEvent => event as unknown as RawMessageStreamEvent;

export function messageStart(overrides: Json = {}): RawMessageStreamEvent {
  return raw({
    type: 'message_start',
    message: {
      id: 'msg_1',
      type: 'message',
      role: 'assistant',
      model: 'claude-test',
      content: [],
      stop_reason: null,
      stop_sequence: null,
      usage: { input_tokens: 10, output_tokens: 1 },
      ...overrides,
    },
  });
}

export function blockStart(index: number, content_block: Json): RawMessageStreamEvent {
  return raw({ type: 'content_block_start', index, content_block });
}

export const textStart = (index: number, extra: Json = {}): RawMessageStreamEvent => blockStart(index, { type: 'text', text: '', ...extra });
export const thinkingStart = (index: number): RawMessageStreamEvent => blockStart(index, { type: 'thinking', thinking: '', signature: '' });
export const toolStart = (index: number, type = 'tool_use', name = 'get_weather'): RawMessageStreamEvent =>
  blockStart(index, { type, id: `toolu_${index}`, name, input: {} });

export function delta(index: number, d: Json): RawMessageStreamEvent {
  return raw({ type: 'content_block_delta', index, delta: d });
}

export const textDelta = (index: number, text: string): RawMessageStreamEvent => delta(index, { type: 'text_delta', text });
export const inputJsonDelta = (index: number, partial_json: string): RawMessageStreamEvent => delta(index, { type: 'input_json_delta', partial_json });
export const thinkingDelta = (index: number, thinking: string): RawMessageStreamEvent => delta(index, { type: 'thinking_delta', thinking });
export const signatureDelta = (index: number, signature: string): RawMessageStreamEvent => delta(index, { type: 'signature_delta', signature });
export const citationsDelta = (index: number, citation: Json): RawMessageStreamEvent => delta(index, { type: 'citations_delta', citation });
export const compactionDelta = (index: number, content: string | null, encrypted_content?: string | null): RawMessageStreamEvent =>
  delta(index, encrypted_content === undefined ? { type: 'compaction_delta', content } : { type: 'compaction_delta', content, encrypted_content });

export const blockStop = (index: number): RawMessageStreamEvent => raw({ type: 'content_block_stop', index });

export function messageDelta(d: Json = { stop_reason: 'end_turn', stop_sequence: null }, usage: Json = { output_tokens: 5 }, extra: Json = {}): RawMessageStreamEvent {
  return raw({ type: 'message_delta', delta: d, usage, ...extra });
}

export const messageStop = (): RawMessageStreamEvent => raw({ type: 'message_stop' });

/** A citation of the `char_location` kind, numbered so that citations are easy to tell apart. */
export function citation(n: number): Json {
  return { type: 'char_location', cited_text: `quote ${n}`, document_index: 0, document_title: null, start_char_index: n, end_char_index: n + 5 };
}

/** A whole text message: start, one text block in the given deltas, end_turn, stop. */
export function textMessage(deltas: readonly string[], id = 'msg_1'): RawMessageStreamEvent[] {
  return [
    messageStart({ id }),
    textStart(0),
    ...deltas.map((text) => textDelta(0, text)),
    blockStop(0),
    messageDelta(),
    messageStop(),
  ];
}

/** A message with a text block then a tool_use block whose input arrives in the given fragments. */
export function toolMessage(fragments: readonly string[], id = 'msg_1', type = 'tool_use'): RawMessageStreamEvent[] {
  return [
    messageStart({ id }),
    textStart(0),
    textDelta(0, 'Let me check.'),
    blockStop(0),
    toolStart(1, type),
    ...fragments.map((fragment) => inputJsonDelta(1, fragment)),
    blockStop(1),
    messageDelta({ stop_reason: 'tool_use', stop_sequence: null }),
    messageStop(),
  ];
}

/** Values for a marble map from an array: `a`, `b`, `c`, … in order. */
export function marbleValues<T>(values: readonly T[]): { marbles: string; values: Record<string, T> } {
  const letters = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';
  if (values.length > letters.length) throw new Error('too many values for one marble string');
  const map: Record<string, T> = {};
  values.forEach((value, i) => (map[letters[i] as string] = value));
  return { marbles: letters.slice(0, values.length), values: map };
}

/** The JSON form of a value: what a consumer sees after serialising (lazy getters read, undefined dropped). */
export function plain<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

/**
 * A synchronous source that never ends by itself: a message_start, a text block, then text
 * deltas for as long as its subscriber is open (capped, so that a regression fails instead of
 * hanging). With `badAt`, the event at that position is a delta for a block never started.
 * `pulled()` says how many events it has emitted.
 */
export function endlessTextStream(badAt?: number, cap = 10_000): { source: Observable<RawMessageStreamEvent>; pulled: () => number } {
  let pulled = 0;
  const source = new Observable<RawMessageStreamEvent>((subscriber) => {
    pulled = 0;
    const events = [messageStart(), textStart(0)];
    while (!subscriber.closed) {
      if (pulled >= cap) {
        subscriber.error(new Error(`the source was pulled ${cap} times: its consumer never stopped it`));
        return;
      }
      subscriber.next(events[pulled] ?? (pulled === badAt ? textDelta(7, 'no such block') : textDelta(0, 'x')));
      pulled += 1;
    }
  });
  return { source, pulled: () => pulled };
}
