import { bufferView } from './bufferView';

const NEWLINE = 0x0a;
const CARRIAGE_RETURN = 0x0d;
const MESSAGE_START = Buffer.from('message_start');
const MESSAGE_DELTA = Buffer.from('message_delta');
const DATA_FIELD = /^data: ?/;

/** An event, parsed from its `data:` line, that may carry usage: `message_start` or `message_delta`. */
export type ScannedEvent = { readonly type: string; readonly [field: string]: unknown };

/**
 * Finds, in a chunk of an SSE stream's bytes made of whole lines (see `wholeEvents`), the `data:`
 * lines whose JSON is a `message_start` or a `message_delta` event, and gives each one, parsed.
 *
 * Written by hand because the relay passes the API's bytes on untouched and needs two events of a
 * stream's thousands: an SSE parser (eventsource-parser) would decode and split every line only
 * for the relay to throw them away, and that was most of the relay's work. Here the chunk is
 * searched natively (`Buffer.indexOf`) for the two event names; only a line that holds one is
 * decoded and parsed, and kept only if its JSON's `type` is that event (a text delta that quotes
 * "message_start" is parsed and dropped). Lines end with `\n` (or `\r\n`), as the API writes them.
 * A stream has one `message_start`, at its head: once it has been seen, `startSeen` spares every
 * later chunk that search.
 */
export function scanUsageLines(chunk: Uint8Array, onEvent: (event: ScannedEvent) => void, startSeen = false): void {
  const bytes = bufferView(chunk);
  let start = startSeen ? -1 : bytes.indexOf(MESSAGE_START);
  let delta = bytes.indexOf(MESSAGE_DELTA);
  for (;;) {
    const at = start < 0 ? delta : delta < 0 ? start : Math.min(start, delta);
    if (at < 0) return;
    const newline = bytes.indexOf(NEWLINE, at);
    const end = newline < 0 ? bytes.length : newline;
    const event = parsedDataLine(bytes.subarray(bytes.lastIndexOf(NEWLINE, at) + 1, end));
    if (event) onEvent(event);
    if (newline < 0) return;
    if (start >= 0 && start < end) start = bytes.indexOf(MESSAGE_START, end);
    if (delta >= 0 && delta < end) delta = bytes.indexOf(MESSAGE_DELTA, end);
  }
}

/** The event of a `data:` line whose JSON is a `message_start` or `message_delta`; `undefined` for any other line. */
function parsedDataLine(line: Buffer): ScannedEvent | undefined {
  const text = line.toString('utf8', 0, line.length > 0 && line[line.length - 1] === CARRIAGE_RETURN ? line.length - 1 : line.length);
  const field = DATA_FIELD.exec(text);
  if (!field) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text.slice(field[0].length));
  } catch {
    return undefined; // Not JSON: the browser's decoder reports it; there is no usage in it to count.
  }
  const { type } = (value ?? {}) as { type?: unknown };
  return type === 'message_start' || type === 'message_delta' ? (value as ScannedEvent) : undefined;
}
