import * as t from 'io-ts';
import { catchError, from, lastValueFrom, materialize, Observable, of, Subject, toArray } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';

import {
  IncompleteStreamError,
  OutputParseError,
  OutputRefusalError,
  OutputTruncatedError,
  OutputValidationError,
  StreamDecodeError,
  messageStreamEvents,
  outputFormat,
  partialOutput,
  type DeepPartial,
  type RawMessageStreamEvent,
} from 'rx-anthropic';

import { fromSSEText } from '../../lib/testing/fromSSEText';
import { blockStop, messageDelta, messageStart, messageStop, textDelta, textStart, toolMessage } from '../operators/events';
import { loadFixtures } from '../support/fixtures';
import { jsonMessage, toolTurn } from './outputEvents';

const Order = t.type({ customer: t.string, lines: t.array(t.type({ sku: t.string, qty: t.number })), gift: t.boolean });
type Order = t.TypeOf<typeof Order>;
const format = outputFormat(Order);

const ORDER_TEXT = '{"customer": "Ada", "lines": [{"sku": "A1", "qty": 2}, {"sku": "B7", "qty": 1}], "gift": false}';
/** The order's text in pieces of `size` characters. */
const pieces = (text: string, size: number): string[] => Array.from({ length: Math.ceil(text.length / size) }, (_, i) => text.slice(i * size, (i + 1) * size));

const partialsOf = (events: readonly RawMessageStreamEvent[] | Observable<RawMessageStreamEvent>) =>
  lastValueFrom((Array.isArray(events) ? from(events) : (events as Observable<RawMessageStreamEvent>)).pipe(partialOutput(format), toArray()));

const outcomeOf = (events: readonly RawMessageStreamEvent[]) => lastValueFrom(from(events).pipe(partialOutput(format), materialize(), toArray()));

