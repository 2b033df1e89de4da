/** What a list of raw events amounts to when a non-streaming request asks for it. */
export type AccumulatedEvents =
  | { readonly kind: 'message'; readonly message: Record<string, unknown> }
  | { readonly kind: 'error'; readonly error: { readonly type: string; readonly message: string } }
  | { readonly kind: 'none'; readonly reason: string };

type Block = Record<string, unknown>;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function applyDelta(block: Block, delta: Record<string, unknown>, json: Map<Block, string>): void {
  switch (delta.type) {
    case 'text_delta':
      block.text = String(block.text ?? '') + String(delta.text ?? '');
      break;
    case 'thinking_delta':
      block.thinking = String(block.thinking ?? '') + String(delta.thinking ?? '');
      break;
    case 'signature_delta':
      block.signature = delta.signature;
      break;
    case 'citations_delta':
      block.citations = [...(Array.isArray(block.citations) ? block.citations : []), delta.citation];
      break;
    case 'input_json_delta':
      json.set(block, (json.get(block) ?? '') + String(delta.partial_json ?? ''));
      break;
  }
}

/**
 * Folds raw stream events into the Message a non-streaming request would get, following the
 * rules of `fixtures/real-world/README.md`. A deliberately small reducer: the library's own
 * accumulator is what tests check; this one only has to answer recorded streams sensibly. An
 * `error` event wins, since the API answers a failed request with an error, not a partial Message.
 */
export function accumulateEvents(events: readonly object[]): AccumulatedEvents {
  let message: Record<string, unknown> | undefined;
  let content: Block[] = [];
  const json = new Map<Block, string>();
  for (const event of events as readonly Record<string, unknown>[]) {
    if (event.type === 'error') {
      const error = isRecord(event.error) ? event.error : {};
      return {
        kind: 'error',
        error: { type: String(error.type ?? 'api_error'), message: String(error.message ?? 'Stream error') },
      };
    }
    if (event.type === 'message_start' && isRecord(event.message)) {
      message = structuredClone(event.message);
      content = Array.isArray(message.content) ? (message.content as Block[]) : [];
      message.content = content;
      continue;
    }
    if (message === undefined) continue;
    const index = typeof event.index === 'number' ? event.index : -1;
    const block = content[index];
    if (event.type === 'content_block_start' && isRecord(event.content_block)) {
      content[index] = structuredClone(event.content_block);
    } else if (event.type === 'content_block_delta' && block && isRecord(event.delta)) {
      applyDelta(block, event.delta, json);
    } else if (event.type === 'content_block_stop' && block && json.get(block)) {
      try {
        block.input = JSON.parse(json.get(block) ?? '');
      } catch {
        block.input = json.get(block);
      }
    } else if (event.type === 'message_delta') {
      if (isRecord(event.delta)) Object.assign(message, event.delta);
      if (isRecord(event.usage)) {
        const usage: Record<string, unknown> = isRecord(message.usage) ? message.usage : {};
        for (const [key, value] of Object.entries(event.usage)) {
          if (value !== null && value !== undefined) usage[key] = value;
        }
        message.usage = usage;
      }
      if (event.context_management !== undefined) message.context_management = event.context_management;
    }
  }
  return message === undefined ? { kind: 'none', reason: 'the events have no message_start' } : { kind: 'message', message };
}
