import { isRight } from 'fp-ts/Either';
import type * as t from 'io-ts';
import { MessageBatchIndividualResponse } from 'rx-anthropic';

// decodeBatchResultLine returns a results line that `MessageBatchIndividualResponse.is` accepts as
// it is, without running `validate`. That is right only while `is` and `validate` agree and
// `validate` returns the very object it was given: while no codec under it transforms its input.

/** io-ts codecs whose `validate` returns its input itself whenever its parts do. */
const PASS_THROUGH = new Set([
  'InterfaceType',
  'PartialType',
  'IntersectionType',
  'UnionType',
  'LiteralType',
  'KeyofType',
  'StringType',
  'NumberType',
  'BooleanType',
  'NullType',
  'UndefinedType',
  'UnknownType',
  'UnknownRecordType',
  'AnyDictionaryType',
  'AnyArrayType',
  'ArrayType',
  'ReadonlyArrayType',
  'ReadonlyType',
  'DictionaryType',
  'RefinementType',
  'OpenUnionType',
  'OpenEnumType',
]);

type AnyCodec = t.Mixed & { _tag?: string; props?: Record<string, t.Mixed>; types?: t.Mixed[]; type?: t.Mixed; members?: Record<string, t.Mixed>; domain?: t.Mixed; codomain?: t.Mixed };

function codecsUnder(root: t.Mixed): Array<{ path: string; codec: AnyCodec }> {
  const found: Array<{ path: string; codec: AnyCodec }> = [];
  const seen = new Set<unknown>();
  const visit = (codec: AnyCodec, path: string): void => {
    if (seen.has(codec)) return;
    seen.add(codec);
    found.push({ path, codec });
    for (const [key, child] of Object.entries(codec.props ?? {})) visit(child as AnyCodec, `${path}.${key}`);
    for (const [key, child] of Object.entries(codec.members ?? {})) visit(child as AnyCodec, `${path}<${key}>`);
    (codec.types ?? []).forEach((child, i) => visit(child as AnyCodec, `${path}|${i}`));
    if (codec.type && typeof codec.type === 'object') visit(codec.type as AnyCodec, `${path}[]`);
    if (codec.domain) visit(codec.domain as AnyCodec, `${path}{key}`);
    if (codec.codomain) visit(codec.codomain as AnyCodec, `${path}{value}`);
  };
  visit(root as AnyCodec, 'MessageBatchIndividualResponse');
  return found;
}

const lines: unknown[] = [
  {
    custom_id: 'a',
    result: {
      type: 'succeeded',
      message: {
        id: 'msg_1',
        type: 'message',
        role: 'assistant',
        model: 'claude-sonnet-4-6',
        content: [
          { type: 'text', text: 'Hi', citations: null },
          { type: 'tool_use', id: 'toolu_1', name: 'lookup', input: { q: 'x' } },
        ],
        stop_reason: 'tool_use',
        stop_sequence: null,
        usage: { input_tokens: 1, output_tokens: 1, cache_creation_input_tokens: 0, cache_read_input_tokens: null, service_tier: 'batch' },
      },
    },
  },
  { custom_id: 'b', result: { type: 'errored', error: { type: 'error', error: { type: 'invalid_request_error', message: 'bad' }, request_id: 'req_1' } } },
  { custom_id: 'c', result: { type: 'canceled' } },
  { custom_id: 'd', result: { type: 'expired' } },
];

/** The paths of every leaf of `value`. */
function leaves(value: unknown, path: Array<string | number> = []): Array<Array<string | number>> {
  if (typeof value !== 'object' || value === null) return [path];
  return Object.entries(value).flatMap(([key, child]) => leaves(child, [...path, Array.isArray(value) ? Number(key) : key]));
}

describe('the batch result codecs', () => {
  it('are all of kinds whose validate returns its input unchanged', () => {
    const codecs = codecsUnder(MessageBatchIndividualResponse);
    expect(codecs.length).toBeGreaterThan(30);
    const others = codecs.filter(({ codec }) => !PASS_THROUGH.has(codec._tag ?? '')).map(({ path, codec }) => `${path}: ${codec._tag ?? codec.name}`);
    expect(others).toEqual([]);
  });

  it('accept with `is` what `validate` accepts, which returns each line as it is', () => {
    for (const line of lines) {
      const validated = MessageBatchIndividualResponse.validate(line, []);
      expect(isRight(validated) && validated.right).toBe(line);
      expect(MessageBatchIndividualResponse.is(line)).toBe(true);
    }
  });

  it('refuse with `is` what `validate` refuses: any leaf of each kind of result replaced by a value of another type', () => {
    let checked = 0;
    for (const line of lines) {
      for (const path of leaves(line)) {
        for (const replacement of [42, 'x', true, null, {}, []]) {
          const copy = structuredClone(line) as Record<string | number, unknown>;
          let at: Record<string | number, unknown> = copy;
          for (const key of path.slice(0, -1)) at = at[key] as Record<string | number, unknown>;
          at[path[path.length - 1]!] = replacement;
          expect([path.join('.'), replacement, MessageBatchIndividualResponse.is(copy)]).toEqual([path.join('.'), replacement, isRight(MessageBatchIndividualResponse.validate(copy, []))]);
          checked += 1;
        }
      }
    }
    expect(checked).toBeGreaterThan(100);
  });
});
