import { from, lastValueFrom, Observable, take, toArray } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';

import { OverloadedError, StreamDecodeError } from '../../lib/errors';
import type { MessageStreamEvent } from '../../lib/operators/MessageStreamEvent';
import { messageStreamEvents } from '../../lib/operators/messageStreamEvents';
import { textDeltas } from '../../lib/operators/textDeltas';
import type { RawMessageStreamEvent } from '../../lib/schema/streamEvents';
import { fromSSEText } from '../../lib/testing/fromSSEText';
import {
  blockStop,
  citation,
  citationsDelta,
  inputJsonDelta,
  messageStart,
  signatureDelta,
  textDelta,
  textMessage,
  textStart,
  thinkingDelta,
  thinkingStart,
  toolMessage,
  toolStart,
  endlessTextStream,
} from './events';

const textsOf = (events: readonly RawMessageStreamEvent[] | Observable<RawMessageStreamEvent | MessageStreamEvent>): Promise<string[]> =>
  lastValueFrom((Array.isArray(events) ? from(events) : (events as Observable<RawMessageStreamEvent>)).pipe(textDeltas(), toArray()));

const mixed = (): RawMessageStreamEvent[] => [
  messageStart(),
  thinkingStart(0),
  thinkingDelta(0, 'hidden'),
  signatureDelta(0, 'sig'),
  blockStop(0),
  textStart(1),
  textDelta(1, 'Hel'),
  citationsDelta(1, citation(1)),
  textDelta(1, ''),
  textDelta(1, 'lo'),
  blockStop(1),
  toolStart(2),
  inputJsonDelta(2, '{"text": "not this"}'),
  textDelta(2, 'nor this'),
  blockStop(2),
  textStart(3),
  textDelta(3, '!'),
  blockStop(3),
];

let testScheduler: TestScheduler;
beforeEach(() => {
  testScheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
});

describe('textDeltas()', () => {
  it('emits the text of each text_delta on a text block, in order, empty ones included (as the SDKs do)', async () => {
    expect(await textsOf(mixed())).toEqual(['Hel', '', 'lo', '!']);
  });

  it('follows several messages: block kinds are per message', async () => {
    const events = [...toolMessage(['{}'], 'msg_1'), messageStart({ id: 'msg_2' }), textStart(1), textDelta(1, 'index 1 is text now')];
    expect(await textsOf(events)).toEqual(['Let me check.', 'index 1 is text now']);
  });

  it('gives the same text when fed the output of messageStreamEvents()', async () => {
    const events = [...mixed(), ...textMessage(['a', 'b'], 'msg_2')];
    expect(await textsOf(from(events).pipe(messageStreamEvents()))).toEqual(await textsOf(events));
  });

  it('completes when the stream ends without message_stop', async () => {
    expect(await textsOf(textMessage(['x']).slice(0, 3))).toEqual(['x']);
  });

  it('fails with StreamDecodeError on a delta whose index has no started block', async () => {
    const result = textsOf([messageStart(), textStart(0), textDelta(1, 'x')]);
    await expect(result).rejects.toBeInstanceOf(StreamDecodeError);
    await expect(result).rejects.toThrow(/content block 1 was never started/);
  });

  it('forgets the blocks of the previous message at message_start', async () => {
    await expect(textsOf([...textMessage(['a']), messageStart({ id: 'msg_2' }), textDelta(0, 'b')])).rejects.toBeInstanceOf(StreamDecodeError);
  });

  describe('a synchronous source', () => {
    it('stops being pulled as soon as the consumer unsubscribes', () => {
      const { source, pulled } = endlessTextStream();
      const seen: string[] = [];
      source.pipe(textDeltas(), take(2)).subscribe((text) => seen.push(text));
      expect(seen).toEqual(['x', 'x']);
      expect(pulled()).toBe(4);
    });

    it('stops being pulled when the operator fails', () => {
      const { source, pulled } = endlessTextStream(9);
      let error: unknown;
      source.pipe(textDeltas()).subscribe({ error: (e: unknown) => (error = e) });
      expect(error).toBeInstanceOf(StreamDecodeError);
      expect(pulled()).toBe(10); // the bad event was the last one pulled
    });
  });

  describe('marbles', () => {
    it('emits at the frame of each text delta and completes with the source', () => {
      testScheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
        const source = cold('-a-b-c-d-e|', { a: messageStart(), b: textStart(0), c: textDelta(0, 'Hi'), d: thinkingDelta(0, 'no'), e: textDelta(0, '!') });
        expectObservable(source.pipe(textDeltas())).toBe('-----c---e|', { c: 'Hi', e: '!' });
        expectSubscriptions(source.subscriptions).toBe('^---------!');
      });
    });

    it('from a recorded stream: event i at frame i, pings dropped', () => {
      const sse = [
        'event: message_start',
        'data: {"type":"message_start","message":{"id":"msg_1","type":"message","role":"assistant","model":"m","content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":1,"output_tokens":1}}}',
        '',
        'event: content_block_start',
        'data: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}',
        '',
        'event: ping',
        'data: {"type": "ping"}',
        '',
        'event: content_block_delta',
        'data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Hel"}}',
        '',
        'event: content_block_delta',
        'data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"lo"}}',
        '',
        'event: content_block_stop',
        'data: {"type":"content_block_stop","index":0}',
        '',
        '',
      ].join('\n');
      testScheduler.run(({ expectObservable }) => {
        expectObservable(fromSSEText(sse, testScheduler).pipe(textDeltas())).toBe('--ab|', { a: 'Hel', b: 'lo' });
      });
    });

    it('unsubscribing mid-stream ends the source subscription at that frame', () => {
      testScheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
        const source = cold('-a-b-c-d-e|', { a: messageStart(), b: textStart(0), c: textDelta(0, 'Hi'), d: textDelta(0, ' there'), e: blockStop(0) });
        expectObservable(source.pipe(textDeltas()), '^------!').toBe('-----c-', { c: 'Hi' });
        expectSubscriptions(source.subscriptions).toBe('^------!');
      });
    });

    it('passes a source error through', () => {
      testScheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
        const error = new OverloadedError(undefined, { type: 'overloaded_error', message: 'Overloaded' }, undefined);
        const source = cold('-a-b-c-#', { a: messageStart(), b: textStart(0), c: textDelta(0, 'Hi') }, error);
        expectObservable(source.pipe(textDeltas())).toBe('-----c-#', { c: 'Hi' }, error);
        expectSubscriptions(source.subscriptions).toBe('^------!');
      });
    });

    it('fails at the frame of a delta for a block never started, and unsubscribes from the source', () => {
      testScheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
        const source = cold('-a-b-c|', { a: messageStart(), b: textDelta(4, 'x'), c: textDelta(0, 'y') });
        expectObservable(source.pipe(textDeltas())).toBe('---#', undefined, expect.any(StreamDecodeError));
        expectSubscriptions(source.subscriptions).toBe('^--!');
      });
    });
  });
});
