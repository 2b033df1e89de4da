/**
 * hedge(send, context) in virtual time: when the second request starts, who wins, what the
 * consumer sees (only the winner's events), when each request is unsubscribed (aborted), which
 * error ends the stream, and what is reported.
 */
import type { Observable } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { InvalidArgumentError, OverloadedError, APIConnectionError } from '../../lib/errors';
import { hedge } from '../../lib/recovery/hedge';
import type { HedgeOptions, RecoveryEvent } from '../../lib/recovery/RecoveryOptions';
import type { MessageCreateParams, RawMessageStreamEvent } from '../../lib/schema';
import { messageStart, messageStop, textDelta, textStart } from '../operators/events';

const params: MessageCreateParams = { model: 'claude-sonnet-4-6', max_tokens: 100, messages: [{ role: 'user', content: 'Hi' }] };

/** Events of the original request (upper case) and of the hedged one (lower case). */
const values: Record<string, RawMessageStreamEvent> = {
  M: messageStart({ id: 'msg_original' }),
  S: textStart(0),
  D: textDelta(0, 'original'),
  Z: messageStop(),
  m: messageStart({ id: 'msg_hedged' }),
  s: textStart(0),
  d: textDelta(0, 'hedged'),
  z: messageStop(),
};

let scheduler: TestScheduler;
beforeEach(() => {
  scheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
});

/** hedge over a send that answers its calls with `answers`, in order; records the params and the reports. */
function hedged(options: HedgeOptions, answers: Array<Observable<RawMessageStreamEvent>>) {
  const calls: MessageCreateParams[] = [];
  const reports: RecoveryEvent[] = [];
  const send = (sent: MessageCreateParams): Observable<RawMessageStreamEvent> => {
    calls.push(sent);
    const answer = answers[calls.length - 1];
    if (answer === undefined) throw new Error(`no answer for call ${calls.length}`);
    return answer;
  };
  const stream = hedge(send, { options: { hedge: options }, scheduler, report: (event) => reports.push(event) })(params);
  return { stream, calls, reports };
}

const outcomes = (reports: readonly RecoveryEvent[]) => reports.map((event) => (event.kind === 'hedge' ? [event.at, event.outcome, event.model] : [event.at, event.kind]));

describe('hedge: no second request when content comes in time', () => {
  it('passes the original through, holding back what came before its first content, and reports nothing', () => {
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const original = cold('M 4ms S 4ms D Z|', values);
      const { stream, calls, reports } = hedged({ afterMs: 10 }, [original]);
      expectObservable(stream).toBe('5ms (MS) 1ms D Z|', values);
      expectSubscriptions(original.subscriptions).toBe('^ 11ms !');
      scheduler.flush();
      expect(calls).toHaveLength(1);
      expect(reports).toEqual([]);
    });
  });

  it('fails at once when the original fails before afterMs: there is nothing to race yet', () => {
    scheduler.run(({ cold, expectObservable }) => {
      const overloaded = new OverloadedError(529, { type: 'overloaded_error', message: 'Overloaded' }, 'Overloaded');
      const { stream, calls, reports } = hedged({ afterMs: 10 }, [cold('M 2ms #', values, overloaded)]);
      expectObservable(stream).toBe('3ms #', undefined, overloaded);
      scheduler.flush();
      expect(calls).toHaveLength(1);
      expect(reports).toEqual([]);
    });
  });

  it('lets an original that ends without content win: its (empty) answer is whole', () => {
    scheduler.run(({ cold, expectObservable }) => {
      const { stream, calls } = hedged({ afterMs: 10 }, [cold('M 2ms Z|', values)]);
      expectObservable(stream).toBe('4ms (MZ|)', values);
      scheduler.flush();
      expect(calls).toHaveLength(1);
    });
  });
});

