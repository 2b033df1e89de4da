import { isDeepStrictEqual } from 'node:util';

import fc from 'fast-check';
import * as t from 'io-ts';
import { from, lastValueFrom, toArray } from 'rxjs';

import { finalOutput, outputFormat, partialOutput, type RawMessageStreamEvent } from 'rx-anthropic';

import { blockStop, messageDelta, messageStart, messageStop, textDelta, textStart } from '../operators/events';

/**
 * Property tests of `partialOutput` and `finalOutput` on random codecs: for a random value of a
 * random codec, streamed as `JSON.stringify` text cut at random places, every partial value is a
 * prefix of the final one, finished parts keep their identity from one value to the next, no
 * value changes after it is emitted, the last value is the whole output, and the final output
 * equals the codec's decode of the JSON.
 */
const RUNS = { seed: 20251113, numRuns: 200 } as const;

/** The shape of a random codec, built first as data so that fast-check can shrink it. */
type Shape =
  | { kind: 'string' | 'number' | 'int' | 'boolean' | 'null' }
  | { kind: 'literal'; value: string }
  | { kind: 'keyof'; keys: string[] }
  | { kind: 'object'; fields: Array<{ key: string; shape: Shape; optional: boolean }> }
  | { kind: 'array'; item: Shape }
  | { kind: 'nullable'; inner: Shape };

// Keys that are not array indexes, so that an object's keys keep the order they were written in.
const key = fc.string({ minLength: 1, maxLength: 6 }).map((k) => `k${k}`);

const { shape, object } = fc.letrec<{ shape: Shape; leaf: Shape; object: Shape }>((tie) => ({
  leaf: fc.oneof(
    fc.constantFrom<Shape>({ kind: 'string' }, { kind: 'number' }, { kind: 'int' }, { kind: 'boolean' }, { kind: 'null' }),
    fc.string({ maxLength: 8 }).map((value): Shape => ({ kind: 'literal', value })),
    fc.uniqueArray(fc.string({ minLength: 1, maxLength: 6 }), { minLength: 1, maxLength: 4 }).map((keys): Shape => ({ kind: 'keyof', keys })),
  ),
  object: fc
    .uniqueArray(fc.record({ key, shape: tie('shape'), optional: fc.boolean() }), { selector: (field) => field.key, maxLength: 5 })
    .map((fields): Shape => ({ kind: 'object', fields })),
  shape: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    tie('leaf'),
    tie('object'),
    tie('shape').map((item): Shape => ({ kind: 'array', item })),
    tie('shape').map((inner): Shape => ({ kind: 'nullable', inner })),
  ),
}));

function codecOf(s: Shape): t.Mixed {
  switch (s.kind) {
    case 'string':
      return t.string;
    case 'number':
      return t.number;
    case 'int':
      return t.Int;
    case 'boolean':
      return t.boolean;
    case 'null':
      return t.null;
    case 'literal':
      return t.literal(s.value);
    case 'keyof':
      return t.keyof(Object.fromEntries(s.keys.map((k) => [k, null])));
    case 'object': {
      const required = s.fields.filter((f) => !f.optional);
      const optional = s.fields.filter((f) => f.optional);
      const props = (fields: typeof s.fields) => Object.fromEntries(fields.map((f) => [f.key, codecOf(f.shape)]));
      return optional.length === 0 ? t.type(props(required)) : t.intersection([t.type(props(required)), t.partial(props(optional))]);
    }
    case 'array':
      return t.array(codecOf(s.item));
    case 'nullable':
      return t.union([codecOf(s.inner), t.null]);
  }
}

function valueOf(s: Shape): fc.Arbitrary<unknown> {
  switch (s.kind) {
    case 'string':
      return fc.string({ unit: 'binary', maxLength: 20 });
    case 'number':
      return fc.double({ noNaN: true, noDefaultInfinity: true });
    case 'int':
      return fc.integer();
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'literal':
      return fc.constant(s.value);
    case 'keyof':
      return fc.constantFrom(...s.keys);
    case 'object': {
      const entries = s.fields.map((f) => [f.key, valueOf(f.shape)] as const);
      return fc.record(Object.fromEntries(entries), { requiredKeys: s.fields.filter((f) => !f.optional).map((f) => f.key) });
    }
    case 'array':
      return fc.array(valueOf(s.item), { maxLength: 5 });
    case 'nullable':
      return fc.oneof(valueOf(s.inner), fc.constant(null));
  }
}

/** Where to cut a text of `length` characters: at random places, or every `size` characters (1 included). */
const cutsOf = (length: number): fc.Arbitrary<number[]> =>
  fc.oneof(
    fc.uniqueArray(fc.integer({ min: 1, max: Math.max(1, length - 1) }), { maxLength: 60 }),
    fc.integer({ min: 1, max: 9 }).map((size) => Array.from({ length: Math.floor(length / size) }, (_, i) => (i + 1) * size)),
  );

