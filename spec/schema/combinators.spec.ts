import * as t from 'io-ts';
import { isLeft, isRight } from 'fp-ts/Either';
import { nullable, openEnum, struct } from '../../lib/schema/combinators';
import { describeValidationErrors } from '../../lib/schema/describeValidationErrors';

describe('nullable', () => {
  it('accepts the value or null and names itself for errors', () => {
    const codec = nullable(t.number);
    expect(isRight(codec.decode(1))).toBe(true);
    expect(isRight(codec.decode(null))).toBe(true);
    const result = codec.decode('1');
    expect(codec.name).toBe('number | null');
    if (isLeft(result)) expect(describeValidationErrors(result.left).reason).toBe('expected number | null, got "1" (a string)');
  });
});

describe('openEnum', () => {
  it('accepts any string and keeps the known values', () => {
    const StopReason = openEnum(['end_turn', 'max_tokens']);
    type StopReason = t.TypeOf<typeof StopReason>;
    const known: StopReason = 'end_turn';
    const later: StopReason = 'something_new';
    expect(StopReason.decode(known)).toEqual({ _tag: 'Right', right: 'end_turn' });
    expect(StopReason.decode(later)).toEqual({ _tag: 'Right', right: 'something_new' });
    expect(isLeft(StopReason.decode(3))).toBe(true);
    expect(StopReason.known).toEqual(['end_turn', 'max_tokens']);
  });
});

describe('struct', () => {
  const Point = struct('Point', { x: t.number }, { y: nullable(t.number) });

  it('requires the required fields only, and keeps unknown ones in the same object', () => {
    const point = { x: 1, z: 'kept' };
    const result = Point.decode(point);
    expect(isRight(result) && result.right).toBe(point);
    expect(isLeft(Point.decode({ y: 1 }))).toBe(true);
  });

  it('checks optional fields when they are present', () => {
    const result = Point.decode({ x: 1, y: 'no' });
    expect(isLeft(result) && describeValidationErrors(result.left)).toMatchObject({ path: 'y', expected: 'number | null' });
  });

  it('is a plain t.type without optional fields', () => {
    expect(struct('Only', { a: t.string })).toBeInstanceOf(t.InterfaceType);
  });
});
