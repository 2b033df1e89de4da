/**
 * One server-sent event, as the SSE wire format defines it.
 *
 * ## Example
 * ```ts
 * bytes$.pipe(fromSSE()).subscribe((sse: ServerSentEvent) => console.log(sse.event, JSON.parse(sse.data)));
 * ```
 */
export interface ServerSentEvent {
  /** The `event:` field, `undefined` when the event had none. */
  event: string | undefined;
  /** The `data:` lines joined with `\n`. */
  data: string;
  /** The `id:` field, `undefined` when the event had none. */
  id: string | undefined;
}
