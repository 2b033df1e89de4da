import { from, lastValueFrom, Observable, tap, toArray } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';

import { IncompleteStreamError, OverloadedError, StreamDecodeError, ToolInputParseError } from '../../lib/errors';
import { accumulateMessage } from '../../lib/operators/accumulateMessage';
import { finalMessage } from '../../lib/operators/finalMessage';
import type { MessageStreamEvent } from '../../lib/operators/MessageStreamEvent';
import { messageStreamEvents } from '../../lib/operators/messageStreamEvents';
import type { Message } from '../../lib/schema/message';
import type { RawMessageStreamEvent } from '../../lib/schema/streamEvents';
import { blockStop, endlessTextStream, messageDelta, messageStart, messageStop, plain, textDelta, textMessage, textStart, toolMessage } from './events';

const finalOf = (events: readonly RawMessageStreamEvent[] | Observable<RawMessageStreamEvent | MessageStreamEvent>): Promise<Message[]> =>
  lastValueFrom((Array.isArray(events) ? from(events) : (events as Observable<RawMessageStreamEvent>)).pipe(finalMessage(), toArray()));

const errorOf = async (events: readonly RawMessageStreamEvent[]): Promise<Error> => {
  try {
    await finalOf(events);
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected the stream to fail');
};

let testScheduler: TestScheduler;
beforeEach(() => {
  testScheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
});

describe('finalMessage()', () => {
  it('emits the finished message once, at completion: the last snapshot of accumulateMessage()', async () => {
    const events = toolMessage(['{"city": ', '"Paris"}']);
    const messages = await finalOf(events);
    const snapshots = await lastValueFrom(from(events).pipe(accumulateMessage(), toArray()));
    expect(messages).toHaveLength(1);
    expect(plain(messages[0])).toEqual(plain(snapshots.at(-1)));
    expect(plain(messages[0])).toEqual(
      expect.objectContaining({
        stop_reason: 'tool_use',
        content: [{ type: 'text', text: 'Let me check.' }, { type: 'tool_use', id: 'toolu_1', name: 'get_weather', input: { city: 'Paris' } }],
      }),
    );
  });

  it('emits the last message of a stream with several', async () => {
    const [message] = await finalOf([...toolMessage(['{}'], 'msg_1'), ...textMessage(['Done'], 'msg_2')]);
    expect(message?.id).toBe('msg_2');
    expect(plain(message?.content)).toEqual([{ type: 'text', text: 'Done' }]);
  });

  it('gives the same message when fed the output of messageStreamEvents()', async () => {
    const events = [...toolMessage(['{"a": [1]}'], 'msg_1'), ...textMessage(['x', 'y'], 'msg_2')];
    expect(plain(await finalOf(from(events).pipe(messageStreamEvents())))).toEqual(plain(await finalOf(events)));
  });

  it('fed the output of messageStreamEvents(), emits the message its message_stop carried, with the blocks its content_block_stop events carried', async () => {
    const enriched = await lastValueFrom(from(toolMessage(['{"city": ', '"Paris"}'])).pipe(messageStreamEvents(), toArray()));
    const [message] = await finalOf(from(enriched));
    const carried = enriched.find((event) => event.type === 'message_stop') as { message: Message };
    const blocks = enriched.filter((event) => event.type === 'content_block_stop').map((event) => (event as { content_block: unknown }).content_block);
    expect(message).toBe(carried.message);
    expect(message?.content).toEqual(blocks);
    message?.content.forEach((block, i) => expect(block).toBe(blocks[i]));
  });

  describe('a stream that ends without message_stop', () => {
    it('fails with IncompleteStreamError saying what was received', async () => {
      const error = await errorOf(textMessage(['Hi']).slice(0, -1));
      expect(error).toBeInstanceOf(IncompleteStreamError);
      expect(error.message).toMatch(/ended before message_stop/);
      expect((error as IncompleteStreamError).received).toBe('message_start and 4 event(s) after it; content blocks: text; stop_reason: end_turn');
    });

    it('says so when nothing at all arrived', async () => {
      const error = await errorOf([]);
      expect(error).toBeInstanceOf(IncompleteStreamError);
      expect((error as IncompleteStreamError).received).toBe('no events');
    });

    it('says so when only a message_start arrived', async () => {
      const error = (await errorOf([messageStart()])) as IncompleteStreamError;
      expect(error.received).toBe('message_start and 0 event(s) after it; content blocks: none; stop_reason: none');
    });

    it('fails even when an earlier message of the stream was complete', async () => {
      const error = await errorOf([...textMessage(['one'], 'msg_1'), messageStart({ id: 'msg_2' }), textStart(0), textDelta(0, 'two')]);
      expect(error).toBeInstanceOf(IncompleteStreamError);
      expect((error as IncompleteStreamError).received).toMatch(/^message_start and 2 event\(s\) after it; content blocks: text/);
    });
  });

  it('fails with StreamDecodeError on a delta whose index has no started block', async () => {
    expect(await errorOf([messageStart(), textDelta(0, 'x'), messageStop()])).toBeInstanceOf(StreamDecodeError);
  });

  it('fails with ToolInputParseError on invalid tool input, with the text up to the delta that made it invalid', async () => {
    const error = await errorOf(toolMessage(['{"foo": "bar", "baz": "qux": "quux"}', ' and more']));
    expect(error).toBeInstanceOf(ToolInputParseError);
    expect(error).toMatchObject({ raw: '{"foo": "bar", "baz": "qux": "quux"}', blockIndex: 1 });
    expect(error.message).toMatch(/^Unable to parse tool parameter JSON from model/);
  });

  it('stops pulling a synchronous source at the delta where the tool input stops being JSON', () => {
    const events = toolMessage(['{"a": 1', '}}', '{']);
    let pulled = 0;
    let error: unknown;
    from(events)
      .pipe(
        tap(() => (pulled += 1)),
        finalMessage(),
      )
      .subscribe({ error: (e: unknown) => (error = e) });
    expect(error).toBeInstanceOf(ToolInputParseError);
    // message_start, the text block's three events, the tool block's start, its good delta and then the bad one.
    expect(pulled).toBe(7);
  });

  it('stops pulling a synchronous source when it fails', () => {
    const { source, pulled } = endlessTextStream(3);
    let error: unknown;
    source.pipe(finalMessage()).subscribe({ error: (e: unknown) => (error = e) });
    expect(error).toBeInstanceOf(StreamDecodeError);
    expect(pulled()).toBe(4); // the bad event was the last one pulled
  });

  describe('marbles', () => {
    it('emits at the frame the source completes, and completes there', () => {
      testScheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
        const source = cold('-a-b-c-d-e-f---|', { a: messageStart(), b: textStart(0), c: textDelta(0, 'Hi'), d: blockStop(0), e: messageDelta(), f: messageStop() });
        expectObservable(source.pipe(finalMessage())).toBe('---------------(m|)', {
          m: {
            id: 'msg_1',
            type: 'message',
            role: 'assistant',
            model: 'claude-test',
            content: [{ type: 'text', text: 'Hi' }],
            stop_reason: 'end_turn',
            stop_sequence: null,
            usage: { input_tokens: 10, output_tokens: 5 },
          },
        });
        expectSubscriptions(source.subscriptions).toBe('^--------------!');
      });
    });

    it('unsubscribing before completion emits nothing and ends the source subscription at that frame', () => {
      testScheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
        const source = cold('-a-b-c-d|', { a: messageStart(), b: textStart(0), c: blockStop(0), d: messageStop() });
        expectObservable(source.pipe(finalMessage()), '^----!').toBe('------');
        expectSubscriptions(source.subscriptions).toBe('^----!');
      });
    });

    it('passes a source error through, even after message_stop', () => {
      testScheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
        const error = new OverloadedError(undefined, { type: 'overloaded_error', message: 'Overloaded' }, undefined);
        const source = cold('-a-b-#', { a: messageStart(), b: messageStop() }, error);
        expectObservable(source.pipe(finalMessage())).toBe('-----#', undefined, error);
        expectSubscriptions(source.subscriptions).toBe('^----!');
      });
    });

    it('fails with IncompleteStreamError at the frame the source completes', () => {
      testScheduler.run(({ cold, expectObservable }) => {
        const source = cold('-a-b-|', { a: messageStart(), b: textStart(0) });
        expectObservable(source.pipe(finalMessage())).toBe('-----#', undefined, expect.any(IncompleteStreamError));
      });
    });
  });
});
