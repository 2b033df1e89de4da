import type { StreamResult } from '../workloads/StreamResult';

type RawEvent = { type: string; index?: number; content_block?: { type: string }; delta?: Record<string, unknown> };

/**
 * The least a consumer of raw events can do to get the result: concatenate text and thinking
 * deltas, concatenate each tool use's `partial_json` and `JSON.parse` it once at its block's
 * stop. No snapshots. Used by the floor and by the "raw" rows, so they differ only in how the
 * events arrive.
 */
export class PlainAccumulator {
  private text = '';
  private thinking = '';
  private readonly toolInputs: unknown[] = [];
  private readonly json = new Map<number, string>();

  add(event: RawEvent): void {
    switch (event.type) {
      case 'content_block_start':
        if (event.content_block?.type === 'tool_use') this.json.set(event.index as number, '');
        return;
      case 'content_block_delta': {
        const delta = event.delta as Record<string, string>;
        if (delta['type'] === 'text_delta') this.text += delta['text'];
        else if (delta['type'] === 'thinking_delta') this.thinking += delta['thinking'];
        else if (delta['type'] === 'input_json_delta') this.json.set(event.index as number, (this.json.get(event.index as number) ?? '') + delta['partial_json']);
        return;
      }
      case 'content_block_stop': {
        const json = this.json.get(event.index as number);
        if (json !== undefined) {
          this.toolInputs.push(json === '' ? {} : JSON.parse(json));
          this.json.delete(event.index as number);
        }
        return;
      }
      case 'error':
        throw new Error(`error event: ${JSON.stringify(event)}`);
      default:
        return;
    }
  }

  result(): StreamResult {
    return { text: this.text, thinking: this.thinking, toolInputs: this.toolInputs };
  }
}
