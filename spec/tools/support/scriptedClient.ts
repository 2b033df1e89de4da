import { concatMap, defer, from, Observable, timer } from 'rxjs';
import type { Client, MessageCreateParams, RawMessageStreamEvent } from 'rx-anthropic';
import { messageToEvents } from '../../../lib/testing/messageToEvents';
import type { MockContentBlock, MockMessage } from '../../../lib/testing/types';

/** One scripted turn: the reply, and how many frames after the request it streams (all its events in that frame). */
export interface ScriptedTurn {
  readonly content: readonly MockContentBlock[];
  readonly stop_reason: string;
  readonly frames?: number;
  readonly container?: { id: string; expires_at: string } | null;
  readonly usage?: { input_tokens: number; output_tokens: number };
}

/** A request the scripted client got: when (the scheduler's time at subscribe) and with what. */
export interface ScriptedRequest {
  readonly at: number;
  readonly params: MessageCreateParams;
}

/**
 * A `Client` whose `messages.stream` plays `turns` in order on the current scheduler (virtual
 * time inside `TestScheduler.run`), for marble tests of the tool loop: no HTTP, every request
 * recorded with its time. Pings are dropped, as the real client drops them.
 */
export function scriptedClient(turns: readonly ScriptedTurn[], now: () => number): { client: Client; requests: ScriptedRequest[] } {
  const requests: ScriptedRequest[] = [];
  const stream = (params: MessageCreateParams): Observable<RawMessageStreamEvent> =>
    defer(() => {
      const index = requests.length;
      requests.push({ at: now(), params });
      const turn = turns[index];
      if (!turn) throw new Error(`scriptedClient: no turn scripted for request ${index}`);
      const message: MockMessage = {
        id: `msg_${index}`,
        type: 'message',
        role: 'assistant',
        model: params.model,
        content: turn.content,
        stop_reason: turn.stop_reason,
        stop_sequence: null,
        container: turn.container ?? null,
        usage: { cache_creation_input_tokens: null, cache_read_input_tokens: null, ...(turn.usage ?? { input_tokens: 10, output_tokens: 5 }) },
      };
      const events = messageToEvents(message).filter((event) => (event as { type: string }).type !== 'ping') as RawMessageStreamEvent[];
      return timer(turn.frames ?? 1).pipe(concatMap(() => from(events)));
    });
  return { client: { messages: { stream } } as unknown as Client, requests };
}

/** A `tool_use` block. */
export const toolUse = (id: string, name: string, input: object = {}): MockContentBlock => ({ type: 'tool_use', id, name, input });
/** A `text` block. */
export const text = (value: string): MockContentBlock => ({ type: 'text', text: value });
