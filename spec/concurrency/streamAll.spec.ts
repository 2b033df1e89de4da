import type { Observable } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { streamAll } from '../../lib/concurrency/streamAll';
import { streamEach } from '../../lib/concurrency/streamEach';
import type { StreamingClient } from '../../lib/concurrency/TaggedEvent';
import type { MessageCreateParams, RawMessageStreamEvent } from '../../lib/schema';
import type { RequestOptions } from '../../lib/transport/HttpRequest';
import { messageStart, messageStop, textDelta } from '../operators/events';

let testScheduler: TestScheduler;
beforeEach(() => {
  testScheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
});

const params = (content: string): MessageCreateParams => ({ model: 'claude-test', max_tokens: 16, messages: [{ role: 'user', content }] });

/** A client whose stream for a request is the Observable named by the request's content. */
function fakeClient(streams: Record<string, Observable<RawMessageStreamEvent>>) {
  const calls: { content: unknown; options: RequestOptions | undefined }[] = [];
  const client: StreamingClient = {
    messages: {
      stream: (p, options) => {
        const content = p.messages[0]?.content as string;
        calls.push({ content, options });
        const stream = streams[content];
        if (!stream) throw new Error(`no stream for ${content}`);
        return stream;
      },
    },
  };
  return { client, calls };
}

const start = messageStart();
const hello = textDelta(0, 'Hello');
const stop = messageStop();
const events = { s: start, h: hello, t: stop };

describe('streamAll', () => {
  it('runs every request at once by default and tags each event with its key', () => {
    testScheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const a = cold('s-h-t|', events);
      const b = cold('-s-t|', events);
      const { client } = fakeClient({ A: a, B: b });
      expectObservable(streamAll(client, { a: params('A'), b: params('B') })).toBe('xyzwv|', {
        x: { key: 'a', event: start },
        y: { key: 'b', event: start },
        z: { key: 'a', event: hello },
        w: { key: 'b', event: stop },
        v: { key: 'a', event: stop },
      });
      expectSubscriptions(a.subscriptions).toBe('^----!');
      expectSubscriptions(b.subscriptions).toBe('^---!');
    });
  });

  it('with concurrency 1 starts the next request when one ends, in key order', () => {
    testScheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const a = cold('s-t|', events);
      const b = cold('s-t|', events);
      const c = cold('s|', events);
      const { client } = fakeClient({ A: a, B: b, C: c });
      const tagged = streamAll(client, { a: params('A'), b: params('B'), c: params('C') }, { concurrency: 1 });
      expectObservable(tagged).toBe('a-bc-de|', {
        a: { key: 'a', event: start },
        b: { key: 'a', event: stop },
        c: { key: 'b', event: start },
        d: { key: 'b', event: stop },
        e: { key: 'c', event: start },
      });
      expectSubscriptions(a.subscriptions).toBe('^--!');
      expectSubscriptions(b.subscriptions).toBe('---^--!');
      expectSubscriptions(c.subscriptions).toBe('------^!');
    });
  });

  it('an error of one stream fails the result and cancels the others', () => {
    testScheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const a = cold('s---h', events);
      const b = cold('--#', events, new Error('boom'));
      const { client } = fakeClient({ A: a, B: b });
      expectObservable(streamAll(client, { a: params('A'), b: params('B') })).toBe('x-#', { x: { key: 'a', event: start } }, new Error('boom'));
      expectSubscriptions(a.subscriptions).toBe('^-!');
    });
  });

  it('is cold, and unsubscribing cancels every open stream', () => {
    testScheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const a = cold('s-h-h-h', events);
      const b = cold('-s-h-h', events);
      const { client, calls } = fakeClient({ A: a, B: b });
      const tagged = streamAll(client, { a: params('A'), b: params('B') });
      expect(calls).toHaveLength(0);
      expectObservable(tagged, '^--!').toBe('xyz', { x: { key: 'a', event: start }, y: { key: 'b', event: start }, z: { key: 'a', event: hello } });
      expectSubscriptions(a.subscriptions).toBe('^--!');
      expectSubscriptions(b.subscriptions).toBe('^--!');
    });
  });

  it('takes [key, params] pairs (a Map, any key type) and passes the request options', () => {
    testScheduler.run(({ cold, expectObservable }) => {
      const { client, calls } = fakeClient({ A: cold('(s|)', events) });
      const onResponse = jest.fn();
      const tagged = streamAll(client, new Map([[7, params('A')]]), { requestOptions: { onResponse } });
      expectObservable(tagged).toBe('(x|)', { x: { key: 7, event: start } });
      testScheduler.flush();
      expect(calls).toEqual([{ content: 'A', options: { onResponse } }]);
    });
  });
});

describe('streamEach', () => {
  it('streams each [key, params] as it comes, at most `concurrency` at once', () => {
    testScheduler.run(({ cold, hot, expectObservable, expectSubscriptions }) => {
      const a = cold('s---t|', events);
      const b = cold('s|', events);
      const c = cold('t|', events);
      const { client } = fakeClient({ A: a, B: b, C: c });
      const requests = hot<readonly [string, MessageCreateParams]>('-a-(bc)-|', {
        a: ['first', params('A')],
        b: ['second', params('B')],
        c: ['third', params('C')],
      });
      expectObservable(requests.pipe(streamEach(client, { concurrency: 2 }))).toBe('-a-bcd--|', {
        a: { key: 'first', event: start },
        b: { key: 'second', event: start },
        c: { key: 'third', event: stop },
        d: { key: 'first', event: stop },
      });
      // The third waits for a place: the second ends at frame 4.
      expectSubscriptions(c.subscriptions).toBe('----^!');
    });
  });
});
