import fc from 'fast-check';

import { JsonPrefixValidator } from '../../lib/accumulate/partialJson/JsonPrefixValidator';
import { PartialJsonParser } from '../../lib/accumulate/PartialJsonParser';
import { jsonTexts } from '../support/jsonArbitraries';
import { oneCharacterEdits, split } from '../support/jsonText';

const RUNS = { seed: 20250601, numRuns: 300 } as const;

/** Characters that JSON must escape, or that a corruption can turn into structure. */
const trickyUnit = fc.constantFrom(
  ...['a', ' ', '"', '\\', '/', '{', '}', '[', ']', ',', ':', '\n', '\u0001', 'é', '🦅', '\ud83e', '\udd85', 'u', '0', '-', 'e'],
);

const jsonText = jsonTexts(trickyUnit);

/** A character a corruption writes: mostly ones that mean something to JSON, sometimes any. */
const corruptChar = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...'{}[],:"\\ \n\t0123456789-+.eEtrufalsn\u0000\u001f\u00a0x\'') },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }) },
);

/** One edit of a text, at a point given as a fraction of its length. */
type Corruption =
  | { readonly kind: 'insert' | 'replace'; readonly at: number; readonly char: string }
  | { readonly kind: 'delete' | 'truncate'; readonly at: number }
  | { readonly kind: 'append'; readonly garbage: string };

const corruption: fc.Arbitrary<Corruption> = fc.oneof(
  fc.record({ kind: fc.constantFrom('insert' as const, 'replace' as const), at: fc.double({ min: 0, max: 1, noNaN: true }), char: corruptChar }),
  fc.record({ kind: fc.constantFrom('delete' as const, 'truncate' as const), at: fc.double({ min: 0, max: 1, noNaN: true }) }),
  fc.record({ kind: fc.constant('append' as const), garbage: fc.string({ unit: corruptChar, minLength: 1, maxLength: 6 }) }),
);

function corrupt(text: string, edit: Corruption): string {
  if (edit.kind === 'append') return text + edit.garbage;
  const at = Math.min(text.length, Math.floor(edit.at * (text.length + 1)));
  switch (edit.kind) {
    case 'insert':
      return text.slice(0, at) + edit.char + text.slice(at);
    case 'replace':
      return text.slice(0, at) + edit.char + text.slice(at + 1);
    case 'delete':
      return text.slice(0, at) + text.slice(at + 1);
    case 'truncate':
      return text.slice(0, at);
  }
}

const chunkSizes = fc.array(fc.integer({ min: 0, max: 12 }), { minLength: 1, maxLength: 16 }).filter((sizes) => sizes.some((size) => size > 0));

/**
 * Throws unless, after every chunk, the validator says "still a prefix" exactly when the parser
 * has no error, and fails at the same position; returns the index of the first failing chunk.
 */
function expectSameVerdicts(chunks: readonly string[]): number {
  const validator = new JsonPrefixValidator();
  const parser = new PartialJsonParser();
  let firstFailing = -1;
  chunks.forEach((chunk, index) => {
    const valid = validator.push(chunk);
    parser.push(chunk);
    const parserValid = parser.error === undefined;
    if (valid !== parserValid || validator.valid !== valid || validator.position !== (parser.error?.position ?? -1)) {
      throw new Error(
        `after chunk ${index} of ${JSON.stringify(chunks)}: validator ${valid ? 'accepts' : `rejects at ${validator.position}`}, ` +
          `parser ${parserValid ? 'accepts' : `rejects at ${parser.error?.position}: ${parser.error?.message}`}`,
      );
    }
    if (!valid && firstFailing < 0) firstFailing = index;
  });
  return firstFailing;
}

/** The index of the first chunk after which the parser has an error, or -1. */
function firstParserFailure(chunks: readonly string[]): number {
  const parser = new PartialJsonParser();
  return chunks.findIndex((chunk) => {
    parser.push(chunk);
    return parser.error !== undefined;
  });
}

describe('JsonPrefixValidator properties', () => {
  it('never rejects any prefix of a valid JSON text, however it is split', () => {
    fc.assert(
      fc.property(jsonText, chunkSizes, (text, sizes) => {
        const validator = new JsonPrefixValidator();
        for (const chunk of split(text, sizes)) {
          if (!validator.push(chunk)) throw new Error(`rejected ${JSON.stringify(text)} at ${validator.position}`);
        }
      }),
      RUNS,
    );
  });

  it('gives the parser’s verdict after every chunk, and fails at the same chunk and position, for corrupted texts', () => {
    fc.assert(
      fc.property(jsonText, fc.array(corruption, { minLength: 1, maxLength: 3 }), chunkSizes, (text, edits, sizes) => {
        const corrupted = edits.reduce(corrupt, text);
        const chunks = split(corrupted, sizes);
        const firstFailing = expectSameVerdicts(chunks);
        expect(firstFailing).toBe(firstParserFailure(chunks));
      }),
      RUNS,
    );
  });

  it('gives the parser’s verdict for every one-character edit of a short text', () => {
    const edits = [...'{}[],:"\\ 0-1.eE+tfnlux\u0001'];
    const shortText = jsonText.filter((text) => text.length <= 40);
    fc.assert(
      fc.property(shortText, chunkSizes, (text, sizes) => {
        for (const variant of oneCharacterEdits(text, edits)) expectSameVerdicts(split(variant, sizes));
      }),
      { ...RUNS, numRuns: 60 },
    );
  });

  it('gives the parser’s verdict for every ASCII character (and some others) inserted or written over anywhere in a text of every context', () => {
    // Keys, strings, each escape, numbers in every state, literals, nesting, whitespace, the top level after the value.
    const text = ' {"k\\"\\u00e9": [-0.5e+3, 12, 1E2, true, false, null, "s\\/\\n"], "o": {"": []}} ';
    const units = [...Array.from({ length: 0x80 }, (_, code) => String.fromCharCode(code)), '\u00a0', '\u2028', '\ud800', '\ufeff', 'é'];
    for (let i = 0; i <= text.length; i++) {
      const before = text.slice(0, i);
      for (const unit of units) {
        for (const variant of [before + unit + text.slice(i), before + unit + text.slice(i + 1)]) {
          expectSameVerdicts([variant]);
          expectSameVerdicts([variant.slice(0, i), variant.slice(i, i + 1), variant.slice(i + 1)]);
        }
      }
    }
  });

  it('accepts a whole text exactly when JSON.parse does, or when the parser sees it unfinished', () => {
    fc.assert(
      fc.property(jsonText, fc.array(corruption, { maxLength: 2 }), (text, edits) => {
        const corrupted = edits.reduce(corrupt, text);
        const validator = new JsonPrefixValidator();
        const valid = validator.push(corrupted);
        let parses = true;
        try {
          JSON.parse(corrupted);
        } catch {
          parses = false;
        }
        // Valid JSON is always a prefix of itself; an invalid text is one only when it is unfinished.
        if (parses) expect(valid).toBe(true);
        if (!parses && valid) {
          const parser = new PartialJsonParser();
          parser.push(corrupted);
          expect(() => parser.finish()).toThrow(/Unexpected end of JSON input/);
        }
      }),
      RUNS,
    );
  });
});
