import type { MockContentBlock, MockMessage } from './types';

/** Splits on code points, so an emoji is never cut in half between two deltas. */
function chunk(text: string, size: number): string[] {
  const codePoints = Array.from(text);
  const step = Math.max(1, Math.floor(size));
  const chunks: string[] = [];
  for (let start = 0; start < codePoints.length; start += step) {
    chunks.push(codePoints.slice(start, start + step).join(''));
  }
  return chunks;
}

const toolUseTypes = new Set(['tool_use', 'server_tool_use', 'mcp_tool_use']);

/** The `content_block_start` block and the deltas that rebuild `block` from it. */
function blockEvents(block: MockContentBlock, chunkSize: number, jsonChunkSize: number): [object, object[]] {
  if (block.type === 'text' && typeof block.text === 'string') {
    const { text, citations, ...rest } = block;
    const start: Record<string, unknown> = { ...rest, text: '' };
    const deltas: object[] = chunk(text, chunkSize).map((piece) => ({ type: 'text_delta', text: piece }));
    if (Array.isArray(citations)) {
      for (const citation of citations) deltas.push({ type: 'citations_delta', citation });
    } else if (citations !== undefined) {
      start.citations = citations;
    }
    return [start, deltas];
  }
  if (block.type === 'thinking' && typeof block.thinking === 'string') {
    const { thinking, signature } = block;
    const deltas: object[] = chunk(thinking, chunkSize).map((piece) => ({ type: 'thinking_delta', thinking: piece }));
    if (typeof signature === 'string') deltas.push({ type: 'signature_delta', signature });
    return [{ ...block, thinking: '', signature: '' }, deltas];
  }
  if (toolUseTypes.has(block.type)) {
    const json = block.input === undefined ? '' : JSON.stringify(block.input);
    // The API sends one empty partial_json for a call without arguments; clients must cope.
    const pieces = json === '{}' ? [''] : chunk(json, jsonChunkSize);
    return [{ ...block, input: {} }, pieces.map((piece) => ({ type: 'input_json_delta', partial_json: piece }))];
  }
  return [block, []];
}

/**
 * The stream of raw events the API would send for `message`, in the API's order, with a
 * `ping` after the first `content_block_start`. Accumulated, the events give back `message`.
 */
export function messageToEvents(message: MockMessage, chunkSize = 4, jsonChunkSize = 8): object[] {
  const { content, stop_reason, stop_sequence, stop_details, usage } = message;
  // A message's stop_details (a refusal's category, credit token, …) arrive with its stop_reason, as the API sends them.
  const details = stop_details === undefined ? undefined : { stop_details };
  const events: object[] = [
    {
      type: 'message_start',
      message: { ...message, content: [], stop_reason: null, stop_sequence: null, ...(details && { stop_details: null }), usage: { ...usage, output_tokens: 1 } },
    },
  ];
  content.forEach((block, index) => {
    const [start, deltas] = blockEvents(block, chunkSize, jsonChunkSize);
    events.push({ type: 'content_block_start', index, content_block: start });
    if (index === 0) events.push({ type: 'ping' });
    for (const delta of deltas) events.push({ type: 'content_block_delta', index, delta });
    events.push({ type: 'content_block_stop', index });
  });
  if (content.length === 0) events.push({ type: 'ping' });
  events.push(
    { type: 'message_delta', delta: { stop_reason, stop_sequence, ...details }, usage: { output_tokens: usage.output_tokens } },
    { type: 'message_stop' },
  );
  return events;
}
