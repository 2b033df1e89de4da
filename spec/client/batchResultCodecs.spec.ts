import { isRight } from 'fp-ts/Either';
import { MessageBatchIndividualResponse } from 'rx-anthropic';
import { codecsUnder, PASS_THROUGH } from '../support/codecsUnder';

// decodeBatchResultLine returns a results line that `MessageBatchIndividualResponse.is` accepts as
// it is, without running `validate`. That is right only while `is` and `validate` agree and
// `validate` returns the very object it was given: while no codec under it transforms its input.


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
    const codecs = codecsUnder(MessageBatchIndividualResponse, 'MessageBatchIndividualResponse');
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
