/**
 * The raw events of a Messages stream, shaped as the API sends them (field order included), for
 * the benchmark's generated workloads.
 */

/** A raw event as it goes on the wire: an object with a `type`. */
export type WireEvent = { type: string } & Record<string, unknown>;

export const MODEL = 'claude-sonnet-4-6';

export function messageStart(id: string): WireEvent {
  return {
    type: 'message_start',
    message: {
      model: MODEL,
      id,
      type: 'message',
      role: 'assistant',
      content: [],
      stop_reason: null,
      stop_sequence: null,
      usage: {
        input_tokens: 472,
        cache_creation_input_tokens: 0,
        cache_read_input_tokens: 0,
        cache_creation: { ephemeral_5m_input_tokens: 0, ephemeral_1h_input_tokens: 0 },
        output_tokens: 2,
        service_tier: 'standard',
      },
    },
  };
}

export function ping(): WireEvent {
  return { type: 'ping' };
}

export function textBlockStart(index: number, withCitations = false): WireEvent {
  const block = withCitations ? { citations: [], type: 'text', text: '' } : { type: 'text', text: '' };
  return { type: 'content_block_start', index, content_block: block };
}

export function thinkingBlockStart(index: number): WireEvent {
  return { type: 'content_block_start', index, content_block: { type: 'thinking', thinking: '', signature: '' } };
}

export function toolUseBlockStart(index: number, id: string, name: string): WireEvent {
  return { type: 'content_block_start', index, content_block: { type: 'tool_use', id, name, input: {} } };
}

export function textDelta(index: number, text: string): WireEvent {
  return { type: 'content_block_delta', index, delta: { type: 'text_delta', text } };
}

export function thinkingDelta(index: number, thinking: string): WireEvent {
  return { type: 'content_block_delta', index, delta: { type: 'thinking_delta', thinking } };
}

export function signatureDelta(index: number, signature: string): WireEvent {
  return { type: 'content_block_delta', index, delta: { type: 'signature_delta', signature } };
}

export function inputJsonDelta(index: number, partialJson: string): WireEvent {
  return { type: 'content_block_delta', index, delta: { type: 'input_json_delta', partial_json: partialJson } };
}

export function citationsDelta(index: number, citation: Record<string, unknown>): WireEvent {
  return { type: 'content_block_delta', index, delta: { type: 'citations_delta', citation } };
}

export function blockStop(index: number): WireEvent {
  return { type: 'content_block_stop', index };
}

export function messageDelta(stopReason: 'end_turn' | 'tool_use', outputTokens: number): WireEvent {
  return {
    type: 'message_delta',
    delta: { stop_reason: stopReason, stop_sequence: null },
    usage: { input_tokens: 472, cache_creation_input_tokens: 0, cache_read_input_tokens: 0, output_tokens: outputTokens },
  };
}

export function messageStop(): WireEvent {
  return { type: 'message_stop' };
}

/** `event: <type>\ndata: <JSON>\n\n`, as the API frames every event. */
export function sseFrame(event: WireEvent): string {
  return `event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`;
}
