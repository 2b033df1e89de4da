import fc from 'fast-check';

import { OverloadedError } from '../../lib/errors';
import { byteByByte, loadFixtures, splitAt, type Fixture } from '../support/fixtures';
import { outcomeOf, plain, type Outcome } from './pipeline';

/**
 * Every real-world stream with an expectation, through `fromSSE() → decodeEvents()` and the
 * operators, under several chunkings of its bytes. The expected message is compared STRICTLY
 * (every key, nulls and empty strings included, nothing extra) after a JSON round trip of ours.
 */
const fixtures = loadFixtures('real-world').filter((fixture) => fixture.expected !== undefined);

interface RealWorldExpectation {
  message: unknown;
  text: string;
  error?: { type: string; message: string };
  complete?: boolean;
}

function check(fixture: Fixture, outcome: Outcome): void {
  const expected = fixture.expected as RealWorldExpectation;
  if (expected.error) {
    // The stream fails with the API error; what accumulateMessage() emitted before it is the message so far.
    expect(outcome.snapshotError).toBeInstanceOf(OverloadedError);
    expect(outcome.snapshotError).toMatchObject({ type: expected.error.type, status: undefined, message: expect.stringContaining(expected.error.message) });
    expect(outcome.lastSnapshot).toEqual(expected.message);
    expect(outcome.snapshotCount).toBe(outcome.raw.values.length);
    expect(outcome.raw.error).toBeInstanceOf(OverloadedError);
    expect(outcome.final.error).toBeInstanceOf(OverloadedError);
    expect(outcome.final.values).toEqual([]);
    expect(outcome.text.values.join('')).toBe(expected.text);
    expect(outcome.text.error).toBeInstanceOf(OverloadedError);
    expect(outcome.events.error).toBeInstanceOf(OverloadedError);
    return;
  }
  expect(outcome.snapshotError).toBeUndefined();
  expect(outcome.lastSnapshot).toEqual(expected.message);
  expect(outcome.snapshotCount).toBe(outcome.raw.values.length);
  expect(outcome.final.error).toBeUndefined();
  expect(plain(outcome.final.values)).toEqual([expected.message]);
  expect(outcome.text.error).toBeUndefined();
  expect(outcome.text.values.join('')).toBe(expected.text);
  const stop = outcome.events.values[outcome.events.values.length - 1];
  expect(stop?.type).toBe('message_stop');
  expect(plain((stop as { message?: unknown }).message)).toEqual(expected.message);
}

describe('real-world fixtures', () => {
  it('has the 19 expectations of its README', () => {
    expect(fixtures.map((fixture) => fixture.name)).toHaveLength(19);
  });

  describe.each(fixtures.map((fixture) => [fixture.name, fixture] as const))('%s', (_name, fixture) => {
    it('whole body in one chunk', () => {
      check(fixture, outcomeOf([new Uint8Array(fixture.sse)]));
    });

    it('byte by byte', () => {
      check(fixture, outcomeOf(byteByByte(fixture.sse)));
    });

    it('random chunkings (fast-check, fixed seed)', () => {
      const length = fixture.sse.length;
      fc.assert(
        fc.property(fc.array(fc.integer({ min: 1, max: Math.max(1, length - 1) }), { maxLength: 40 }), (cuts) => {
          check(fixture, outcomeOf(splitAt(fixture.sse, cuts)));
        }),
        { seed: 4242, numRuns: length > 50_000 ? 5 : 15 },
      );
    });
  });
});
