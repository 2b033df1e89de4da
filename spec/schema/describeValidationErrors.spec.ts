import * as t from 'io-ts';
import { isLeft } from 'fp-ts/Either';
import { describeValidationErrors, describeValue } from '../../lib/schema/describeValidationErrors';
import { Message, RawMessageStreamEvent, ToolResultBlockParam } from '../../lib/schema';

function failure(codec: t.Mixed, value: unknown) {
  const result = codec.decode(value);
  if (!isLeft(result)) throw new Error('expected a failure');
  return describeValidationErrors(result.left);
}

describe('describeValidationErrors', () => {
  it('gives the dotted path through arrays, unions and intersections', () => {
    const message = {
      id: 'msg',
      type: 'message',
      role: 'assistant',
      model: 'm',
      stop_reason: null,
      stop_sequence: null,
      usage: { input_tokens: 1, output_tokens: 1 },
      content: [{ type: 'text', text: 'a' }, { type: 'text', text: 'b', citations: [{ type: 'web_search_result_location', cited_text: 'x', url: 9 }] }],
    };
    expect(failure(Message, message)).toEqual({
      path: 'content.1.citations.0.url',
      expected: 'string',
      actual: 9,
      reason: 'expected string, got 9 (a number)',
    });
  });

  it('prefers the deepest error of a union', () => {
    const result = failure(ToolResultBlockParam, { type: 'tool_result', tool_use_id: 't', content: [{ type: 'text', text: 1 }] });
    expect(result).toMatchObject({ path: 'content.0.text', expected: 'string' });
  });

  it('names the union when no member got further', () => {
    const result = failure(ToolResultBlockParam, { type: 'tool_result', tool_use_id: 't', content: 5 });
    expect(result).toMatchObject({ path: 'content', expected: 'ToolResultContent', reason: 'expected ToolResultContent, got 5 (a number)' });
  });

  it('uses the message of an open union that got no object', () => {
    const result = failure(RawMessageStreamEvent, { type: 'content_block_start', index: 0, content_block: 'text' });
    expect(result).toMatchObject({ path: 'content_block', reason: 'expected ContentBlock (an object with a string "type"), got "text" (a string)' });
  });

  it('gives an empty path for the root', () => {
    expect(failure(t.string, 1)).toMatchObject({ path: '', expected: 'string' });
  });
});

describe('describeValue', () => {
  it.each([
    [undefined, 'nothing (the field is missing)'],
    [null, 'null'],
    ['x', '"x" (a string)'],
    ['y'.repeat(50), `"${'y'.repeat(40)}"… (a string)`],
    [3, '3 (a number)'],
    [false, 'false (a boolean)'],
    [[1], 'an array of 1 item'],
    [[], 'an array of 0 items'],
    [{}, 'an empty object'],
    [{ a: 1, b: 2 }, 'an object with keys a, b'],
    [{ a: 1, b: 2, c: 3, d: 4, e: 5, f: 6 }, 'an object with keys a, b, c, d, e, …'],
  ])('describes %p as %s', (value, description) => {
    expect(describeValue(value)).toBe(description);
  });
});
