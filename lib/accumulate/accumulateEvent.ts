import { StreamDecodeError, ToolInputParseError } from '../errors';
import { applyContentDelta, type AnyBlock, type AnyDelta } from './applyContentDelta';
import { mergeMessageDelta } from './mergeMessageDelta';
import { ToolInputBuffer } from './ToolInputBuffer';

/** A message snapshot as the accumulator builds it: the API's `Message` shape, content blocks of any type. */
export type AnyMessage = { readonly content: readonly AnyBlock[] } & Readonly<Record<string, unknown>>;

/**
 * Where the accumulation of one message stands: the latest immutable snapshot, whether
 * `message_stop` came, and the input buffers of the tool-use blocks still streaming.
 */
export interface AccumulatorState {
  readonly message: AnyMessage;
  readonly stopped: boolean;
  /** Events folded into this message, for error reports. */
  readonly eventCount: number;
  /** Per block index: the input buffer and the block as it started, for blocks still streaming input. */
  readonly inputs: ReadonlyMap<number, { readonly buffer: ToolInputBuffer; readonly start: AnyBlock }>;
}

/** The event types folded into a message; anything else (ping, derived events, unknown events) leaves it as it is. */
const FOLDED = new Set(['message_start', 'content_block_start', 'content_block_delta', 'content_block_stop', 'message_delta', 'message_stop']);

/**
 * Folds one raw stream event into the accumulation, returning the new state (or the same one
 * when the event folds nothing). Pure with respect to snapshots: the message of the previous
 * state is never changed; the new one is a new object sharing every block that did not change,
 * so the cost is O(number of blocks) per event. A `message_start` always begins a new message,
 * so one state can follow the turns of a tool loop.
 *
 * @throws StreamDecodeError for a block event before `message_start`, for a block index that was never started, or
 * for a block started past the next index.
 * @throws ToolInputParseError when a finished tool-use block's input is not valid JSON.
 */
export function accumulateEvent(state: AccumulatorState | undefined, event: { readonly type: string } & Readonly<Record<string, unknown>>): AccumulatorState | undefined {
  if (!FOLDED.has(event.type)) return state;
  if (event.type === 'message_start') {
    const message = event['message'] as AnyMessage;
    return { message: { ...message, content: [...(message.content ?? [])] }, stopped: false, eventCount: 1, inputs: new Map() };
  }
  if (!state) throw new StreamDecodeError('it came before any message_start', { eventType: event.type, data: JSON.stringify(event) });
  const eventCount = state.eventCount + 1;

  switch (event.type) {
    case 'content_block_start': {
      const index = event['index'] as number;
      const block = event['content_block'] as AnyBlock;
      const started = state.message.content.length;
      // Past the end, the snapshot's content would get holes (or, negative, a property no one reads).
      if (!Number.isInteger(index) || index < 0 || index > started) {
        throw new StreamDecodeError(`content block ${index} cannot start when ${started} block(s) have started (the next index is ${started})`, {
          eventType: event.type,
          path: 'index',
          data: JSON.stringify(event),
        });
      }
      const inputs = new Map(state.inputs);
      if (Object.prototype.hasOwnProperty.call(block, 'input')) inputs.set(index, { buffer: new ToolInputBuffer(block['input']), start: block });
      else inputs.delete(index);
      let message = replaceBlock(state.message, index, block);
      // A fallback block says another model answers from here on: the snapshot is relabelled (Python SDK).
      if (block.type === 'fallback') message = relabelModel(message, block);
      return { message, stopped: false, eventCount, inputs };
    }
    case 'content_block_delta': {
      const index = event['index'] as number;
      const block = blockAt(state.message, index, event);
      const input = state.inputs.get(index);
      const next = applyContentDelta(block, event['delta'] as AnyDelta, input?.buffer, input?.start);
      return { ...state, message: replaceBlock(state.message, index, next), eventCount };
    }
    case 'content_block_stop': {
      const index = event['index'] as number;
      const block = blockAt(state.message, index, event);
      const input = state.inputs.get(index);
      if (!input) return { ...state, message: { ...state.message }, eventCount };
      const inputs = new Map(state.inputs);
      inputs.delete(index);
      const finished = { ...input.start, input: finishInput(input.buffer, index) };
      return { ...state, message: replaceBlock(state.message, index, { ...finished, type: block.type }), eventCount, inputs };
    }
    case 'message_delta':
      return { ...state, message: mergeMessageDelta(state.message, event), eventCount };
    default: // message_stop
      return { ...state, message: { ...state.message }, stopped: true, eventCount };
  }
}

/** A one-line account of what a message received, for `IncompleteStreamError`. */
export function describeProgress(state: AccumulatorState | undefined, events: number): string {
  if (!state) return events === 0 ? 'no events' : `${events} event(s) but no message_start`;
  const blocks = state.message.content.map((block) => block.type).join(', ');
  const stop = state.message['stop_reason'];
  return `message_start and ${state.eventCount - 1} event(s) after it; content blocks: ${blocks || 'none'}; stop_reason: ${stop ?? 'none'}`;
}

function blockAt(message: AnyMessage, index: number, event: object): AnyBlock {
  const block = message.content[index];
  if (block === undefined) {
    const type = (event as { type: string }).type;
    throw new StreamDecodeError(`content block ${index} was never started (${message.content.length} started)`, {
      eventType: type,
      path: 'index',
      data: JSON.stringify(event),
    });
  }
  return block;
}

function replaceBlock(message: AnyMessage, index: number, block: AnyBlock): AnyMessage {
  const content = message.content.slice();
  content[index] = block;
  return { ...message, content };
}

function relabelModel(message: AnyMessage, block: AnyBlock): AnyMessage {
  const to = block['to'] as { model?: unknown } | undefined;
  return typeof to?.model === 'string' ? { ...message, model: to.model } : message;
}

function finishInput(buffer: ToolInputBuffer, index: number): unknown {
  try {
    return buffer.finish();
  } catch (error) {
    throw new ToolInputParseError(buffer.raw, error instanceof Error ? error.message : String(error), index);
  }
}
