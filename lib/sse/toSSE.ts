import { map, type OperatorFunction } from 'rxjs';

/**
 * Serialises events back to SSE text, one frame per event, as the API sends them.
 *
 * Each value becomes `event: <type>\ndata: <JSON>\n\n`, so a server can relay a stream to a
 * browser, where `fromSSE()` and `decodeEvents()` give back equal events. `JSON.stringify`
 * escapes every line break inside strings, so one `data:` line always suffices.
 *
 * ## Example
 * ```ts
 * client.messages.stream(params).pipe(toSSE()).subscribe((frame) => response.write(frame));
 * ```
 *
 * @return An operator from events (objects with a string `type`) to SSE frames.
 * @see fromSSE
 */
export function toSSE<T extends { type: string }>(): OperatorFunction<T, string> {
  return map((event) => `event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`);
}
