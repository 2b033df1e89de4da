import { animationFrameScheduler, from, lastValueFrom, Subject, toArray } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { combineSnapshots } from '../../lib/concurrency/combineSnapshots';
import { accumulateMessage } from '../../lib/operators/accumulateMessage';
import type { Message, RawMessageStreamEvent } from '../../lib/schema';
import { messageStart, textDelta, textStart, textMessage } from '../operators/events';

let testScheduler: TestScheduler;
beforeEach(() => {
  testScheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
});

/** The snapshot after each event. */
function snapshotsOf(events: readonly RawMessageStreamEvent[]): Message[] {
  let snapshots: Message[] = [];
  from(events).pipe(accumulateMessage(), toArray()).subscribe((all) => (snapshots = all));
  return snapshots;
}

const eventsA = { s: messageStart({ id: 'msg_a' }), b: textStart(0), h: textDelta(0, 'Hello') };
const eventsB = { s: messageStart({ id: 'msg_b' }), b: textStart(0), h: textDelta(0, 'Bonjour') };
const [A0, A1, A2] = snapshotsOf([eventsA.s, eventsA.b, eventsA.h]);
const [B0, B1] = snapshotsOf([eventsB.s, eventsB.b]);

describe('combineSnapshots', () => {
  it('without a throttle emits the record after every change, undefined for streams not started', () => {
    testScheduler.run(({ cold, expectObservable }) => {
      const a = cold('s-b|', eventsA);
      const b = cold('-s|', eventsB);
      expectObservable(combineSnapshots({ a, b })).toBe('xyz|', {
        x: { a: A0, b: undefined },
        y: { a: A0, b: B0 },
        z: { a: A1, b: B0 },
      });
    });
  });

  it('with a throttle in milliseconds emits at most once per window, with the latest state', () => {
    testScheduler.run(({ cold, expectObservable }) => {
      const a = cold('sb--h|', eventsA);
      const b = cold('--s---b---|', eventsB);
      expectObservable(combineSnapshots({ a, b }, { throttle: 3, scheduler: testScheduler })).toBe('---x---y--|', {
        x: { a: A1, b: B0 },
        y: { a: A2, b: B1 },
      });
    });
  });

  it('emits the final state at completion even inside a window, and leaves nothing scheduled', () => {
    testScheduler.run(({ cold, expectObservable }) => {
      const a = cold('sb|', eventsA);
      const b = cold('s|', eventsB);
      expectObservable(combineSnapshots({ a, b }, { throttle: 50, scheduler: testScheduler })).toBe('--(x|)', { x: { a: A1, b: B0 } });
    });
    // Were the 50 ms flush still scheduled, the run above would have lasted until frame 50.
    expect(testScheduler.now()).toBe(2);
  });

  it('with a scheduler as the throttle, batches the changes of one action of it', () => {
    testScheduler.run(({ cold, expectObservable }) => {
      const a = cold('(sb)h|', eventsA);
      expectObservable(combineSnapshots({ a }, { throttle: testScheduler })).toBe('x---y|', { x: { a: A1 }, y: { a: A2 } });
    });
  });

  it('works with animationFrameScheduler: at most one record per animation frame', () => {
    testScheduler.run(({ animate, cold, expectObservable }) => {
      animate('--x---x--x');
      const a = cold('sb---h----|', eventsA);
      const b = cold('-s|', eventsB);
      expectObservable(combineSnapshots({ a, b }, { throttle: animationFrameScheduler })).toBe('--x---y---|', {
        x: { a: A1, b: B0 },
        y: { a: A2, b: B0 },
      });
    });
  });

  it('fails with the first error, unsubscribing the other streams and the pending flush', () => {
    testScheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const a = cold('s---b', eventsA);
      const b = cold('--#', eventsB, new Error('boom'));
      expectObservable(combineSnapshots({ a, b }, { throttle: 5, scheduler: testScheduler })).toBe('--#', {}, new Error('boom'));
      expectSubscriptions(a.subscriptions).toBe('^-!');
    });
  });

  it('unsubscribing unsubscribes every stream', () => {
    testScheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const a = cold('s---b', eventsA);
      const b = cold('-s', eventsB);
      expectObservable(combineSnapshots({ a, b }, { throttle: 2, scheduler: testScheduler }), '^--!').toBe('--x', { x: { a: A0, b: B0 } });
      expectSubscriptions(a.subscriptions).toBe('^--!');
      expectSubscriptions(b.subscriptions).toBe('^--!');
    });
  });

  it('with no stream emits one empty record', () => {
    testScheduler.run(({ expectObservable }) => {
      expectObservable(combineSnapshots({})).toBe('(x|)', { x: {} });
    });
  });

  it('emits new records; a stream that did not change keeps the same snapshot object', async () => {
    const a = new Subject<RawMessageStreamEvent>();
    const b = from(textMessage(['Hi']));
    const records = lastValueFrom(combineSnapshots({ a, b }).pipe(toArray()));
    a.next(eventsA.s);
    a.next(eventsA.b);
    a.complete();
    const all = await records;
    expect(all.map((record) => record.a?.id)).toEqual([undefined, undefined, undefined, undefined, undefined, undefined, 'msg_a', 'msg_a']);
    const [previous, latest] = all.slice(-2);
    expect(latest).not.toBe(previous);
    expect(latest?.b).toBe(previous?.b);
    expect(latest?.b?.content).toEqual([{ type: 'text', text: 'Hi' }]);
  });
});