describe('partialOutput()', () => {
  it('emits the output as it grows, one value per delta that changes it, the last one the whole output', async () => {
    const partials = await partialsOf(jsonMessage(['{"customer": "A', 'da", "li', 'nes": [{"sku": "A1", "qty": 2}', ', {"sk', 'u": "B7", "qty": 1}], "gift": f', 'alse}']));
    expect(partials).toEqual([
      { customer: 'A' },
      { customer: 'Ada' },
      { customer: 'Ada', lines: [{ sku: 'A1', qty: 2 }] },
      { customer: 'Ada', lines: [{ sku: 'A1', qty: 2 }, {}] },
      { customer: 'Ada', lines: [{ sku: 'A1', qty: 2 }, { sku: 'B7', qty: 1 }] },
      { customer: 'Ada', lines: [{ sku: 'A1', qty: 2 }, { sku: 'B7', qty: 1 }], gift: false },
    ]);
    const typed: DeepPartial<Order>[] = partials;
    expect(typed).toHaveLength(6);
  });

  it('emits nothing for a delta that changes nothing (whitespace, a key being written)', async () => {
    const named = outputFormat(t.type({ customer: t.string }));
    const partials = await lastValueFrom(from(jsonMessage(['{', '  ', '"custo', 'mer"', ': ', '"A"', '   ', '}'])).pipe(partialOutput(named), toArray()));
    expect(partials).toEqual([{}, { customer: 'A' }, { customer: 'A' }]);
    // The last two are equal but not the same object: the closing brace makes the finished value.
    expect(partials[2]).not.toBe(partials[1]);
  });

  it('keeps unchanged subtrees as the same objects from one value to the next, and never changes a value once emitted', async () => {
    const partials = await partialsOf(jsonMessage(pieces(ORDER_TEXT, 3)));
    const asEmitted = partials.map((value) => JSON.stringify(value));
    const firstLine = (value: DeepPartial<Order>) => value.lines?.[0];
    const complete = partials.findIndex((value) => value.lines !== undefined && value.lines.length === 2);
    for (let i = complete; i < partials.length; i++) expect(firstLine(partials[i] as DeepPartial<Order>)).toBe(firstLine(partials[complete] as DeepPartial<Order>));
    const lines = partials.filter((value) => value.gift !== undefined);
    expect(lines[0]?.lines).toBe(partials[partials.length - 1]?.lines);
    expect(partials.map((value) => JSON.stringify(value))).toEqual(asEmitted);
    expect(partials[partials.length - 1]).toEqual(JSON.parse(ORDER_TEXT));
  });

  it('follows each message of the stream: across a tool loop the last turn is the output', async () => {
    const events = [...toolTurn(), ...jsonMessage(['{"customer": "Bo", "lines": [], "gift": true}'], 'end_turn', 'msg_2')];
    expect(await partialsOf(events)).toEqual([{ customer: 'Bo', lines: [], gift: true }]);
  });

  it('reads every turn\'s text as JSON: a turn whose text is prose fails at that delta, as the official SDK fails at that message', async () => {
    const notifications = await outcomeOf([...toolMessage(['{"city"', ': "Paris"}']), ...jsonMessage(['{"customer": "Bo", "lines": [], "gift": true}'], 'end_turn', 'msg_2')]);
    expect(notifications.map((n) => n.kind)).toEqual(['E']);
    expect((notifications[0]?.error as OutputParseError).raw).toBe('Let me check.');
  });

  it('takes the output of messageStreamEvents() and gives the same values', async () => {
    const events = jsonMessage(pieces(ORDER_TEXT, 7));
    const fromRaw = await partialsOf(events);
    const fromDerived = await lastValueFrom(from(events).pipe(messageStreamEvents(), partialOutput(format), toArray()));
    expect(fromDerived).toEqual(fromRaw);
  });

  it('reads a recorded structured-output stream (a plain JSON Schema format)', async () => {
    const fixture = loadFixtures('sdk-sse').find((f) => f.name === 'structured-output-json-text.py');
    const plain = outputFormat<number[]>({ type: 'array', items: { type: 'integer' } });
    const partials = await lastValueFrom(fromSSEText((fixture?.sse as Buffer).toString('utf8')).pipe(partialOutput(plain), toArray()));
    expect(partials).toEqual([[], [12], [12345], [12345, 67890]]);
  });

  it('fails at the delta where the text stops being JSON, with the raw text, and stops reading the stream', () => {
    new TestScheduler((actual, expected) => expect(actual).toEqual(expected)).run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('abcde', {
        a: messageStart(),
        b: textStart(0),
        c: textDelta(0, '{"customer": "Ada"'),
        d: textDelta(0, ', "lines": oops'),
        e: textDelta(0, '[]}'),
      });
      const described = source.pipe(
        partialOutput(format),
        catchError((error: OutputParseError) => of(`${error.name} at ${String(error.position)}: ${error.raw}`)),
      );
      expectObservable(described).toBe('--c(d|)', { c: { customer: 'Ada' }, d: 'OutputParseError at 29: {"customer": "Ada", "lines": oops' });
      expectSubscriptions(source.subscriptions).toBe('^--!');
    });
    return lastValueFrom(from(jsonMessage(['{"customer": "Ada"', ', "lines": oops'])).pipe(partialOutput(format), materialize(), toArray())).then((notifications) => {
      const error = notifications[notifications.length - 1]?.error as OutputParseError;
      expect(error).toBeInstanceOf(OutputParseError);
      expect(error.raw).toBe('{"customer": "Ada", "lines": oops');
      expect(error.position).toBe(29);
      expect(error.message).toMatch(/^The structured output is not valid JSON: Unexpected "o", expected a value at position 29 of the JSON text/);
    });
  });

  it('checks the whole output against the codec at the end: OutputValidationError with the paths, after every partial value', async () => {
    const notifications = await outcomeOf(jsonMessage(['{"customer": "Ada", "lines": [{"sku": "A1", "qty": "two"}]', ', "gift": "no"}']));
    expect(notifications.map((n) => n.kind)).toEqual(['N', 'N', 'E']);
    const error = notifications[2]?.error as OutputValidationError;
    expect(error).toBeInstanceOf(OutputValidationError);
    expect(error.paths).toEqual(['lines.0.qty', 'gift']);
    expect(error.message).toBe('The structured output does not match its codec: at "lines.0.qty": expected number, got "two"; at "gift": expected boolean, got "no"');
    expect(error.raw).toBe('{"customer": "Ada", "lines": [{"sku": "A1", "qty": "two"}], "gift": "no"}');
    expect(error.value).toEqual({ customer: 'Ada', lines: [{ sku: 'A1', qty: 'two' }], gift: 'no' });
  });

  it('reports a refusal as a refusal and a max_tokens cut as a cut, not as text that fails to parse', async () => {
    const refusal = await outcomeOf([
      messageStart(),
      textStart(0),
      textDelta(0, '{"customer": "'),
      blockStop(0),
      messageDelta({ stop_reason: 'refusal', stop_sequence: null, stop_details: { type: 'refusal', category: 'cyber', explanation: null } }),
      messageStop(),
    ]);
    const refused = refusal[refusal.length - 1]?.error as OutputRefusalError;
    expect(refused).toBeInstanceOf(OutputRefusalError);
    expect(refused.message).toBe('The model refused to answer (stop_reason: refusal, category cyber), so there is no structured output.');
    expect(refused.stopDetails).toEqual({ type: 'refusal', category: 'cyber', explanation: null });

    const cut = await outcomeOf(jsonMessage(['{"customer": "Ada", "lines": [{"sku": "A'], 'max_tokens'));
    const truncated = cut[cut.length - 1]?.error as OutputTruncatedError;
    expect(truncated).toBeInstanceOf(OutputTruncatedError);
    expect(truncated.stopReason).toBe('max_tokens');
    expect(truncated.partial).toEqual({ customer: 'Ada', lines: [{ sku: 'A' }] });
    expect(truncated.raw).toBe('{"customer": "Ada", "lines": [{"sku": "A');
  });

  it('fails with OutputParseError for text that ends unfinished or for no text at all, and IncompleteStreamError without message_stop', async () => {
    const unfinished = await outcomeOf(jsonMessage(['{"customer": "Ada"']));
    expect(unfinished[unfinished.length - 1]?.error).toBeInstanceOf(OutputParseError);
    expect((unfinished[unfinished.length - 1]?.error as Error).message).toMatch(/Unexpected end of JSON input, expected "," or "}" at position 18 of the JSON text/);

    const none = await outcomeOf([messageStart(), messageDelta({ stop_reason: 'end_turn', stop_sequence: null }), messageStop()]);
    expect((none[0]?.error as Error).message).toBe('The structured output is not valid JSON: the message has no output text (stop_reason: end_turn). Text: ""');

    const incomplete = await outcomeOf(jsonMessage(pieces(ORDER_TEXT, 10)).slice(0, -1));
    expect(incomplete[incomplete.length - 1]?.error).toBeInstanceOf(IncompleteStreamError);
  });

  it('fails with StreamDecodeError for a delta on a block that was never started', async () => {
    const notifications = await outcomeOf([messageStart(), textDelta(3, '{')]);
    expect(notifications[0]?.error).toBeInstanceOf(StreamDecodeError);
  });

  it('passes an error of its source on', async () => {
    const source = new Subject<RawMessageStreamEvent>();
    const seen: unknown[] = [];
    source.pipe(partialOutput(format)).subscribe({ next: (value) => seen.push(value), error: (error) => seen.push(error) });
    source.next(messageStart());
    source.next(textStart(0));
    source.next(textDelta(0, '{"gift": true'));
    const boom = new Error('connection reset');
    source.error(boom);
    expect(seen).toEqual([{ gift: true }, boom]);
  });

  it('throttles: at most one value per window, built when it is emitted, and the latest one before the end', () => {
    new TestScheduler((actual, expected) => expect(actual).toEqual(expected)).run(({ cold, expectObservable }) => {
      const events = jsonMessage(['{"customer": "', 'A', 'd', 'a', '", "lines": [], "gift": true}']);
      // The deltas come at frames 2, 7, 17, 18 and 28; the stream ends at 32.
      const source = cold('abc 4ms d 9ms ef 9ms ghij|', Object.fromEntries(events.map((event, i): [string, RawMessageStreamEvent] => ['abcdefghij'.charAt(i), event])));
      expectObservable(source.pipe(partialOutput(format, { throttle: 4 }))).toBe('6ms a 4ms b 9ms c 10ms (d|)', {
        a: { customer: '' },
        b: { customer: 'A' },
        c: { customer: 'Ada' },
        d: { customer: 'Ada', lines: [], gift: true },
      });
    });
  });

  it('stops reading its source when unsubscribed', () => {
    const source = new Subject<RawMessageStreamEvent>();
    const seen: unknown[] = [];
    const subscription = source.pipe(partialOutput(format)).subscribe((value) => seen.push(value));
    source.next(messageStart());
    source.next(textStart(0));
    source.next(textDelta(0, '{"gift": true'));
    subscription.unsubscribe();
    expect(source.observed).toBe(false);
    expect(seen).toEqual([{ gift: true }]);
  });
});
