import { from, lastValueFrom, toArray } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { decodeEvents } from '../../lib/schema/decodeEvents';
import type { RawMessageStreamEvent } from '../../lib/schema';
import { fromSSE } from '../../lib/sse/fromSSE';
import { toSSE } from '../../lib/sse/toSSE';
import { byteByByte, loadFixtures } from '../support/fixtures';

/** The events of a fixture, up to an error event if it has one. */
function decodedEvents(sse: Buffer): RawMessageStreamEvent[] {
  const events: RawMessageStreamEvent[] = [];
  from([sse]).pipe(fromSSE(), decodeEvents()).subscribe({ next: (event) => events.push(event), error: () => undefined });
  return events;
}

const roundTrip = (events: RawMessageStreamEvent[]) => lastValueFrom(from(events).pipe(toSSE(), fromSSE(), decodeEvents(), toArray()));
const encoder = new TextEncoder();

describe('toSSE', () => {
  const fixtures = [...loadFixtures('sdk-sse'), ...loadFixtures('real-world')];

  it.each(fixtures.map((f) => [`${f.set}/${f.name}`, f.sse] as const))('round-trips %s through fromSSE and decodeEvents', async (_, sse) => {
    const events = decodedEvents(sse);
    expect(events.length).toBeGreaterThan(0);
    await expect(roundTrip(events)).resolves.toEqual(events);
  });

  it('round-trips as UTF-8 bytes, byte by byte', async () => {
    const events = decodedEvents(fixtures.find((f) => f.name === 'llm-anthropic-tool-result-answer-emoji')!.sse);
    const text = (await lastValueFrom(from(events).pipe(toSSE(), toArray()))).join('');
    const decoded = await lastValueFrom(from(byteByByte(encoder.encode(text))).pipe(fromSSE(), decodeEvents(), toArray()));
    expect(decoded).toEqual(events);
  });

  it('writes one frame per event: event name, one data line, blank line', () => {
    new TestScheduler((actual, expected) => expect(actual).toEqual(expected)).run(({ cold, expectObservable }) => {
      const events = cold<RawMessageStreamEvent>('-a-b|', { a: { type: 'message_stop' }, b: { type: 'content_block_stop', index: 2 } });
      expectObservable(events.pipe(toSSE())).toBe('-a-b|', {
        a: 'event: message_stop\ndata: {"type":"message_stop"}\n\n',
        b: 'event: content_block_stop\ndata: {"type":"content_block_stop","index":2}\n\n',
      });
    });
  });

  it('keeps line breaks, line separators and unknown events intact', async () => {
    const odd = { type: 'future_event', text: 'a\n\nb\r\nc\rd\u2028e\u2029f', data: 'data: not a field', nested: { emoji: '🦅' } };
    const delta = { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: '\n\nevent: fake\ndata: {}\n\n' } };
    const events = [odd, delta] as unknown as RawMessageStreamEvent[];
    const frames = await lastValueFrom(from(events).pipe(toSSE(), toArray()));
    for (const frame of frames) expect(frame.split('\n').filter((line) => line.startsWith('data:'))).toHaveLength(1);
    await expect(roundTrip(events)).resolves.toEqual(events);
  });

  it('gives frames that fromSSE reads back with the event name the API uses', async () => {
    const frames = await lastValueFrom(from([{ type: 'message_stop' } as RawMessageStreamEvent]).pipe(toSSE(), fromSSE(), toArray()));
    expect(frames).toEqual([{ event: 'message_stop', data: '{"type":"message_stop"}', id: undefined }]);
  });
});
