import { MessageAccumulator, type AnyEvent } from '../../lib/accumulate/MessageAccumulator';
import { PartialJsonParser } from '../../lib/accumulate/PartialJsonParser';
import { StreamDecodeError, ToolInputParseError } from '../../lib/errors';
import {
  blockStart,
  blockStop,
  citation,
  citationsDelta,
  inputJsonDelta,
  messageDelta,
  messageStart,
  messageStop,
  textDelta,
  textStart,
  thinkingDelta,
  thinkingStart,
  toolMessage,
  toolStart,
} from '../operators/events';

const events = (list: readonly object[]): AnyEvent[] => list as AnyEvent[];

function folded(list: readonly object[]): MessageAccumulator {
  const accumulator = new MessageAccumulator();
  for (const event of events(list)) accumulator.fold(event);
  return accumulator;
}

describe('MessageAccumulator', () => {
  it('folds the raw events of a message into its snapshot', () => {
    const accumulator = folded(toolMessage(['{"city": ', '"Paris"}']));
    expect(accumulator.stopped).toBe(true);
    expect(JSON.parse(JSON.stringify(accumulator.message()))).toEqual({
      id: 'msg_1',
      type: 'message',
      role: 'assistant',
      model: 'claude-test',
      content: [
        { type: 'text', text: 'Let me check.' },
        { type: 'tool_use', id: 'toolu_1', name: 'get_weather', input: { city: 'Paris' } },
      ],
      stop_reason: 'tool_use',
      stop_sequence: null,
      usage: { input_tokens: 10, output_tokens: 5 },
    });
  });

  it('says which events belong to the message', () => {
    const accumulator = new MessageAccumulator();
    expect(accumulator.fold(events([messageStart()])[0] as AnyEvent)).toBe(true);
    for (const other of [{ type: 'ping' }, { type: 'text', index: 0, text: 'x', snapshot: 'x' }, { type: 'tool_result' }]) {
      expect(accumulator.fold(other as AnyEvent)).toBe(false);
    }
  });

  it('gives the same snapshot until an event changes the message, and a new one after', () => {
    const accumulator = folded([messageStart(), textStart(0), textDelta(0, 'Hi')]);
    const first = accumulator.message();
    expect(accumulator.message()).toBe(first);
    accumulator.fold(textDelta(0, '!') as unknown as AnyEvent);
    const second = accumulator.message();
    expect(second).not.toBe(first);
    expect(first.content[0]).toEqual({ type: 'text', text: 'Hi' });
    expect(second.content[0]).toEqual({ type: 'text', text: 'Hi!' });
  });

  it('renews the message object on request, sharing its content', () => {
    const accumulator = folded([messageStart(), textStart(0), textDelta(0, 'Hi')]);
    const first = accumulator.message();
    const renewed = accumulator.message(true);
    expect(renewed).not.toBe(first);
    expect(renewed).toEqual(first);
    expect(renewed.content).toBe(first.content);
  });

  it('shares every block an event did not change, and builds each block snapshot once per change', () => {
    const accumulator = folded([messageStart(), thinkingStart(0), thinkingDelta(0, 'Hmm'), blockStop(0), textStart(1), textDelta(1, 'A')]);
    const before = accumulator.message();
    accumulator.fold(textDelta(1, 'B') as unknown as AnyEvent);
    const after = accumulator.message();
    expect(after.content[0]).toBe(before.content[0]);
    expect(after.content[1]).not.toBe(before.content[1]);
    expect(accumulator.block(1)?.snapshot()).toBe(after.content[1]);
  });

  it('never changes a snapshot it handed out, nor the events it was given', () => {
    const list = [messageStart(), textStart(0), citationsDelta(0, citation(1)), textDelta(0, 'a')];
    const before = JSON.stringify(list);
    const accumulator = folded(list);
    const snapshot = accumulator.message();
    const copy = structuredClone(snapshot);
    for (const event of events([citationsDelta(0, citation(2)), textDelta(0, 'b'), messageDelta(), messageStop()])) accumulator.fold(event);
    expect(snapshot).toEqual(copy);
    expect(JSON.stringify(list)).toBe(before);
    expect((accumulator.message().content[0] as unknown as { citations: unknown[] }).citations).toHaveLength(2);
  });

  it('keeps the block content_block_start gave as the snapshot until a delta changes it', () => {
    const start = blockStart(0, { type: 'web_search_tool_result', tool_use_id: 'srvtoolu_1', content: [] });
    const accumulator = folded([messageStart(), start, blockStop(0)]);
    expect(accumulator.message().content[0]).toBe((start as unknown as { content_block: unknown }).content_block);
  });

  it('gives a streaming tool block a lazy input, and the finished block a plain one', () => {
    const accumulator = folded([messageStart(), toolStart(0), inputJsonDelta(0, '{"a": [1')]);
    const streaming = accumulator.message().content[0] as unknown as { input: unknown };
    expect(typeof Object.getOwnPropertyDescriptor(streaming, 'input')?.get).toBe('function');
    accumulator.fold(inputJsonDelta(0, ', 2]}') as unknown as AnyEvent);
    accumulator.fold(blockStop(0) as unknown as AnyEvent);
    const finished = accumulator.message().content[0] as unknown as { input: unknown };
    // A data property, read-only as every property of a frozen block.
    expect(Object.getOwnPropertyDescriptor(finished, 'input')).toEqual({ value: { a: [1, 2] }, writable: false, enumerable: true, configurable: false });
    expect(streaming.input).toEqual({ a: [1] });
  });

  it('takes the finished block and message that messageStreamEvents() output carries', () => {
    const block = { type: 'tool_use', id: 'toolu_0', name: 'f', input: { a: 1 } };
    const message = { id: 'msg_carried', content: [block] };
    const accumulator = folded([messageStart(), toolStart(0), inputJsonDelta(0, '{"a": 1}')]);
    accumulator.fold({ type: 'content_block_stop', index: 0, content_block: block });
    expect(accumulator.message().content[0]).toBe(block);
    accumulator.fold({ type: 'message_stop', message });
    expect(accumulator.message()).toBe(message);
    expect(accumulator.stopped).toBe(true);
  });

  it('begins a new message at a second message_start', () => {
    const accumulator = folded([...toolMessage(['{}'], 'msg_1'), messageStart({ id: 'msg_2' }), textStart(0)]);
    expect(accumulator.stopped).toBe(false);
    expect(accumulator.message()).toEqual(expect.objectContaining({ id: 'msg_2', content: [{ type: 'text', text: '' }] }));
  });

  it('describes what arrived, for IncompleteStreamError', () => {
    expect(new MessageAccumulator().describeProgress(0)).toBe('no events');
    expect(new MessageAccumulator().describeProgress(2)).toBe('2 event(s) but no message_start');
    const accumulator = folded([messageStart(), textStart(0), textDelta(0, 'x'), thinkingStart(1), messageDelta({ stop_reason: 'max_tokens', stop_sequence: null })]);
    expect(accumulator.describeProgress(5)).toBe('message_start and 4 event(s) after it; content blocks: text, thinking; stop_reason: max_tokens');
  });

  describe('errors', () => {
    it.each([
      ['a block event before message_start', [textStart(0)], /it came before any message_start/],
      ['a delta for a block never started', [messageStart(), textDelta(2, 'x')], /content block 2 was never started \(0 started\)/],
      ['a block started past the next index', [messageStart(), textStart(1)], /content block 1 cannot start when 0 block\(s\) have started/],
      ['a stop for a block never started', [messageStart(), blockStop(0)], /content block 0 was never started/],
    ])('fails with StreamDecodeError on %s', (_name, list, message) => {
      const accumulator = new MessageAccumulator();
      const fold = (): void => events(list).forEach((event) => accumulator.fold(event));
      expect(fold).toThrow(StreamDecodeError);
      expect(fold).toThrow(message);
    });

    /** The error `fold` throws for `event`, or undefined. */
    const errorOf = (accumulator: MessageAccumulator, event: object): unknown => {
      try {
        accumulator.fold(event as AnyEvent);
      } catch (caught) {
        return caught;
      }
      return undefined;
    };

    /** What the block's stop said of `raw` before the check moved to the delta: the parser's error at finish, worded by ToolInputParseError. */
    const messageAtStop = (raw: string, index: number): string => {
      const parser = new PartialJsonParser();
      parser.push(raw);
      let reason = '';
      try {
        parser.finish();
      } catch (error) {
        reason = (error as Error).message;
      }
      return new ToolInputParseError(raw, reason, index).message;
    };

    it.each([
      ['a second close', ['{"a": 1', '}}'], /Unexpected "}", expected nothing after the value at position 8/],
      ['a literal that goes wrong', ['{"a": tru', 'x}'], /Unexpected "x", expected "true" at position 9/],
      ['a key that is not a string', ['{"a": 1, ', 'b: 2}'], /Unexpected "b", expected a string key at position 9/],
    ])('fails with ToolInputParseError at the input_json_delta where the input stops being JSON: %s', (_name, chunks, reason) => {
      for (const readSnapshots of [false, true]) {
        const accumulator = folded([messageStart(), textStart(0), blockStop(0), toolStart(1)]);
        const [good, bad] = chunks as [string, string];
        expect(errorOf(accumulator, inputJsonDelta(1, good))).toBeUndefined();
        if (readSnapshots) expect(accumulator.message().content[1]?.['input']).toBeDefined();
        const error = errorOf(accumulator, inputJsonDelta(1, bad));
        expect(error).toBeInstanceOf(ToolInputParseError);
        expect(error).toMatchObject({ raw: good + bad, blockIndex: 1, message: expect.stringMatching(reason) });
        expect((error as Error).message).toBe(messageAtStop(good + bad, 1));
        expect((error as Error).message).toMatch(/^Unable to parse tool parameter JSON from model/);
      }
    });

    it('still fails with ToolInputParseError at the stop when the input is valid so far but unfinished', () => {
      const accumulator = folded([messageStart(), toolStart(0), inputJsonDelta(0, '{"a": [1, "x"')]);
      const error = errorOf(accumulator, blockStop(0));
      expect(error).toBeInstanceOf(ToolInputParseError);
      expect(error).toMatchObject({ raw: '{"a": [1, "x"', blockIndex: 0, message: expect.stringMatching(/Unexpected end of JSON input, expected "," or "]" at position 13/) });
    });

    it('fails again at every later delta of the broken block, and at its stop', () => {
      const accumulator = folded([messageStart(), toolStart(0)]);
      expect(errorOf(accumulator, inputJsonDelta(0, '{"a": }'))).toBeInstanceOf(ToolInputParseError);
      expect(errorOf(accumulator, inputJsonDelta(0, '1}'))).toMatchObject({ constructor: ToolInputParseError, raw: '{"a": }1}', message: expect.stringMatching(/at position 6/) });
      expect(errorOf(accumulator, blockStop(0))).toMatchObject({ constructor: ToolInputParseError, message: expect.stringMatching(/at position 6/) });
    });
  });
});
