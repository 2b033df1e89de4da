/**
 * The plumbing between the recoveries (lib/recovery/SinkStream.ts): a request as a SinkStream,
 * a SinkStream as the Observable the consumer subscribes to, and a recovery over sinks used over
 * SendStreams.
 */
import { NEVER, Observable, Subject, of, throwError } from 'rxjs';
import { deltaSinkOf, overSendStream, RecoverySink, sendStreamOf, sinkStreamOf, type EventSink, type EventType, type SinkStream } from '../../lib/recovery/SinkStream';
import type { MessageCreateParams, RawMessageStreamEvent } from '../../lib/schema';
import { blockStop, messageStart, messageStop, textDelta, textStart } from '../operators/events';

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

/** A recovery's sink over `outer` that counts the events it is given and passes them on, passing deltas on when `passes()` says. */
function countingSink(outer: EventSink, passes?: () => boolean) {
  const counted = { events: 0, deltas: 0 };
  const sink = new RecoverySink(
    outer,
    (event, type) => {
      counted.events += 1;
      if (type === 'content_block_delta') counted.deltas += 1;
      outer.next(event, type);
    },
    (error) => outer.error(error),
    () => outer.complete(),
    passes,
  );
  return { sink, counted };
}

describe('deltaSinkOf', () => {
  it('is the sink itself when no recovery has it, or when its recovery does something with deltas now', () => {
    const outer = recordingSink().sink;
    expect(deltaSinkOf(outer)).toBe(outer);
    const { sink } = countingSink(outer);
    expect(deltaSinkOf(sink)).toBe(sink);
    const notNow = countingSink(outer, () => false).sink;
    expect(deltaSinkOf(notNow)).toBe(notNow);
  });

  it('goes past every recovery that passes deltas on now, and stops at the first that does not', () => {
    const outer = recordingSink().sink;
    let middlePasses = false;
    const middle = countingSink(outer, () => middlePasses).sink;
    const inner = countingSink(middle, () => true).sink;
    expect(deltaSinkOf(inner)).toBe(middle);
    middlePasses = true;
    expect(deltaSinkOf(inner)).toBe(outer);
  });
});

describe('sinkStreamOf and a recovery that passes deltas on', () => {
  const EVENTS_WITH_DELTAS = [messageStart(), textStart(0), textDelta(0, 'a'), textDelta(0, 'b'), blockStop(0), textStart(1), textDelta(1, 'c'), blockStop(1), messageStop()];

  it('gives the deltas after the first event of another type past it, the rest through it, all in order', () => {
    const { sink: outer, seen } = recordingSink();
    const { sink, counted } = countingSink(outer, () => true);
    sinkStreamOf(() => of(...EVENTS_WITH_DELTAS))(params, sink);
    expect(seen).toEqual([...EVENTS_WITH_DELTAS.map((event) => [event, event.type]), ['complete']]);
    expect(counted).toEqual({ events: 6, deltas: 0 });
  });

  it('gives every event through a recovery that does not pass deltas on', () => {
    const { sink: outer, seen } = recordingSink();
    const { sink, counted } = countingSink(outer, () => false);
    sinkStreamOf(() => of(...EVENTS_WITH_DELTAS))(params, sink);
    expect(seen).toHaveLength(EVENTS_WITH_DELTAS.length + 1);
    expect(counted).toEqual({ events: 9, deltas: 3 });
  });

  it('gives a delta through the recovery until an event of another type has passed since it began passing deltas on', () => {
    const { sink: outer, seen } = recordingSink();
    let passes = false;
    const { sink, counted } = countingSink(outer, () => passes);
    const events = new Subject<RawMessageStreamEvent>();
    sinkStreamOf(() => events)(params, sink);
    events.next(messageStart());
    events.next(textStart(0));
    passes = true;
    events.next(textDelta(0, 'a')); // looked up at the block's start: through the recovery
    events.next(blockStop(0)); // looked up again here
    events.next(textDelta(0, 'b')); // past it
    expect(counted).toEqual({ events: 4, deltas: 1 });
    expect(seen.map(([event]) => (event as RawMessageStreamEvent).type)).toEqual(['message_start', 'content_block_start', 'content_block_delta', 'content_block_stop', 'content_block_delta']);
  });
});