describe('hedge: the race', () => {
  it('starts an identical request after afterMs; the hedged one delivers first, wins, and the original is aborted at once', () => {
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const original = cold('M 30ms S D Z|', values);
      const second = cold('m 2ms s 4ms d z|', values);
      const { stream, calls, reports } = hedged({ afterMs: 10 }, [original, second]);
      // The hedge goes out at 10 and delivers its first content at 13: the consumer sees m and s then, nothing of the original.
      expectObservable(stream).toBe('13ms (ms) 1ms d z|', values);
      expectSubscriptions(original.subscriptions).toBe('^ 12ms !');
      expectSubscriptions(second.subscriptions).toBe('10ms ^ 9ms !');
      scheduler.flush();
      expect(calls).toEqual([params, params]);
      expect(outcomes(reports)).toEqual([
        [10, 'started', 'claude-sonnet-4-6'],
        [13, 'won', 'claude-sonnet-4-6'],
        [13, 'lost', 'claude-sonnet-4-6'],
      ]);
      expect(reports[0]?.reason).toBe('no content 10 ms after the request went out');
      expect(reports[1]?.reason).toBe('first to deliver content, 3 ms after its request went out');
    });
  });

  it('sends the hedge to hedge.model when given, and reports that model', () => {
    scheduler.run(({ cold, expectObservable }) => {
      const { stream, calls, reports } = hedged({ afterMs: 10, model: 'claude-haiku-4-5' }, [cold('M 30ms S D Z|', values), cold('m s 4ms d z|', values)]);
      expectObservable(stream).toBe('11ms (ms) 1ms d z|', values);
      scheduler.flush();
      expect(calls[1]).toEqual({ ...params, model: 'claude-haiku-4-5' });
      expect(calls[0]).toBe(params);
      expect(outcomes(reports)).toEqual([
        [10, 'started', 'claude-haiku-4-5'],
        [11, 'won', 'claude-haiku-4-5'],
        [11, 'lost', 'claude-sonnet-4-6'],
      ]);
    });
  });

  it('lets the original win when it delivers first after the hedge started, and aborts the hedge', () => {
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const original = cold('M 14ms S 4ms D Z|', values);
      const second = cold('m 20ms s d z|', values);
      const { stream, reports } = hedged({ afterMs: 10 }, [original, second]);
      expectObservable(stream).toBe('15ms (MS) 1ms D Z|', values);
      expectSubscriptions(second.subscriptions).toBe('10ms ^ 4ms !');
      scheduler.flush();
      expect(outcomes(reports)).toEqual([
        [10, 'started', 'claude-sonnet-4-6'],
        [15, 'won', 'claude-sonnet-4-6'],
        [15, 'lost', 'claude-sonnet-4-6'],
      ]);
    });
  });

  it('goes on with the hedge alone when the original fails before content, reporting the original lost', () => {
    scheduler.run(({ cold, expectObservable }) => {
      const dropped = new APIConnectionError('Connection error: socket hang up');
      const { stream, reports } = hedged({ afterMs: 10 }, [cold('M 11ms #', values, dropped), cold('m 5ms s 4ms d z|', values)]);
      expectObservable(stream).toBe('16ms (ms) 1ms d z|', values);
      scheduler.flush();
      expect(outcomes(reports)).toEqual([
        [10, 'started', 'claude-sonnet-4-6'],
        [12, 'lost', 'claude-sonnet-4-6'],
        [16, 'won', 'claude-sonnet-4-6'],
      ]);
      expect(reports[1]?.reason).toBe('failed before content: Connection error: socket hang up');
    });
  });

  it.each([
    ['the original fails last', 'M 19ms #', 'm 3ms #', '20ms #'],
    ['the hedge fails last', 'M 11ms #', 'm 8ms #', '19ms #'],
  ])('fails with the original request’s error when both fail before content (%s)', (_, originalMarbles, secondMarbles, expected) => {
    scheduler.run(({ cold, expectObservable }) => {
      const originalError = new APIConnectionError('original failed');
      const secondError = new APIConnectionError('hedge failed');
      const { stream, reports } = hedged({ afterMs: 10 }, [cold(originalMarbles, values, originalError), cold(secondMarbles, values, secondError)]);
      expectObservable(stream).toBe(expected, undefined, originalError);
      scheduler.flush();
      expect(reports.map((event) => (event.kind === 'hedge' ? event.outcome : event.kind))).toEqual(['started', 'lost', 'lost']);
    });
  });

  it('passes the winner’s error on once it has won', () => {
    scheduler.run(({ cold, expectObservable }) => {
      const cut = new APIConnectionError('cut after content');
      const { stream } = hedged({ afterMs: 10 }, [cold('M 30ms S|', values), cold('m s 5ms #', values, cut)]);
      expectObservable(stream).toBe('11ms (ms) 2ms #', values, cut);
    });
  });

  it('unsubscribing cancels both requests and the timer', () => {
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const original = cold('M 30ms S D Z|', values);
      const second = cold('m 30ms s d z|', values);
      const { stream, calls } = hedged({ afterMs: 10 }, [original, second]);
      expectObservable(stream, '^ 19ms !').toBe('');
      expectSubscriptions(original.subscriptions).toBe('^ 19ms !');
      expectSubscriptions(second.subscriptions).toBe('10ms ^ 9ms !');
      scheduler.flush();
      expect(calls).toHaveLength(2);
    });
  });

  it('unsubscribing before afterMs sends no second request', () => {
    scheduler.run(({ cold, expectObservable }) => {
      const { stream, calls } = hedged({ afterMs: 10 }, [cold('M 30ms S D Z|', values)]);
      expectObservable(stream, '^ 5ms !').toBe('');
      scheduler.flush();
      expect(calls).toHaveLength(1);
    });
  });
});

describe('hedge: options', () => {
  const send = (): Observable<RawMessageStreamEvent> => {
    throw new Error('not sent');
  };
  it.each([
    [{ afterMs: 0 }, "The hedge's afterMs must be a number of milliseconds above 0 and at most 2147483647, not 0."],
    [{ afterMs: 2 ** 31 }, "The hedge's afterMs must be a number of milliseconds above 0 and at most 2147483647, not 2147483648."],
    [{ afterMs: '100' }, "The hedge's afterMs must be a number of milliseconds above 0 and at most 2147483647, not a string."],
    [{}, "The hedge's afterMs must be a number of milliseconds above 0 and at most 2147483647, not undefined."],
    [{ afterMs: 100, model: '' }, "The hedge's model must be a model name such as 'claude-sonnet-4-6' (or left out for the request's own), not an empty string."],
    [{ afterMs: 100, after: 5 }, 'The hedge option has an unknown key "after": it takes afterMs and model.'],
    [100, 'The hedge option must be an object such as { afterMs: 2000 } (and an optional model), not a number.'],
  ])('refuses %p with InvalidArgumentError naming hedge', (option, message) => {
    const make = () => hedge(send, { options: { hedge: option as HedgeOptions }, scheduler, report: () => undefined });
    expect(make).toThrow(InvalidArgumentError);
    expect(make).toThrow(message);
    try {
      make();
    } catch (error) {
      expect((error as InvalidArgumentError).argument).toBe('hedge');
    }
  });

  it('is send itself without a hedge', () => {
    const identity = (): Observable<RawMessageStreamEvent> => send();
    expect(hedge(identity, { options: {}, scheduler, report: () => undefined })).toBe(identity);
  });
});
