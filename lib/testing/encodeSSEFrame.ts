/**
 * One SSE frame for an event, named after its `type` as the API does:
 * `event: <type>\ndata: <JSON>\n\n`.
 */
export function encodeSSEFrame(event: object): string {
  const type = (event as { type?: unknown }).type;
  const name = typeof type === 'string' ? `event: ${type}\n` : '';
  return `${name}data: ${JSON.stringify(event)}\n\n`;
}
