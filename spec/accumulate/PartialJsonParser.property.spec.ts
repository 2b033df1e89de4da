import { isDeepStrictEqual } from 'node:util';

import fc from 'fast-check';

import { PartialJsonParser, PartialJsonSyntaxError } from '../../lib/accumulate/PartialJsonParser';
import { jsonDocuments, jsonTexts, jsonValues, numberHeavyValues } from '../support/jsonArbitraries';
import { NumberText, oneCharacterEdits, split } from '../support/jsonText';

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

/**
 * Throws unless `after`, a later snapshot than `before`, still shows everything `before` showed:
 * every key and element is still there, a string has only grown, a literal is the same, and a
 * number is read at least as far along its text in `written` (the value the text was written
 * from: 21, then 21.5, then 0.0215 for `21.5e-3`; never 21 then 2, never 21 then gone).
 */
function expectStillShown(before: unknown, after: unknown, written: unknown, path = '$'): void {
  const fail = (what: string): never => {
    throw new Error(`${path}: ${JSON.stringify(before)} became ${JSON.stringify(after)}: ${what}`);
  };
  if (written instanceof NumberText || typeof written === 'number') {
    const text = written instanceof NumberText ? written.text : JSON.stringify(written);
    if (after === undefined) {
      if (before !== undefined) fail('a number disappeared');
      return;
    }
    if (typeof after !== 'number') return fail('not a number');
    const reachedAfter = Math.max(...shownLengths(after, text));
    if (reachedAfter < 0) fail(`not the value of a whole prefix of ${text}`);
    if (before === undefined) return;
    if (typeof before !== 'number' || Math.min(...shownLengths(before, text)) > reachedAfter) fail(`went back along ${text}`);
    return;
  }
  if (after === undefined) {
    if (before !== undefined) fail('a value disappeared');
    return;
  }
  if (Array.isArray(after)) {
    if (before !== undefined && (!Array.isArray(before) || after.length < before.length)) fail('an element disappeared');
    const earlier = before as readonly unknown[] | undefined;
    after.forEach((element, i) => expectStillShown(earlier?.[i], element, (written as unknown[])[i], `${path}[${i}]`));
  } else if (typeof after === 'object' && after !== null) {
    if (before !== undefined && (typeof before !== 'object' || before === null || Array.isArray(before))) fail('was not an object');
    const entry = (object: object | undefined, key: string): unknown =>
      object === undefined ? undefined : Object.getOwnPropertyDescriptor(object, key)?.value;
    const earlier = before as object | undefined;
    for (const key of Object.keys(earlier ?? {})) {
      if (!Object.prototype.hasOwnProperty.call(after, key)) fail(`the key ${JSON.stringify(key)} disappeared`);
    }
    for (const key of Object.keys(after)) {
      expectStillShown(entry(earlier, key), entry(after, key), entry(written as object, key), `${path}.${key}`);
    }
  } else if (typeof after === 'string') {
    if (before !== undefined && (typeof before !== 'string' || !after.startsWith(before))) fail('a string that did not grow');
  } else if (before !== undefined && after !== before) {
    fail('a literal changed');
  }
}

/** The lengths of the prefixes of a number's `text` that are whole numbers of value `shown` (-1 alone if none). */
function shownLengths(shown: number, text: string): number[] {
  const lengths = [-1];
  for (let length = 1; length <= text.length; length++) {
    const prefix = text.slice(0, length);
    if (WHOLE_NUMBER.test(prefix) && Object.is(Number(prefix), shown)) lengths.push(length);
  }
  return lengths.length > 1 ? lengths.slice(1) : lengths;
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

  it('never takes back what it has shown: keys, elements, string and number prefixes (numbers in every form)', () => {
    const documents = jsonDocuments(fc.oneof(jsonValues(trickyUnit), numberHeavyValues));
    fc.assert(
      fc.property(documents, chunkSizes, ({ value, text }, sizes) => {
        const parser = new PartialJsonParser();
        let before: unknown;
        for (const chunk of split(text, sizes)) {
          parser.push(chunk);
          const after = parser.snapshot();
          expectStillShown(before, after, value);
          before = after;
        }
        expect(before).toEqual(JSON.parse(text));
        expect(parser.finish()).toEqual(JSON.parse(text));
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
