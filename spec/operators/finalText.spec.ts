import { from, lastValueFrom, Observable, toArray } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';

import { AnthropicError, IncompleteStreamError, OverloadedError, StreamDecodeError, ToolInputParseError } from '../../lib/errors';
import { finalText } from '../../lib/operators/finalText';
import type { MessageStreamEvent } from '../../lib/operators/MessageStreamEvent';
import { messageStreamEvents } from '../../lib/operators/messageStreamEvents';
import type { RawMessageStreamEvent } from '../../lib/schema/streamEvents';
import {
  blockStart,
  blockStop,
  messageDelta,
  messageStart,
  messageStop,
  textDelta,
  textMessage,
  textStart,
  thinkingDelta,
  thinkingStart,
  toolMessage,
  toolStart,
  endlessTextStream,
} from './events';

const textOf = (events: readonly RawMessageStreamEvent[] | Observable<RawMessageStreamEvent | MessageStreamEvent>): Promise<string[]> =>
  lastValueFrom((Array.isArray(events) ? from(events) : (events as Observable<RawMessageStreamEvent>)).pipe(finalText(), toArray()));

/** Two text blocks around a thinking block and a tool call. */
const twoTexts = (): RawMessageStreamEvent[] => [
  messageStart(),
  thinkingStart(0),
  thinkingDelta(0, 'not text'),
  blockStop(0),
  textStart(1),
  textDelta(1, 'Hello'),
  textDelta(1, ','),
  blockStop(1),
  toolStart(2),
  blockStop(2),
  textStart(3),
  textDelta(3, 'world'),
  blockStop(3),
  messageDelta(),
  messageStop(),
];

let testScheduler: TestScheduler;
beforeEach(() => {
  testScheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
});

describe('finalText()', () => {
  it('joins the text blocks of the final message with no separator, like the Python SDK', async () => {
    expect(await textOf(twoTexts())).toEqual(['Hello,world']);
  });

  it('is the text of the last message of a stream with several', async () => {
    expect(await textOf([...toolMessage(['{}'], 'msg_1'), ...textMessage(['Do', 'ne'], 'msg_2')])).toEqual(['Done']);
  });

  it('is "" for a message whose only text block is empty', async () => {
    expect(await textOf([messageStart(), textStart(0), blockStop(0), messageDelta({ stop_reason: 'refusal', stop_sequence: null }), messageStop()])).toEqual(['']);
  });

  it('gives the same text when fed the output of messageStreamEvents()', async () => {
    expect(await textOf(from(twoTexts()).pipe(messageStreamEvents()))).toEqual(await textOf(twoTexts()));
  });

  it('fails with a clear AnthropicError when the final message has no text block', async () => {
    const result = textOf([
      messageStart(),
      toolStart(0),
      blockStop(0),
      blockStart(1, { type: 'redacted_thinking', data: 'x' }),
      blockStop(1),
      messageDelta({ stop_reason: 'tool_use', stop_sequence: null }),
      messageStop(),
    ]);
    await expect(result).rejects.toBeInstanceOf(AnthropicError);
    await expect(result).rejects.toThrow('The final message has no text block (content blocks: tool_use, redacted_thinking; stop_reason: tool_use).');
  });

  it('says "none" when the final message has no blocks at all', async () => {
    await expect(textOf([messageStart(), messageDelta({ stop_reason: 'refusal', stop_sequence: null }), messageStop()])).rejects.toThrow(
      'The final message has no text block (content blocks: none; stop_reason: refusal).',
    );
  });

  it('fails with IncompleteStreamError when the stream ends without message_stop', async () => {
    await expect(textOf(textMessage(['Hi']).slice(0, -1))).rejects.toBeInstanceOf(IncompleteStreamError);
  });

  it('fails with ToolInputParseError on invalid tool input, at the delta that made it invalid', async () => {
    await expect(textOf(toolMessage(['{"a": nope}', '{"never": "read"}']))).rejects.toMatchObject({ constructor: ToolInputParseError, raw: '{"a": nope}' });
  });

  it('stops pulling a synchronous source when it fails', () => {
    const { source, pulled } = endlessTextStream(3);
    let error: unknown;
    source.pipe(finalText()).subscribe({ error: (e: unknown) => (error = e) });
    expect(error).toBeInstanceOf(StreamDecodeError);
    expect(pulled()).toBe(4); // the bad event was the last one pulled
  });

  describe('marbles', () => {
    it('emits at the frame the source completes', () => {
      testScheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
        const source = cold('-a-b-c-d-e-|', { a: messageStart(), b: textStart(0), c: textDelta(0, 'Hi'), d: blockStop(0), e: messageStop() });
        expectObservable(source.pipe(finalText())).toBe('-----------(t|)', { t: 'Hi' });
        expectSubscriptions(source.subscriptions).toBe('^----------!');
      });
    });

    it('unsubscribing before completion emits nothing and ends the source subscription at that frame', () => {
      testScheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
        const source = cold('-a-b-c-d|', { a: messageStart(), b: textStart(0), c: blockStop(0), d: messageStop() });
        expectObservable(source.pipe(finalText()), '^--!').toBe('----');
        expectSubscriptions(source.subscriptions).toBe('^--!');
      });
    });

    it('passes a source error through', () => {
      testScheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
        const error = new OverloadedError(undefined, { type: 'overloaded_error', message: 'Overloaded' }, undefined);
        const source = cold('-a-#', { a: messageStart() }, error);
        expectObservable(source.pipe(finalText())).toBe('---#', undefined, error);
        expectSubscriptions(source.subscriptions).toBe('^--!');
      });
    });

    it('fails at completion when there is no text block', () => {
      testScheduler.run(({ cold, expectObservable }) => {
        const source = cold('-a-b-|', { a: messageStart(), b: messageStop() });
        expectObservable(source.pipe(finalText())).toBe('-----#', undefined, expect.any(AnthropicError));
      });
    });
  });
});
