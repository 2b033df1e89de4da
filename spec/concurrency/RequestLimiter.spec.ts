import { from, lastValueFrom, merge, mergeMap, of, take, toArray, VirtualTimeScheduler } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { RequestLimiter } from '../../lib/concurrency/RequestLimiter';

let testScheduler: TestScheduler;
beforeEach(() => {
  testScheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
});

const WALL = Date.parse('2025-01-01T00:00:00Z');

describe('RequestLimiter', () => {
  it('starts at most maxConcurrent requests; the next starts as one completes', () => {
    testScheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const limiter = new RequestLimiter({ maxConcurrent: 2, scheduler: testScheduler });
      const r1 = cold('a--|');
      const r2 = cold('b----|');
      const r3 = cold('c-|');
      expectObservable(limiter.limit(r1)).toBe('a--|');
      expectObservable(limiter.limit(r2)).toBe('b----|');
      expectObservable(limiter.limit(r3)).toBe('---c-|');
      expectSubscriptions(r3.subscriptions).toBe('---^-!');
    });
  });

  it('grants places first in, first out', () => {
    testScheduler.run(({ cold, expectSubscriptions, expectObservable }) => {
      const limiter = new RequestLimiter({ maxConcurrent: 1, scheduler: testScheduler });
      const requests = [cold('-a|'), cold('-b|'), cold('-c|'), cold('-d|')];
      requests.forEach((request) => expectObservable(limiter.limit(request)));
      expectSubscriptions(requests[0]!.subscriptions).toBe('^-!');
      expectSubscriptions(requests[1]!.subscriptions).toBe('--^-!');
      expectSubscriptions(requests[2]!.subscriptions).toBe('----^-!');
      expectSubscriptions(requests[3]!.subscriptions).toBe('------^-!');
    });
  });

  it('unsubscribing a queued request removes it from the queue: it is never sent', () => {
    testScheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const limiter = new RequestLimiter({ maxConcurrent: 1, scheduler: testScheduler });
      const r1 = cold('---|');
      const r2 = cold('-x|');
      const r3 = cold('-y|');
      expectObservable(limiter.limit(r1)).toBe('---|');
      expectObservable(limiter.limit(r2), '^-!').toBe('---');
      expectObservable(limiter.limit(r3)).toBe('----y|');
      expectSubscriptions(r2.subscriptions).toBe([]);
      expectSubscriptions(r3.subscriptions).toBe('---^-!');
    });
  });

  it('unsubscribing or failing a running request frees its place', () => {
    testScheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const limiter = new RequestLimiter({ maxConcurrent: 1, scheduler: testScheduler });
      const endless = cold('-a-b-c-d');
      const failing = cold('--#');
      const last = cold('(z|)');
      expectObservable(limiter.limit(endless), '^--!').toBe('-a-');
      expectObservable(limiter.limit(failing)).toBe('-----#');
      expectObservable(limiter.limit(last)).toBe('-----(z|)');
      expectSubscriptions(endless.subscriptions).toBe('^--!');
      expectSubscriptions(failing.subscriptions).toBe('---^-!');
      expectSubscriptions(last.subscriptions).toBe('-----(^!)');
    });
  });

  it('acquire() emits a release function once granted, and completes when it is called', () => {
    testScheduler.run(({ expectObservable }) => {
      const limiter = new RequestLimiter({ maxConcurrent: 1, scheduler: testScheduler });
      const first = limiter.acquire();
      let release: (() => void) | undefined;
      first.subscribe((r) => (release = r));
      testScheduler.schedule(() => {
        expect(limiter.active).toBe(1);
        expect(limiter.queued).toBe(1);
        release?.();
        release?.(); // a second call does nothing
      }, 4);
      expectObservable(limiter.acquire().pipe(mergeMap(() => of('granted')))).toBe('----g', { g: 'granted' });
    });
  });

  it('pauses new requests for a 429 retry-after when told to respect rate limits', () => {
    testScheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const limiter = new RequestLimiter({ rateLimit: 'respect', scheduler: testScheduler });
      testScheduler.schedule(() => limiter.observeResponse({ status: 429, headers: { 'retry-after-ms': '5' } }), 1);
      const early = cold('(a|)');
      const during = cold('(b|)');
      expectObservable(limiter.limit(early)).toBe('(a|)');
      expectObservable(limiter.limit(during), '--^').toBe('------(b|)');
      expectSubscriptions(during.subscriptions).toBe('------(^!)');
    });
  });

  it('holds new requests until the reset time of a used-up limit (RFC 3339, read on the wall clock)', () => {
    testScheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const limiter = new RequestLimiter({ rateLimit: 'respect', scheduler: testScheduler, wallClock: () => WALL });
      limiter.observeResponse({
        status: 200,
        headers: { 'anthropic-ratelimit-tokens-remaining': '0', 'anthropic-ratelimit-tokens-reset': '2025-01-01T00:00:00.008Z' },
      });
      expect(limiter.pausedUntil).toBe(8);
      const r = cold('(a|)');
      expectObservable(limiter.limit(r)).toBe('--------(a|)');
      expectSubscriptions(r.subscriptions).toBe('--------(^!)');
    });
  });

  it('a pause only gets longer, and is cut to maxPauseMs', () => {
    testScheduler.run(({ cold, expectSubscriptions, expectObservable }) => {
      const limiter = new RequestLimiter({ rateLimit: 'respect', scheduler: testScheduler, maxPauseMs: 6 });
      limiter.observeResponse({ status: 429, headers: { 'retry-after': '3600' } });
      limiter.observeResponse({ status: 429, headers: { 'retry-after-ms': '2' } });
      const r = cold('(a|)');
      expectObservable(limiter.limit(r));
      expectSubscriptions(r.subscriptions).toBe('------(^!)');
    });
  });

  it('ignores rate-limit headers by default', () => {
    testScheduler.run(({ cold, expectSubscriptions, expectObservable }) => {
      const limiter = new RequestLimiter({ scheduler: testScheduler });
      limiter.observeResponse({ status: 429, headers: { 'retry-after-ms': '5' } });
      const r = cold('(a|)');
      expectObservable(limiter.limit(r));
      expectSubscriptions(r.subscriptions).toBe('(^!)');
      expect(limiter.pausedUntil).toBeUndefined();
    });
  });

  it('keeps no timer while paused with nobody waiting', () => {
    const scheduler = new VirtualTimeScheduler();
    const limiter = new RequestLimiter({ rateLimit: 'respect', scheduler });
    limiter.pauseFor(1_000);
    expect(scheduler.actions).toHaveLength(0);
    const waiting = limiter.limit(of(1)).subscribe();
    expect(scheduler.actions).toHaveLength(1);
    expect(limiter.queued).toBe(1);
    waiting.unsubscribe();
    expect(limiter.queued).toBe(0);
    expect(scheduler.actions.filter((action) => !action.closed)).toHaveLength(0);
  });

  it('copes with requests that end as soon as they start (re-entrant grants)', async () => {
    const limiter = new RequestLimiter({ maxConcurrent: 2 });
    const values = await lastValueFrom(merge(...[1, 2, 3, 4, 5].map((n) => limiter.limit(of(n)))).pipe(toArray()));
    expect(values).toEqual([1, 2, 3, 4, 5]);
    expect(limiter.active).toBe(0);
    expect(limiter.queued).toBe(0);
  });

  it('take(1) on acquire() gives the place back at once', async () => {
    const limiter = new RequestLimiter({ maxConcurrent: 1 });
    await lastValueFrom(limiter.acquire().pipe(take(1)));
    expect(limiter.active).toBe(0);
    expect(await lastValueFrom(from(limiter.limit(of('free'))))).toBe('free');
  });

  it.each([0, -1, 1.5, Number.NaN])('refuses maxConcurrent %p', (maxConcurrent) => {
    expect(() => new RequestLimiter({ maxConcurrent })).toThrow(RangeError);
  });
});