/** A codec (an object at the top, most often, as outputs are), a value of it, its JSON text and where the text is cut into deltas. */
const streamed = fc.oneof({ arbitrary: object, weight: 3 }, { arbitrary: shape, weight: 1 }).chain((s) =>
  valueOf(s).chain((value) => {
    const text = JSON.stringify(value);
    return cutsOf(text.length).map((cuts) => ({ shape: s, value, text, cuts }));
  }),
);

function deltasOf(text: string, cuts: readonly number[]): string[] {
  const points = [0, ...[...cuts].filter((c) => c < text.length).sort((a, b) => a - b), text.length];
  return points.slice(1).map((end, i) => text.slice(points[i], end)).filter((piece) => piece !== '');
}

function eventsOf(deltas: readonly string[]): RawMessageStreamEvent[] {
  return [messageStart(), textStart(0), ...deltas.map((d) => textDelta(0, d)), blockStop(0), messageDelta(), messageStop()];
}

/** Whether `partial` is what the output can look like before it is complete (see DeepPartial). */
function isPrefixOf(partial: unknown, final: unknown): boolean {
  if (typeof final === 'string') return typeof partial === 'string' && final.startsWith(partial);
  if (typeof final === 'number') return typeof partial === 'number' && isNumberPrefixOf(partial, final);
  if (final === null || typeof final === 'boolean') return partial === final;
  if (Array.isArray(final)) {
    return (
      Array.isArray(partial) &&
      partial.length <= final.length &&
      partial.every((element, i) => (i < partial.length - 1 ? isDeepStrictEqual(element, final[i]) : isPrefixOf(element, final[i])))
    );
  }
  if (typeof partial !== 'object' || partial === null || Array.isArray(partial)) return false;
  const finalEntries = final as Record<string, unknown>;
  const keys = Object.keys(partial);
  return keys.every((k, i) => {
    if (!Object.prototype.hasOwnProperty.call(finalEntries, k)) return false;
    const value = (partial as Record<string, unknown>)[k];
    return i < keys.length - 1 ? isDeepStrictEqual(value, finalEntries[k]) : isPrefixOf(value, finalEntries[k]);
  });
}

/** A partial number is the value of a prefix of the final number's text that reads as a number. */
function isNumberPrefixOf(partial: number, final: number): boolean {
  const text = JSON.stringify(final);
  for (let length = 1; length <= text.length; length++) {
    const prefix = text.slice(0, length);
    if (/^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?$/.test(prefix) && Object.is(Number(prefix), partial)) return true;
  }
  return false;
}

/** Every finished part of `before` (all but the entry being written, at any depth) is the same object in `after`. */
function keepsFinishedParts(before: unknown, after: unknown): boolean {
  if (typeof before !== 'object' || before === null || typeof after !== 'object' || after === null) return true;
  const keys = Array.isArray(before) ? before.map((_, i) => String(i)) : Object.keys(before);
  return keys.every((k, i) => {
    const b = (before as Record<string, unknown>)[k];
    const a = (after as Record<string, unknown>)[k];
    if (i < keys.length - 1) return typeof b !== 'object' || b === null || a === b;
    return keepsFinishedParts(b, a);
  });
}

describe('structured output on random codecs (property)', () => {
  it('any chunking: each partial is a prefix of the final value, finished parts are shared, the last is the whole output', async () => {
    await fc.assert(
      fc.asyncProperty(streamed, async ({ shape: s, text, cuts }) => {
        const codec = codecOf(s);
        const format = outputFormat(codec);
        const final = JSON.parse(text) as unknown;
        const partials = await lastValueFrom(from(eventsOf(deltasOf(text, cuts))).pipe(partialOutput(format), toArray()));
        const asEmitted = partials.map((p) => JSON.stringify(p));
        expect(partials.length).toBeGreaterThan(0);
        partials.forEach((partial) => expect(isPrefixOf(partial, final)).toBe(true));
        for (let i = 1; i < partials.length; i++) expect(keepsFinishedParts(partials[i - 1], partials[i])).toBe(true);
        expect(partials.map((p) => JSON.stringify(p))).toEqual(asEmitted);
        expect(partials[partials.length - 1]).toEqual(final);
      }),
      RUNS,
    );
  });

  it('any chunking: the final output equals the codec\'s decode of the JSON', async () => {
    await fc.assert(
      fc.asyncProperty(streamed, async ({ shape: s, text, cuts }) => {
        const codec = codecOf(s);
        const decoded = codec.decode(JSON.parse(text));
        if (decoded._tag !== 'Right') throw new Error(`the generated value does not decode: ${text}`);
        const output = await lastValueFrom(from(eventsOf(deltasOf(text, cuts))).pipe(finalOutput(outputFormat(codec))));
        expect(output).toEqual(decoded.right);
      }),
      RUNS,
    );
  });
});
