import { isDeepStrictEqual } from 'node:util';

import fc from 'fast-check';

import { PartialJsonParser, PartialJsonSyntaxError } from '../../lib/accumulate/PartialJsonParser';
import { jsonTexts } from '../support/jsonArbitraries';
import { oneCharacterEdits, split } from '../support/jsonText';

const RUNS = { seed: 20250514, numRuns: 200 } as const;

const WHOLE_NUMBER = /^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?$/;

/**
 * Whether `snapshot` can be what the parser shows of `final` before its text is complete:
 * strings are prefixes, numbers are the value of a whole-number prefix of the final number's
 * text, literals are equal, containers hold a subset of the final entries of which at most one
 * (the one being written) is itself partial.
 */
function isPartialOf(snapshot: unknown, final: unknown): boolean {
  return snapshot === undefined || isPartialValueOf(snapshot, final);
}

function isPartialValueOf(snapshot: unknown, final: unknown): boolean {
  if (typeof final === 'string') return typeof snapshot === 'string' && final.startsWith(snapshot);
  if (typeof final === 'number') return typeof snapshot === 'number' && isNumberPrefixOf(snapshot, final);
  if (final === null || typeof final === 'boolean') return snapshot === final;
  if (Array.isArray(final)) {
    return (
      Array.isArray(snapshot) &&
      snapshot.length <= final.length &&
      snapshot.every((element, i) =>
        i < snapshot.length - 1 ? isDeepStrictEqual(element, final[i]) : isPartialValueOf(element, final[i]),
      )
    );
  }
  if (typeof snapshot !== 'object' || snapshot === null || Array.isArray(snapshot)) return false;
  const finalEntries = final as Record<string, unknown>;
  let partialEntries = 0;
  for (const [key, value] of Object.entries(snapshot)) {
    if (!Object.prototype.hasOwnProperty.call(finalEntries, key)) return false;
    if (isDeepStrictEqual(value, finalEntries[key])) continue;
    if (++partialEntries > 1 || !isPartialValueOf(value, finalEntries[key])) return false;
  }
  return true;
}

/** The text of a number in the input is `JSON.stringify` of its final value (see `toText`). */
function isNumberPrefixOf(snapshot: number, final: number): boolean {
  const text = JSON.stringify(final);
  for (let length = 1; length <= text.length; length++) {
    const prefix = text.slice(0, length);
    if (WHOLE_NUMBER.test(prefix) && Object.is(Number(prefix), snapshot)) return true;
  }
  return false;
}

/** Strings full of what JSON must escape or could mistake for structure. */
const trickyUnit = fc.constantFrom(
  ...['a', ' ', '"', '\\', '/', '{', '}', '[', ']', ',', ':', '\n', '\u0001', 'é', '🦅', '\ud83e', '\udd85'],
);

const chunkSizes = fc.array(fc.integer({ min: 1, max: 12 }), { minLength: 1, maxLength: 16 });

const jsonText = jsonTexts(trickyUnit);

/** Throws unless `finish()` gives JSON.parse's value, or fails with our error where it fails. */
function expectFinishLikeJsonParse(text: string, sizes: readonly number[]): void {
  const parser = new PartialJsonParser();
  for (const chunk of split(text, sizes)) parser.push(chunk);
  const ours = outcome(() => parser.finish());
  const reference = outcome(() => JSON.parse(text) as unknown);
  const agree =
    'value' in ours
      ? 'value' in reference && isDeepStrictEqual(ours.value, reference.value)
      : 'error' in reference && ours.error instanceof PartialJsonSyntaxError;
  if (!agree) {
    const found = `finish() ${describeOutcome(ours)}, JSON.parse ${describeOutcome(reference)}`;
    throw new Error(`${JSON.stringify(text)}: ${found}`);
  }
}

function outcome(run: () => unknown): { value: unknown } | { error: unknown } {
  try {
    return { value: run() };
  } catch (error) {
    return { error };
  }
}

function describeOutcome(result: { value: unknown } | { error: unknown }): string {
  return 'value' in result ? `gives ${JSON.stringify(result.value)}` : `throws ${String(result.error)}`;
}

describe('PartialJsonParser properties', () => {
  it('finish() equals JSON.parse of the text, however it is split', () => {
    fc.assert(
      fc.property(jsonText, chunkSizes, (text, sizes) => {
        const parser = new PartialJsonParser();
        for (const chunk of split(text, sizes)) parser.push(chunk);
        expect(parser.finish()).toEqual(JSON.parse(text));
        expect(parser.raw).toBe(text);
      }),
      RUNS,
    );
  });

  it('shows after every push a partial value of the final one', () => {
    fc.assert(
      fc.property(jsonText, chunkSizes, (text, sizes) => {
        const final: unknown = JSON.parse(text);
        const parser = new PartialJsonParser();
        for (const chunk of split(text, sizes)) {
          parser.push(chunk);
          const snapshot = parser.snapshot();
          if (!isPartialOf(snapshot, final)) {
            throw new Error(`${JSON.stringify(snapshot)} is not a partial value of ${JSON.stringify(final)}`);
          }
        }
        expect(parser.snapshot()).toEqual(final);
      }),
      RUNS,
    );
  });

  it('shows the same snapshot for the same text, however it was split', () => {
    fc.assert(
      fc.property(jsonText, chunkSizes, (text, sizes) => {
        const parser = new PartialJsonParser();
        let received = '';
        for (const chunk of split(text, sizes)) {
          parser.push(chunk);
          received += chunk;
          const whole = new PartialJsonParser();
          whole.push(received);
          expect(parser.snapshot()).toEqual(whole.snapshot());
        }
      }),
      RUNS,
    );
  });

  it('accepts and rejects exactly what JSON.parse does, for every one-character edit of a text', () => {
    const edits = [...'{}[],:"\\ 0-1.eE+tfnlux'];
    const shortText = jsonText.filter((text) => text.length <= 60);
    fc.assert(
      fc.property(shortText, chunkSizes, (text, sizes) => {
        for (const variant of oneCharacterEdits(text, edits)) expectFinishLikeJsonParse(variant, sizes);
      }),
      { ...RUNS, numRuns: 100 },
    );
  });
});
