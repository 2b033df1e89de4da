import { from, lastValueFrom, Observable, toArray } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';

import { OverloadedError, StreamDecodeError, ToolInputParseError } from '../../lib/errors';
import { contentBlocks } from '../../lib/operators/contentBlocks';
import type { MessageStreamEvent } from '../../lib/operators/MessageStreamEvent';
import { messageStreamEvents } from '../../lib/operators/messageStreamEvents';
import type { ContentBlock } from '../../lib/schema/contentBlocks';
import type { RawMessageStreamEvent } from '../../lib/schema/streamEvents';
import {
  blockStart,
  blockStop,
  citation,
  citationsDelta,
  inputJsonDelta,
  messageDelta,
  messageStart,
  messageStop,
  plain,
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

const blocksOf = (events: readonly RawMessageStreamEvent[] | Observable<RawMessageStreamEvent | MessageStreamEvent>): Promise<ContentBlock[]> =>
  lastValueFrom((Array.isArray(events) ? from(events) : (events as Observable<RawMessageStreamEvent>)).pipe(contentBlocks(), toArray()));

const searchResult = { type: 'web_search_tool_result', tool_use_id: 'srvtoolu_1', content: [{ type: 'web_search_result', url: 'https://example.com', title: 'Ex' }] };

/** Blocks finished out of their start order, one never finished. */
const interleaved = (): RawMessageStreamEvent[] => [
  messageStart(),
  thinkingStart(0),
  textStart(1),
  thinkingDelta(0, 'think'),
  textDelta(1, 'Hi'),
  citationsDelta(1, citation(1)),
  blockStop(1),
  signatureDelta(0, 'sig'),
  blockStop(0),
  toolStart(2, 'mcp_tool_use', 'search'),
  inputJsonDelta(2, '{"q": '),
  inputJsonDelta(2, '"rx"}'),
  blockStop(2),
  blockStart(3, searchResult),
  blockStop(3),
  textStart(4),
  textDelta(4, 'never finished'),
  messageDelta({ stop_reason: 'max_tokens', stop_sequence: null }),
  messageStop(),
];

let testScheduler: TestScheduler;
beforeEach(() => {
  testScheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
});

describe('contentBlocks()', () => {
  it('emits each block once, finished, in the order the blocks stop; a block never stopped is not emitted', async () => {
    expect(plain(await blocksOf(interleaved()))).toEqual([
      { type: 'text', text: 'Hi', citations: [citation(1)] },
      { type: 'thinking', thinking: 'think', signature: 'sig' },
      { type: 'mcp_tool_use', id: 'toolu_2', name: 'search', input: { q: 'rx' } },
      searchResult,
    ]);
  });

  it('gives tool-use blocks their parsed input as a plain data property (read-only: the block is frozen)', async () => {
    const [, tool] = await blocksOf(toolMessage(['', '{"city": ', '"Paris", "days": [1, 2]}']));
    expect(Object.getOwnPropertyDescriptor(tool, 'input')).toEqual({ value: { city: 'Paris', days: [1, 2] }, writable: false, enumerable: true, configurable: false });
    expect(Object.keys(tool as object).sort()).toEqual(['id', 'input', 'name', 'type']);
  });

  it('keeps {} as the input of a tool called without arguments', async () => {
    const [, tool] = await blocksOf(toolMessage(['']));
    expect(tool).toEqual({ type: 'tool_use', id: 'toolu_1', name: 'get_weather', input: {} });
  });

  it('keeps input keys such as __proto__ and constructor as plain own data', async () => {
    const [, tool] = await blocksOf(toolMessage(['{"__proto__": {"x": 1}, "constr', 'uctor": 2}']));
    const input = (tool as { input: object }).input;
    expect(Object.keys(input)).toEqual(['__proto__', 'constructor']);
    expect(Object.getPrototypeOf(input)).toBe(Object.prototype);
    expect(JSON.stringify(input)).toBe('{"__proto__":{"x":1},"constructor":2}');
  });

  it('passes blocks of types it does not model through unchanged', async () => {
    const block = { type: 'container_upload', file_id: 'file_1', future_field: { x: 1 } };
    expect(await blocksOf([messageStart(), blockStart(0, block), blockStop(0)])).toEqual([block]);
  });

  it('follows several messages', async () => {
    const blocks = await blocksOf([...toolMessage(['{"a": 1}'], 'msg_1'), ...textMessage(['Done'], 'msg_2')]);
    expect(plain(blocks)).toEqual([
      { type: 'text', text: 'Let me check.' },
      { type: 'tool_use', id: 'toolu_1', name: 'get_weather', input: { a: 1 } },
      { type: 'text', text: 'Done' },
    ]);
  });

  it('gives the same blocks when fed the output of messageStreamEvents()', async () => {
    const events = [...interleaved(), ...toolMessage(['{"b": [true, null]}'], 'msg_2', 'server_tool_use')];
    expect(plain(await blocksOf(from(events).pipe(messageStreamEvents())))).toEqual(plain(await blocksOf(events)));
  });

  it('fed the output of messageStreamEvents(), emits the very blocks its content_block_stop events carried', async () => {
    const enriched = await lastValueFrom(from(interleaved()).pipe(messageStreamEvents(), toArray()));
    const carried = enriched.filter((event) => event.type === 'content_block_stop').map((event) => (event as { content_block: unknown }).content_block);
    const blocks = await blocksOf(from(enriched));
    expect(blocks).toHaveLength(carried.length);
    blocks.forEach((block, i) => expect(block).toBe(carried[i]));
  });

  it('fails with ToolInputParseError, carrying the raw text up to the delta that made it invalid, on invalid tool input', async () => {
    const seen: ContentBlock[] = [];
    const error = await new Promise<unknown>((resolve) =>
      from(toolMessage(['{"foo": "bar", ', '"baz": "qux": "quux"}', ', "never": "read"}']))
        .pipe(contentBlocks())
        .subscribe({ next: (block) => seen.push(block), error: resolve }),
    );
    expect(error).toBeInstanceOf(ToolInputParseError);
    expect(error).toMatchObject({ raw: '{"foo": "bar", "baz": "qux": "quux"}', blockIndex: 1 });
    expect((error as Error).message).toMatch(/^Unable to parse tool parameter JSON from model/);
    expect(seen).toEqual([{ type: 'text', text: 'Let me check.' }]);
  });

  it('fails with ToolInputParseError at the stop on tool input that is valid so far but unfinished', async () => {
    await expect(blocksOf([messageStart(), toolStart(0), inputJsonDelta(0, '{"a": [1, 2'), blockStop(0)])).rejects.toMatchObject({
      raw: '{"a": [1, 2',
      constructor: ToolInputParseError,
    });
  });

  it('fails with StreamDecodeError on a stop for a block that never started', async () => {
    await expect(blocksOf([messageStart(), blockStop(0)])).rejects.toBeInstanceOf(StreamDecodeError);
  });

  it('stops pulling a synchronous source when it fails', () => {
    const { source, pulled } = endlessTextStream(4);
    let error: unknown;
    source.pipe(contentBlocks()).subscribe({ error: (e: unknown) => (error = e) });
    expect(error).toBeInstanceOf(StreamDecodeError);
    expect(pulled()).toBe(5); // the bad event was the last one pulled
  });

  describe('marbles', () => {
    it('emits each block at the frame of its content_block_stop', () => {
      testScheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
        const source = cold('-a-b-c-d-e-f-g|', {
          a: messageStart(),
          b: textStart(0),
          c: textDelta(0, 'Hi'),
          d: blockStop(0),
          e: toolStart(1),
          f: inputJsonDelta(1, '{"x": 1}'),
          g: blockStop(1),
        });
        expectObservable(source.pipe(contentBlocks())).toBe('-------d-----g|', {
          d: { type: 'text', text: 'Hi' },
          g: { type: 'tool_use', id: 'toolu_1', name: 'get_weather', input: { x: 1 } },
        });
        expectSubscriptions(source.subscriptions).toBe('^-------------!');
      });
    });

    it('unsubscribing mid-stream ends the source subscription at that frame', () => {
      testScheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
        const source = cold('-a-b-c-d-e|', { a: messageStart(), b: textStart(0), c: blockStop(0), d: textStart(1), e: blockStop(1) });
        expectObservable(source.pipe(contentBlocks()), '^------!').toBe('-----c-', { c: { type: 'text', text: '' } });
        expectSubscriptions(source.subscriptions).toBe('^------!');
      });
    });

    it('passes a source error through', () => {
      testScheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
        const error = new OverloadedError(undefined, { type: 'overloaded_error', message: 'Overloaded' }, undefined);
        const source = cold('-a-b-c-#', { a: messageStart(), b: textStart(0), c: blockStop(0) }, error);
        expectObservable(source.pipe(contentBlocks())).toBe('-----c-#', { c: { type: 'text', text: '' } }, error);
        expectSubscriptions(source.subscriptions).toBe('^------!');
      });
    });

    it('fails at the frame of the delta that makes the input of a block invalid, and unsubscribes', () => {
      testScheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
        const source = cold('-a-b-c-d-e|', { a: messageStart(), b: toolStart(0), c: inputJsonDelta(0, '{"a": }'), d: blockStop(0), e: messageStop() });
        expectObservable(source.pipe(contentBlocks())).toBe('-----#', undefined, expect.any(ToolInputParseError));
        expectSubscriptions(source.subscriptions).toBe('^----!');
      });
    });

    it('fails at the frame of the stop of a block whose input is unfinished, and unsubscribes', () => {
      testScheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
        const source = cold('-a-b-c-d-e|', { a: messageStart(), b: toolStart(0), c: inputJsonDelta(0, '{"a": '), d: blockStop(0), e: messageStop() });
        expectObservable(source.pipe(contentBlocks())).toBe('-------#', undefined, expect.any(ToolInputParseError));
        expectSubscriptions(source.subscriptions).toBe('^------!');
      });
    });
  });
});
