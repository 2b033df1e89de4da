/**
 * A `fetch` whose every response the test drives by hand: when the headers come, each chunk of
 * the body, the end. With the client on a VirtualTimeScheduler, the test moves time between
 * steps, so that timeouts are tested in virtual time against the real transport.
 */
import type { VirtualTimeScheduler } from 'rxjs';

/** One request the fake fetch received, and the controls of its response. */
export interface ControlledExchange {
  readonly url: string;
  readonly body: unknown;
  /** The request's signal was aborted (the client unsubscribed or timed it out). */
  readonly aborted: () => boolean;
  /** Sends the status line and headers (an event stream by default). */
  respond(status?: number, headers?: Record<string, string>): void;
  /** Sends one chunk of the body. */
  send(text: string): void;
  /** Ends the body. */
  end(): void;
}

export function controlledFetch(): { fetch: typeof fetch; exchanges: ControlledExchange[] } {
  const exchanges: ControlledExchange[] = [];
  const fetchImpl = ((input: string | URL | Request, init: RequestInit = {}) =>
    new Promise<Response>((resolve, reject) => {
      const signal = init.signal;
      let body: ReadableStreamDefaultController<Uint8Array> | undefined;
      const stream = new ReadableStream<Uint8Array>({
        start(controller) {
          body = controller;
        },
      });
      signal?.addEventListener('abort', () => {
        const abort = new DOMException('This operation was aborted', 'AbortError');
        reject(abort);
        try {
          body?.error(abort);
        } catch {
          // The body had ended already.
        }
      });
      exchanges.push({
        url: String(input),
        body: typeof init.body === 'string' ? JSON.parse(init.body) : undefined,
        aborted: () => signal?.aborted === true,
        respond: (status = 200, headers = { 'content-type': 'text/event-stream' }) => resolve(new Response(stream, { status, headers })),
        send: (text) => body?.enqueue(new TextEncoder().encode(text)),
        end: () => body?.close(),
      });
    })) as typeof fetch;
  return { fetch: fetchImpl, exchanges };
}

/** Lets pending promises and stream reads settle. */
export async function settle(rounds = 5): Promise<void> {
  for (let i = 0; i < rounds; i += 1) await new Promise((resolve) => setImmediate(resolve));
}

/** Moves virtual time to `time` (running what is due on the way), then lets I/O settle. */
export async function advanceTo(scheduler: VirtualTimeScheduler, time: number): Promise<void> {
  await settle();
  // A no-op at `time`, so that the clock reads `time` even when nothing else is due then.
  if (time > scheduler.now()) scheduler.schedule(() => undefined, time - scheduler.now());
  scheduler.maxFrames = time;
  scheduler.flush();
  await settle();
}

/** One server-sent event frame. */
export const frame = (type: string, data: object): string => `event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`;

export const MESSAGE_START = frame('message_start', {
  message: {
    id: 'msg_virtual',
    type: 'message',
    role: 'assistant',
    model: 'claude-sonnet-4-6',
    content: [],
    stop_reason: null,
    stop_sequence: null,
    usage: { input_tokens: 3, output_tokens: 1 },
  },
});
export const PING = frame('ping', {});
export const TEXT_START = frame('content_block_start', { index: 0, content_block: { type: 'text', text: '' } });
export const textDelta = (text: string): string => frame('content_block_delta', { index: 0, delta: { type: 'text_delta', text } });
export const MESSAGE_END =
  frame('content_block_stop', { index: 0 }) + frame('message_delta', { delta: { stop_reason: 'end_turn', stop_sequence: null }, usage: { output_tokens: 2 } }) + frame('message_stop', {});
