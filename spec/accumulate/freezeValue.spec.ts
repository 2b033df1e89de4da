import { deepFreeze, freezeValue, freezesValues } from '../../lib/accumulate/freezeValue';

type FreezeModule = typeof import('../../lib/accumulate/freezeValue');
type SchemaModule = typeof import('../../lib/schema/decodeEvents');

/** The library's modules loaded afresh, with `process` as `setUp` leaves it while they load. */
function loadedWith(setUp: () => () => void): { freeze: FreezeModule; schema: SchemaModule } {
  const restore = setUp();
  try {
    let loaded: { freeze: FreezeModule; schema: SchemaModule } | undefined;
    jest.isolateModules(() => {
      loaded = { freeze: require('../../lib/accumulate/freezeValue') as FreezeModule, schema: require('../../lib/schema/decodeEvents') as SchemaModule };
    });
    return loaded as { freeze: FreezeModule; schema: SchemaModule };
  } finally {
    restore();
  }
}

const nodeEnv = (value: string | undefined) => () => {
  const before = process.env['NODE_ENV'];
  if (value === undefined) delete process.env['NODE_ENV'];
  else process.env['NODE_ENV'] = value;
  return () => {
    if (before === undefined) delete process.env['NODE_ENV'];
    else process.env['NODE_ENV'] = before;
  };
};

const TEXT_DELTA = { event: 'content_block_delta', data: '{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Hi"}}', id: undefined };

describe('freezeValue() and deepFreeze()', () => {
  it('freezeValue() freezes the object it is given, not what it holds', () => {
    const inner = { a: 1 };
    const outer = freezeValue({ inner });
    expect(Object.isFrozen(outer)).toBe(true);
    expect(Object.isFrozen(inner)).toBe(false);
  });

  it('deepFreeze() freezes every plain object and array, and returns primitives as they are', () => {
    const value = deepFreeze({ list: [{ a: [1, { b: null }] }], nested: { deeper: { x: 'y' } }, none: Object.create(null) as object });
    expect(Object.isFrozen(value.list[0]?.a[1])).toBe(true);
    expect(Object.isFrozen(value.nested.deeper)).toBe(true);
    expect(Object.isFrozen(value.none)).toBe(true);
    expect(deepFreeze('text')).toBe('text');
    expect(deepFreeze(null)).toBeNull();
  });

  it('deepFreeze() leaves class instances (a Date, a Map, an instance of a class) as they are, so their methods still work', () => {
    class Counter {
      count = 0;
      add(): void {
        this.count += 1;
      }
    }
    const value = deepFreeze({ when: new Date(0), index: new Map([['a', 1]]), counter: new Counter() });
    value.when.setTime(1000);
    value.index.set('b', 2);
    value.counter.add();
    expect([value.when.getTime(), value.index.size, value.counter.count]).toEqual([1000, 2, 1]);
    expect(Object.isFrozen(value)).toBe(true);
  });

  it('deepFreeze() takes a frozen object as frozen all the way down: it does not walk it, so a lazy property is not read', () => {
    const read = jest.fn(() => ({ late: true }));
    const lazy = Object.freeze(Object.defineProperty({}, 'input', { get: read, enumerable: true }));
    deepFreeze({ block: lazy });
    expect(read).not.toHaveBeenCalled();
  });

  it('freezes in tests and development', () => {
    expect(process.env['NODE_ENV']).not.toBe('production');
    expect(freezesValues()).toBe(true);
    expect(loadedWith(nodeEnv(undefined)).freeze.freezesValues()).toBe(true);
    expect(loadedWith(nodeEnv('development')).freeze.freezesValues()).toBe(true);
  });

  it('does not freeze when NODE_ENV is production at load: values are the same, only not frozen', () => {
    const { freeze, schema } = loadedWith(nodeEnv('production'));
    expect(freeze.freezesValues()).toBe(false);
    expect(Object.isFrozen(freeze.freezeValue({ a: 1 }))).toBe(false);
    const event = schema.decodeEvent(TEXT_DELTA);
    expect(event).toEqual({ type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'Hi' } });
    expect(Object.isFrozen(event)).toBe(false);
  });

  it('reads NODE_ENV once, when the library loads', () => {
    const { freeze } = loadedWith(nodeEnv('development'));
    const restore = nodeEnv('production')();
    try {
      expect(Object.isFrozen(freeze.freezeValue({ a: 1 }))).toBe(true);
    } finally {
      restore();
    }
  });

  it('freezes where there is no `process` (a browser without a bundler that replaces process.env.NODE_ENV)', () => {
    const scope = globalThis as { process?: unknown };
    const { freeze } = loadedWith(() => {
      const real = scope.process;
      scope.process = undefined;
      return () => {
        scope.process = real;
      };
    });
    expect(freeze.freezesValues()).toBe(true);
  });
});
