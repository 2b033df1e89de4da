import fc from 'fast-check';
import { NumberText, toText } from './jsonText';

/**
 * Random JSON for the partial-JSON property specs: values of every kind (some with strings drawn
 * from `stringUnit`, the characters a spec wants to stress), written with random whitespace.
 *
 * ## Example
 * ```ts
 * const texts = jsonTexts(fc.constantFrom('a', '"', '\\'));
 * fc.assert(fc.property(texts, (text) => expect(JSON.parse(text)).toBeDefined()));
 * ```
 */
export function jsonValues(stringUnit: fc.Arbitrary<string>): fc.Arbitrary<unknown> {
  return fc.oneof(
    fc.jsonValue({ maxDepth: 4 }),
    fc.jsonValue({ maxDepth: 4, stringUnit: 'binary' }),
    fc.jsonValue({ maxDepth: 3, stringUnit }),
    fc.dictionary(fc.string({ unit: stringUnit }), fc.jsonValue({ maxDepth: 2 })),
  );
}

/** The whitespace put around tokens, taken in turn ({@link toText}): none, or runs of JSON's four whitespace characters. */
export const whitespaceRuns: fc.Arbitrary<readonly string[]> = fc.oneof(
  fc.constant(['']),
  fc.array(fc.constantFrom('', ' ', '\n', '\t', '\r\n', '  '), { minLength: 1, maxLength: 16 }),
);

/** JSON texts of {@link jsonValues} with {@link whitespaceRuns}. */
export function jsonTexts(stringUnit: fc.Arbitrary<string>): fc.Arbitrary<string> {
  return fc.tuple(jsonValues(stringUnit), whitespaceRuns).map(([value, whitespace]) => toText(value, whitespace));
}

/**
 * Number texts of every form the grammar allows: signs, `0`, fractions, `e`/`E` with and without a sign.
 *
 * ## Example
 * ```ts
 * fc.assert(fc.property(numberTexts, ({ text }) => expect(typeof JSON.parse(text)).toBe('number')));
 * ```
 */
export const numberTexts: fc.Arbitrary<NumberText> = fc
  .stringMatching(/^-?(0|[1-9][0-9]{0,5})(\.[0-9]{1,5})?([eE][+-]?[0-9]{1,3})?$/)
  .map((text) => new NumberText(text));

/**
 * Values made mostly of numbers written as {@link NumberText}s, alone or in arrays and objects
 * nested a few levels, with a few strings and literals between them, for {@link toText}.
 *
 * ## Example
 * ```ts
 * const texts = fc.tuple(numberHeavyValues, whitespaceRuns).map(([value, whitespace]) => toText(value, whitespace));
 * ```
 */
export const numberHeavyValues: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', maxDepth: 3 },
    { arbitrary: numberTexts, weight: 4 },
    { arbitrary: fc.array(tie('value'), { maxLength: 5 }), weight: 2 },
    { arbitrary: fc.dictionary(fc.string({ maxLength: 3 }), tie('value'), { maxKeys: 5 }), weight: 2 },
    fc.constantFrom(true, false, null),
    fc.string({ maxLength: 4 }),
  ),
})).value;

/**
 * A value and its JSON text with {@link whitespaceRuns}, for specs that compare what is parsed with what was written.
 *
 * ## Example
 * ```ts
 * fc.assert(fc.property(jsonDocuments(numberHeavyValues), ({ text }) => expect(() => JSON.parse(text)).not.toThrow()));
 * ```
 */
export function jsonDocuments(values: fc.Arbitrary<unknown>): fc.Arbitrary<{ readonly value: unknown; readonly text: string }> {
  return fc.tuple(values, whitespaceRuns).map(([value, whitespace]) => ({ value, text: toText(value, whitespace) }));
}
