import type { EventSourceParser } from 'eventsource-parser';

/**
 * The floor's reader loop: every chunk of a response body, decoded by one streaming
 * `TextDecoder`, fed to an `eventsource-parser` (no Observables, nothing else on top).
 */
export async function feedSSEBody(body: ReadableStream<Uint8Array>, parser: EventSourceParser): Promise<void> {
  const decoder = new TextDecoder();
  const reader = body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    parser.feed(decoder.decode(value, { stream: true }));
  }
  parser.feed(decoder.decode());
}
