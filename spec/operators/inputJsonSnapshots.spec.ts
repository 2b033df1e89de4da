import { from, lastValueFrom, map, tap, toArray } from 'rxjs';

import { PartialJsonParser } from '../../lib/accumulate/PartialJsonParser';
import type { InputJsonEvent, MessageStreamEvent } from '../../lib/operators/MessageStreamEvent';
import { messageStreamEvents } from '../../lib/operators/messageStreamEvents';
import { toolMessage } from './events';

/** A tool input of `rows` rows in ~8-character fragments, as the API streams it. */
function fragmentsOf(rows: number): string[] {
  const json = JSON.stringify({ rows: Array.from({ length: rows }, (_, id) => ({ id, name: `row ${id}`, tags: ['a', 'b'] })) });
  const fragments: string[] = [];
  for (let at = 0; at < json.length; at += 8) fragments.push(json.slice(at, at + 8));
  return fragments;
}

/** What a snapshot must be after each fragment: the partial parse of the text so far. */
function expectedSnapshots(fragments: readonly string[]): unknown[] {
  const parser = new PartialJsonParser();
  return fragments.map((fragment) => {
    parser.push(fragment);
    return parser.snapshot() ?? {};
  });
}

const isInputJson = (event: MessageStreamEvent): event is InputJsonEvent => event.type === 'input_json';
const isAccessor = (event: InputJsonEvent): boolean => typeof Object.getOwnPropertyDescriptor(event, 'snapshot')?.get === 'function';

describe('messageStreamEvents() input_json snapshots, read or not', () => {
  const fragments = fragmentsOf(120);
  const expected = expectedSnapshots(fragments);

  it('gives every snapshot right to a consumer that reads each one as it arrives, building them eagerly once it reads', async () => {
    const seen: unknown[] = [];
    const events = await lastValueFrom(
      from(toolMessage(fragments)).pipe(
        messageStreamEvents(),
        tap((event) => {
          if (event.type === 'input_json') seen.push(event.snapshot);
        }),
        toArray(),
      ),
    );
    expect(seen).toEqual(expected);
    const inputEvents = events.filter(isInputJson);
    // The first is lazy; after it was read, most are plain properties, with a lazy one now and then that checks reading goes on.
    expect(isAccessor(inputEvents[0]!)).toBe(true);
    const lazy = inputEvents.filter(isAccessor).length;
    expect(lazy).toBeGreaterThan(1);
    expect(lazy).toBeLessThan(inputEvents.length / 10);
    // Read again later, every snapshot is still the value of its own point of the stream.
    expect(inputEvents.map((event) => event.snapshot)).toEqual(expected);
  });

  it('keeps every snapshot lazy for a consumer that never reads one', async () => {
    const events = (await lastValueFrom(from(toolMessage(fragments)).pipe(messageStreamEvents(), toArray()))).filter(isInputJson);
    expect(events).toHaveLength(fragments.length);
    expect(events.every(isAccessor)).toBe(true);
    // Read only now, at the end, each is still right.
    expect(events.map((event) => event.snapshot)).toEqual(expected);
  });

  it('goes back to lazy snapshots when the consumer stops reading, and every one stays right', async () => {
    let index = 0;
    const events = await lastValueFrom(
      from(toolMessage(fragments)).pipe(
        messageStreamEvents(),
        tap((event) => {
          // Reads the first 40, then stops.
          if (event.type === 'input_json' && index++ < 40) void event.snapshot;
        }),
        toArray(),
      ),
    );
    const inputEvents = events.filter(isInputJson);
    // At most one eager run after the last read.
    expect(inputEvents.slice(40 + 33).every(isAccessor)).toBe(true);
    expect(inputEvents.map((event) => event.snapshot)).toEqual(expected);
  });

  it('makes eager and lazy snapshots indistinguishable as values: own, enumerable, serialised and spread alike', async () => {
    const events = await lastValueFrom(
      from(toolMessage(fragments)).pipe(
        messageStreamEvents(),
        tap((event) => {
          if (event.type === 'input_json') void event.snapshot;
        }),
        map((event) => event),
        toArray(),
      ),
    );
    const inputEvents = events.filter(isInputJson);
    const eager = inputEvents.find((event) => !isAccessor(event))!;
    const lazy = inputEvents.find(isAccessor)!;
    for (const event of [eager, lazy]) {
      expect(Object.keys(event)).toEqual(['type', 'index', 'partial_json', 'snapshot']);
      expect(JSON.parse(JSON.stringify(event))).toEqual({ ...event });
    }
  });

  it('never lets an eager snapshot change when later deltas arrive (snapshots are immutable)', async () => {
    const kept: Array<{ snapshot: unknown; copy: string }> = [];
    await lastValueFrom(
      from(toolMessage(fragments)).pipe(
        messageStreamEvents(),
        tap((event) => {
          if (event.type === 'input_json') kept.push({ snapshot: event.snapshot, copy: JSON.stringify(event.snapshot) });
        }),
        toArray(),
      ),
    );
    for (const { snapshot, copy } of kept) expect(JSON.stringify(snapshot)).toBe(copy);
  });
});
