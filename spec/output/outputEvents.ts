import type { RawMessageStreamEvent } from 'rx-anthropic';

import { blockStop, inputJsonDelta, messageDelta, messageStart, messageStop, textDelta, textStart, toolStart } from '../operators/events';

/** A message whose one text block streams `deltas` (a structured output's text), stopping with `stopReason`. */
export function jsonMessage(deltas: readonly string[], stopReason = 'end_turn', id = 'msg_1'): RawMessageStreamEvent[] {
  return [
    messageStart({ id }),
    textStart(0),
    ...deltas.map((text) => textDelta(0, text)),
    blockStop(0),
    messageDelta({ stop_reason: stopReason, stop_sequence: null }),
    messageStop(),
  ];
}

/** A tool-use turn as a model writes it with an output format: no text, one tool call. */
export function toolTurn(): RawMessageStreamEvent[] {
  return [
    messageStart({ id: 'msg_tool' }),
    toolStart(0),
    inputJsonDelta(0, '{"city": "Paris"}'),
    blockStop(0),
    messageDelta({ stop_reason: 'tool_use', stop_sequence: null }),
    messageStop(),
  ];
}
