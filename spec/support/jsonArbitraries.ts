import fc from 'fast-check';
import { toText } from './jsonText';

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
