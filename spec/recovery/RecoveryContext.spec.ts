/**
 * recoveryContext's `report`: it never throws, and what a listener throws is reported as RxJS
 * reports an error thrown by a subscriber's callback, on a later task.
 */
import { asyncScheduler, config } from 'rxjs';
import type { RecoveryEvent, RequestTrace } from 'rx-anthropic';
import { recoveryContext } from '../../lib/recovery/RecoveryContext';

const event: RecoveryEvent = { kind: 'hedge', at: 0, reason: 'no content 100 ms after the request went out', outcome: 'started', model: 'claude-sonnet-4-6' };
const failure = new Error('the listener failed');
const fail = (): void => {
  throw failure;
};
const traceWith = (recovery: (event: RecoveryEvent) => void): RequestTrace => ({ within: (work) => work(), end: () => undefined, recovery });

let previousHandler: typeof config.onUnhandledError;
beforeEach(() => {
  previousHandler = config.onUnhandledError;
  jest.useFakeTimers();
});
afterEach(() => {
  jest.useRealTimers();
  config.onUnhandledError = previousHandler;
});

describe('recoveryContext(...).report', () => {
  it('returns when onRecovery throws, and hands the error to config.onUnhandledError on a later task, not before', () => {
    const unhandled: unknown[] = [];
    config.onUnhandledError = (error) => unhandled.push(error);
    const { report } = recoveryContext({ onRecovery: fail }, {}, asyncScheduler, undefined);

    expect(() => report(event)).not.toThrow();
    expect(unhandled).toEqual([]);
    jest.runOnlyPendingTimers();
    expect(unhandled).toEqual([failure]);
  });

  it('reads config.onUnhandledError when it reports, as RxJS does', () => {
    const { report } = recoveryContext({ onRecovery: fail }, {}, asyncScheduler, undefined);
    config.onUnhandledError = null;
    report(event);
    const unhandled: unknown[] = [];
    config.onUnhandledError = (error) => unhandled.push(error);
    jest.runOnlyPendingTimers();
    expect(unhandled).toEqual([failure]);
  });

  it('without config.onUnhandledError, throws the error on a timer of its own, for the runtime to report as uncaught', () => {
    config.onUnhandledError = null;
    const { report } = recoveryContext({}, { onRecovery: fail }, asyncScheduler, undefined);

    expect(() => report(event)).not.toThrow();
    expect(() => jest.runOnlyPendingTimers()).toThrow(failure);
  });

  it('calls onRecovery when the trace’s recovery throws, and the trace’s when onRecovery throws, with the same event', () => {
    config.onUnhandledError = () => undefined;
    const heardByCallback: RecoveryEvent[] = [];
    const heardByTrace: RecoveryEvent[] = [];
    recoveryContext({ onRecovery: (e) => heardByCallback.push(e) }, {}, asyncScheduler, traceWith(fail)).report(event);
    recoveryContext({ onRecovery: fail }, {}, asyncScheduler, traceWith((e) => heardByTrace.push(e))).report(event);
    expect(heardByCallback).toEqual([event]);
    expect(heardByTrace).toEqual([event]);
    jest.runOnlyPendingTimers();
  });

  it('reports nothing, and schedules nothing, when the listeners return', () => {
    const heard: RecoveryEvent[] = [];
    const { report } = recoveryContext({ onRecovery: (e) => heard.push(e) }, {}, asyncScheduler, traceWith((e) => heard.push(e)));
    report(event);
    expect(heard).toEqual([event, event]);
    expect(jest.getTimerCount()).toBe(0);
  });
});
