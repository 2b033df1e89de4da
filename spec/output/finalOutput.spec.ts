import * as t from 'io-ts';
import { from, lastValueFrom, materialize, Subject, toArray } from 'rxjs';

import {
  IncompleteStreamError,
  OutputParseError,
  OutputRefusalError,
  OutputTruncatedError,
  OutputValidationError,
  finalOutput,
  messageStreamEvents,
  outputFormat,
  type RawMessageStreamEvent,
} from 'rx-anthropic';

import { fromSSEText } from '../../lib/testing/fromSSEText';
import { blockStop, inputJsonDelta, messageDelta, messageStart, messageStop, textDelta, textStart, toolStart } from '../operators/events';
import { loadFixtures } from '../support/fixtures';
import { jsonMessage, toolTurn } from './outputEvents';

const Answer = t.type({ order_ids: t.array(t.number), note: t.union([t.string, t.null]) });
const format = outputFormat(Answer);

const outcomeOf = (events: readonly RawMessageStreamEvent[]) => lastValueFrom(from(events).pipe(finalOutput(format), materialize(), toArray()));
const errorOf = async (events: readonly RawMessageStreamEvent[]): Promise<unknown> => (await outcomeOf(events)).find((n) => n.kind === 'E')?.error;

describe('finalOutput()', () => {
  it('emits the decoded output once, when the stream completes', async () => {
    const notifications = await outcomeOf(jsonMessage(['{"order_ids": [123', '45, 67890], "no', 'te": null}']));
    expect(notifications.map((n) => n.kind)).toEqual(['N', 'C']);
    const value: { order_ids: number[]; note: string | null } | undefined = notifications[0]?.value;
    expect(value).toEqual({ order_ids: [12345, 67890], note: null });
  });

  it('gives the last message\'s output across the turns of a tool loop, and takes messageStreamEvents() output', async () => {
    const events = [...toolTurn(), ...jsonMessage(['{"order_ids": [1], "note": "done"}'], 'end_turn', 'msg_2')];
    expect(await lastValueFrom(from(events).pipe(finalOutput(format)))).toEqual({ order_ids: [1], note: 'done' });
    expect(await lastValueFrom(from(events).pipe(messageStreamEvents(), finalOutput(format)))).toEqual({ order_ids: [1], note: 'done' });
  });

  it('joins the text of several text blocks of the message, as finalText() does', async () => {
    const events = [messageStart(), textStart(0), textDelta(0, '{"order_ids": []'), blockStop(0), textStart(1), textDelta(1, ', "note": "x"}'), blockStop(1), messageDelta(), messageStop()];
    expect(await lastValueFrom(from(events).pipe(finalOutput(format)))).toEqual({ order_ids: [], note: 'x' });
  });

  it('reads a recorded structured-output stream with a plain JSON Schema format', async () => {
    const fixture = loadFixtures('sdk-sse').find((f) => f.name === 'structured-output-json-text.py');
    const plain = { type: 'json_schema' as const, schema: { type: 'array', items: { type: 'integer' } } };
    expect(await lastValueFrom(fromSSEText((fixture?.sse as Buffer).toString('utf8')).pipe(finalOutput(plain)))).toEqual([12345, 67890]);
  });

  it('fails at the delta where the text stops being JSON, before the stream ends', () => {
    const source = new Subject<RawMessageStreamEvent>();
    const seen: unknown[] = [];
    source.pipe(finalOutput(format)).subscribe({ next: (value) => seen.push(value), error: (error) => seen.push(error) });
    source.next(messageStart());
    source.next(textStart(0));
    source.next(textDelta(0, '{"order_ids": [1,'));
    expect(seen).toEqual([]);
    source.next(textDelta(0, ' two]'));
    expect(seen).toHaveLength(1);
    expect(seen[0]).toBeInstanceOf(OutputParseError);
    expect((seen[0] as OutputParseError).raw).toBe('{"order_ids": [1, two]');
    expect((seen[0] as OutputParseError).position).toBe(19); // "t" may start true: the "w" is the first character that cannot
    expect(source.observed).toBe(false);
  });

  it('fails with OutputValidationError naming the path and the expected type, with the raw text and the value', async () => {
    const error = (await errorOf(jsonMessage(['{"order_ids": [1, "2"], "note": 5}']))) as OutputValidationError;
    expect(error).toBeInstanceOf(OutputValidationError);
    expect(error.message).toBe('The structured output does not match its codec: at "order_ids.1": expected number, got "2"; at "note": expected string | null, got 5');
    expect(error.failures.map((failure) => [failure.path, failure.expected])).toEqual([
      ['order_ids.1', 'number'],
      ['note', 'string | null'],
    ]);
    expect(error.raw).toBe('{"order_ids": [1, "2"], "note": 5}');
  });

  it('reports a refusal, a max_tokens cut and a missing message_stop as what they are', async () => {
    expect(await errorOf(jsonMessage(['{"order_'], 'refusal'))).toBeInstanceOf(OutputRefusalError);
    const cut = (await errorOf(jsonMessage(['{"order_ids": [1, 2'], 'max_tokens'))) as OutputTruncatedError;
    expect(cut).toBeInstanceOf(OutputTruncatedError);
    expect(cut.partial).toEqual({ order_ids: [1, 2] });
    expect(cut.message).toBe('The structured output was cut off after 19 characters (stop_reason: max_tokens): raise max_tokens or ask for less.');
    expect(await errorOf(jsonMessage(['{"order_ids": [1, 2'], 'model_context_window_exceeded'))).toBeInstanceOf(OutputTruncatedError);
    expect(await errorOf(jsonMessage(['{"order_ids": [1], "note": null}']).slice(0, -1))).toBeInstanceOf(IncompleteStreamError);
  });

  it('takes complete JSON even when the message stopped with max_tokens right at its end', async () => {
    expect(await lastValueFrom(from(jsonMessage(['{"order_ids": [], "note": null}'], 'max_tokens')).pipe(finalOutput(format)))).toEqual({ order_ids: [], note: null });
  });

  it('says that a message has no output text, and why it stopped', async () => {
    const toolOnly = [messageStart(), toolStart(0), inputJsonDelta(0, '{}'), blockStop(0), messageDelta({ stop_reason: 'tool_use', stop_sequence: null }), messageStop()];
    const error = (await errorOf(toolOnly)) as OutputParseError;
    expect(error).toBeInstanceOf(OutputParseError);
    expect(error.message).toBe('The structured output is not valid JSON: the message has no output text (stop_reason: tool_use). Text: ""');
  });
});
