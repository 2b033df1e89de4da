import fc from 'fast-check';
import * as t from 'io-ts';
import { isLeft, isRight } from 'fp-ts/Either';
import { describeValidationErrors } from '../../lib/schema/describeValidationErrors';
import { openUnion } from '../../lib/schema/openUnion';

const Shape = openUnion('Shape', {
  circle: t.type({ type: t.literal('circle'), radius: t.number }, 'Circle'),
  square: t.type({ type: t.literal('square'), side: t.number }, 'Square'),
});
type Shape = t.TypeOf<typeof Shape>;

describe('openUnion', () => {
  it('validates a known variant with its own codec and returns the same object', () => {
    const circle = { type: 'circle', radius: 2, colour: 'red' };
    const result = Shape.decode(circle);
    expect(isRight(result) && result.right).toBe(circle);
  });

  it('reports the failing field of a known variant, not every member', () => {
    const result = Shape.decode({ type: 'square', side: 'wide' });
    expect(isLeft(result)).toBe(true);
    if (isLeft(result)) {
      expect(result.left).toHaveLength(1);
      expect(describeValidationErrors(result.left)).toMatchObject({ path: 'side', expected: 'number', actual: 'wide' });
    }
  });

  it('lets any object with an unknown string type through unchanged', () => {
    fc.assert(
      fc.property(
        fc.string().filter((type) => type !== 'circle' && type !== 'square'),
        fc.dictionary(fc.string(), fc.jsonValue()),
        (type, extra) => {
          const value = { ...extra, type };
          const result = Shape.decode(value);
          return isRight(result) && result.right === value && Shape.is(value);
        },
      ),
      { seed: 7, numRuns: 200 },
    );
  });

  it('finds nothing for tags that are Object.prototype keys', () => {
    for (const type of ['constructor', '__proto__', 'toString', 'hasOwnProperty']) {
      const value = JSON.parse(`{"type":${JSON.stringify(type)}}`) as unknown;
      expect(Shape.decode(value)).toEqual({ _tag: 'Right', right: value });
    }
  });

  it('rejects values that are not objects with a string type', () => {
    for (const value of [null, 3, 'circle', [], {}, { type: 1 }, { kind: 'circle' }]) {
      expect(isLeft(Shape.decode(value))).toBe(true);
      expect(Shape.is(value)).toBe(false);
    }
    const result = Shape.decode({ radius: 1 });
    if (isLeft(result)) expect(describeValidationErrors(result.left)).toMatchObject({ path: 'type', expected: 'string' });
  });

  it('checks known variants in is()', () => {
    expect(Shape.is({ type: 'circle', radius: 1 })).toBe(true);
    expect(Shape.is({ type: 'circle', radius: '1' })).toBe(false);
  });

  it('encodes known variants with their codec and unknown ones as they are', () => {
    const unknownShape = { type: 'hexagon', sides: 6 } as unknown as Shape;
    expect(Shape.encode(unknownShape)).toBe(unknownShape);
    expect(Shape.encode({ type: 'circle', radius: 1 })).toEqual({ type: 'circle', radius: 1 });
  });

  it('narrows on type statically', () => {
    const area = (shape: Shape): number => {
      switch (shape.type) {
        case 'circle':
          return Math.PI * shape.radius ** 2;
        case 'square':
          return shape.side ** 2;
        default:
          return 0;
      }
    };
    expect(area({ type: 'square', side: 3 })).toBe(9);
  });

  it('exposes its members', () => {
    expect(Object.keys(Shape.members)).toEqual(['circle', 'square']);
  });
});
