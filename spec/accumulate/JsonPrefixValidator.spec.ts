import { JsonPrefixValidator } from '../../lib/accumulate/partialJson/JsonPrefixValidator';
import { PartialJsonParser } from '../../lib/accumulate/PartialJsonParser';

/** The validator's verdict after each chunk, and where it failed. */
function verdicts(chunks: readonly string[]): { valid: boolean[]; position: number } {
  const validator = new JsonPrefixValidator();
  const valid = chunks.map((chunk) => validator.push(chunk));
  return { valid, position: validator.position };
}

/** Where the parser fails on the whole text (-1 when it does not). */
function parserPosition(text: string): number {
  const parser = new PartialJsonParser();
  parser.push(text);
  return parser.error?.position ?? -1;
}

describe('JsonPrefixValidator', () => {
  it.each([
    ['nothing', ['']],
    ['only whitespace', [' \n\t\r ']],
    ['an object cut inside a key', ['{"ci']],
    ['an object cut after a colon', ['{"city":', ' ']],
    ['a literal cut in the middle', ['{"a": tr']],
    ['a number that is not whole yet', ['[-', '1.', '5e', '+']],
    ['an escape cut after the backslash', ['"a\\']],
    ['a \\u escape cut after two hex digits', ['"\\u00']],
    ['a complete value with whitespace after it', ['{"a": [1, 2, {"b": null}]}', '  \n']],
    ['a top-level number', ['12', '.5']],
    ['empty containers', ['[[], {}, ""]']],
    ['lone surrogates in a string', ['"\ud800 \udc00"']],
  ])('accepts %s', (_name, chunks) => {
    const { valid, position } = verdicts(chunks);
    expect(valid.every(Boolean)).toBe(true);
    expect(position).toBe(-1);
  });

  it.each([
    ['a second close after the value', ['{"a": 1}}'], 8],
    ['a literal that goes wrong in the next chunk', ['{"a": tru', 'x}'], 9],
    ['a value where a key belongs', ['{1: 2}'], 1],
    ['a missing colon', ['{"a" 1}'], 5],
    ['two values at the top level', ['1 2'], 2],
    ['a leading zero', ['[01]'], 2],
    ['a minus without digits', ['[-]'], 2],
    ['a dot without digits', ['[1.]'], 3],
    ['an exponent without digits', ['[1e+]'], 4],
    ['an unknown escape', ['"a\\x"'], 3],
    ['a non-hex digit in a \\u escape', ['"\\u12', 'g4"'], 5],
    ['a raw control character in a string', ['"a\nb"'], 2],
    ['a raw tab in a key', ['{"a\tb": 1}'], 3],
    ['a trailing comma in an array', ['[1, ]'], 4],
    ['a trailing comma in an object', ['{"a": 1, }'], 9],
    ['the wrong close', ['[1}'], 2],
    ['a close where a value belongs after a comma', ['[1,]'], 3],
    ['a close at the top level', [']'], 0],
    ['whitespace JSON does not know', ['\u00a0{}'], 0],
    ['a single-quoted string', ["{'a': 1}"], 1],
  ])('rejects %s, at the character where the parser does', (_name, chunks, at) => {
    const { valid, position } = verdicts(chunks);
    expect(valid.at(-1)).toBe(false);
    expect(valid.slice(0, -1).every(Boolean)).toBe(true);
    expect(position).toBe(at);
    expect(parserPosition(chunks.join(''))).toBe(at);
  });

  it('stays invalid once it has failed, whatever follows', () => {
    const validator = new JsonPrefixValidator();
    expect(validator.push('[1]]')).toBe(false);
    expect(validator.push('')).toBe(false);
    expect(validator.push(' ')).toBe(false);
    expect(validator.valid).toBe(false);
    expect(validator.position).toBe(3);
  });

  it('follows nesting deeper than its first stack, and the kind of each container', () => {
    const depth = 1000;
    const open = '[{"a":'.repeat(depth);
    const close = '}]'.repeat(depth);
    const validator = new JsonPrefixValidator();
    expect(validator.push(open)).toBe(true);
    expect(validator.push('null')).toBe(true);
    expect(validator.push(close)).toBe(true);
    expect(validator.push(']')).toBe(false);
    expect(validator.position).toBe(open.length + 4 + close.length);

    const wrong = new JsonPrefixValidator();
    expect(wrong.push(`${open}1${close.slice(0, 401)}`)).toBe(true);
    // The container open here is an array: "}" does not close it.
    expect(wrong.push('}')).toBe(false);
  });

  it('reads a text cut at every point the same as the text whole', () => {
    const text = '{"s": "é\\u00e9\\n🦅", "n": -1.5e-3, "l": [true, false, null], "o": {}}';
    for (let cut = 0; cut <= text.length; cut++) {
      const { valid } = verdicts([text.slice(0, cut), text.slice(cut)]);
      expect(valid).toEqual([true, true]);
    }
    const broken = text.replace('true', 'ture');
    const at = parserPosition(broken);
    for (let cut = 0; cut <= broken.length; cut++) {
      const { valid, position } = verdicts([broken.slice(0, cut), broken.slice(cut)]);
      expect(valid).toEqual([cut <= at, false]);
      expect(position).toBe(at);
    }
  });
});
