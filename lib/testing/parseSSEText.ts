/**
 * The JSON payloads of an SSE text, in order: enough to answer a recorded stream to a
 * non-streaming request. Frames whose data is not JSON are skipped; `lib/sse` is the real parser.
 */
export function parseSSEText(text: string): object[] {
  const events: object[] = [];
  for (const frame of text.split(/\r\n\r\n|\n\n|\r\r/)) {
    const data = frame
      .split(/\r\n|\n|\r/)
      .filter((line) => line.startsWith('data:'))
      .map((line) => line.slice(line.startsWith('data: ') ? 6 : 5))
      .join('\n');
    if (data === '') continue;
    try {
      const value: unknown = JSON.parse(data);
      if (typeof value === 'object' && value !== null) events.push(value);
    } catch {
      // A malformed frame is the point of some fixtures; the streaming answer still sends it.
    }
  }
  return events;
}
