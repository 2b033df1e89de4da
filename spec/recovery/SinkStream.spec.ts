/**
 * The plumbing between the recoveries (lib/recovery/SinkStream.ts): a request as a SinkStream,
 * a SinkStream as the Observable the consumer subscribes to, and a recovery over sinks used over
 * SendStreams.
 */
import { NEVER, Observable, Subject, of, throwError } from 'rxjs';
import { overSendStream, RecoverySink, sendStreamOf, sinkStreamOf, type EventSink, type EventType, type SinkStream } from '../../lib/recovery/SinkStream';
import type { MessageCreateParams, RawMessageStreamEvent } from '../../lib/schema';
import { messageStart, messageStop, textDelta, textStart } from '../operators/events';

const params = { model: 'claude-sonnet-4-6', max_tokens: 16, messages: [] } as unknown as MessageCreateParams;
const EVENTS: RawMessageStreamEvent[] = [messageStart(), textStart(0), textDelta(0, 'Hi'), messageStop()];

/** A sink that writes down what it is given. */
function recordingSink() {
  const seen: Array<[RawMessageStreamEvent, EventType] | ['error', unknown] | ['complete']> = [];
  const sink: EventSink & { closed: boolean } = {
    next: (event, type) => seen.push([event, type]),
    error: (error) => seen.push(['error', error]),
    complete: () => seen.push(['complete']),
    closed: false,
  };
  return { sink, seen };
}

describe('sinkStreamOf', () => {
  it('gives each event of the request with its type, then the end', () => {
    const { sink, seen } = recordingSink();
    sinkStreamOf(() => of(...EVENTS))(params, sink);
    expect(seen).toEqual([...EVENTS.map((event) => [event, event.type]), ['complete']]);
  });

  it('shows an error to beforeError first, then gives it to the sink', () => {
    const { sink, seen } = recordingSink();
    const failure = new Error('cut');
    const shown: unknown[] = [];
    sinkStreamOf(() => throwError(() => failure), (error) => shown.push(['before', error, seen.length]))(params, sink);
    expect(shown).toEqual([['before', failure, 0]]);
    expect(seen).toEqual([['error', failure]]);
  });

  it('stops the request when its stop is called, and a second call does nothing more', () => {
    let teardowns = 0;
    const request = new Observable<RawMessageStreamEvent>(() => () => (teardowns += 1));
    const stop = sinkStreamOf(() => request)(params, recordingSink().sink);
    expect(teardowns).toBe(0);
    stop();
    stop();
    expect(teardowns).toBe(1);
  });
});

describe('sendStreamOf', () => {
  it('starts the stream at each subscription, with the subscriber as its sink, and stops it on unsubscribe', () => {
    const starts: MessageCreateParams[] = [];
    let stops = 0;
    const events = new Subject<RawMessageStreamEvent>();
    const stream: SinkStream = (given, sink) => {
      starts.push(given);
      const subscription = events.subscribe((event) => sink.next(event, event.type));
      return () => {
        stops += 1;
        subscription.unsubscribe();
      };
    };
    const observable = sendStreamOf(stream)(params);
    expect(starts).toEqual([]);
    const seen: RawMessageStreamEvent[] = [];
    const subscription = observable.subscribe((event) => seen.push(event));
    events.next(EVENTS[0] as RawMessageStreamEvent);
    subscription.unsubscribe();
    events.next(EVENTS[1] as RawMessageStreamEvent);
    expect(starts).toEqual([params]);
    expect(seen).toEqual([EVENTS[0]]);
    expect(stops).toBe(1);
  });
});

describe('overSendStream', () => {
  it('gives send itself back when the recovery leaves the stream as it was', () => {
    const send = () => NEVER;
    expect(overSendStream((stream: SinkStream) => stream)(send, undefined)).toBe(send);
  });

  it('wraps send otherwise: what the recovery passes on is what the subscriber sees', async () => {
    // A recovery that passes on only the deltas, judged by the type it is given with each event.
    const onlyDeltas = (stream: SinkStream): SinkStream => (given, sink) =>
      stream(given, new RecoverySink(sink, (event, type) => type === 'content_block_delta' && sink.next(event, type), (error) => sink.error(error), () => sink.complete()));
    const seen: RawMessageStreamEvent[] = [];
    await new Promise<void>((resolve) => overSendStream(onlyDeltas)(() => of(...EVENTS), undefined)(params).subscribe({ next: (event) => seen.push(event), complete: resolve }));
    expect(seen).toEqual([EVENTS[2]]);
  });
});

describe('RecoverySink', () => {
  it('is closed when the sink it passes events on to is', () => {
    const outer = recordingSink().sink;
    const inner = new RecoverySink(outer, () => undefined, () => undefined, () => undefined);
    expect(inner.closed).toBe(false);
    outer.closed = true;
    expect(inner.closed).toBe(true);
  });
});
