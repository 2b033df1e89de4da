import type { ToolInputBuffer } from './ToolInputBuffer';

/** What a lazy property reads: a tool input at one point of its stream, then the value once read. */
interface LazyInputSource {
  buffer: ToolInputBuffer | undefined;
  readonly length: number;
  value: unknown;
}

/** The key of each object's source: not enumerable, so spread, `JSON.stringify` and `toEqual` never see it. */
const SOURCE: unique symbol = Symbol('rx-anthropic lazy tool input');

type WithSource = { readonly [SOURCE]: LazyInputSource };

function readLazyInput(this: WithSource): unknown {
  const source = this[SOURCE];
  if (source.buffer !== undefined) {
    source.value = source.buffer.snapshotAt(source.length);
    // Read once, kept: the buffer (and everything it holds) is no longer needed by this object.
    source.buffer = undefined;
  }
  return source.value;
}

/**
 * One frozen descriptor for every lazy property: the getter is shared and finds its source on
 * the object it is read from, so defining one creates no function and no accessor pair, and V8
 * keeps the objects in fast mode on one map (a getter in an object literal gives every object
 * its own closure and accessor pair, and sends the objects to dictionary mode).
 */
const LAZY_INPUT: PropertyDescriptor = Object.freeze({ get: readLazyInput, enumerable: true, configurable: true });

/**
 * Whether the lazy property of `target`, an object given to {@link defineLazyInput}, has been read.
 *
 * ## Example
 *
 * ```ts
 * const event = defineLazyInput({ type: 'input_json' }, 'snapshot', buffer);
 * isLazyInputRead(event); // false
 * void (event as { snapshot?: unknown }).snapshot;
 * isLazyInputRead(event); // true
 * ```
 *
 * @param target An object given to `defineLazyInput`.
 * @return Whether its property was read.
 */
export function isLazyInputRead(target: object): boolean {
  return (target as WithSource)[SOURCE].buffer === undefined;
}

/**
 * Defines `target[key]` as the tool input as it stands now in `buffer`, computed on the first
 * read and the same value on every read after, however late.
 *
 * The property is an own, enumerable accessor, so spread, `Object.keys`, `JSON.stringify` and
 * `toEqual` see it as a plain property whose value is the input at this point of the stream: a
 * read after later deltas still gives the value as of this point (the buffer parses the prefix
 * again for it), and reading it never changes what another object's property gives.
 *
 * ## Example
 *
 * ```ts
 * const buffer = new ToolInputBuffer({});
 * buffer.push('{"city": "Pa');
 * const event = defineLazyInput({ type: 'input_json', partial_json: '{"city": "Pa' }, 'snapshot', buffer);
 * buffer.push('ris"}');
 * event.snapshot; // { city: 'Pa' }
 * ```
 *
 * @param target The object to define the property on (returned, now with the property).
 * @param key The property's name (`input` of a block, `snapshot` of an `input_json` event).
 * @param buffer The tool input; the property reads it at its current length.
 * @return `target`.
 */
export function defineLazyInput<T extends object>(target: T, key: string, buffer: ToolInputBuffer): T {
  const source: LazyInputSource = { buffer, length: buffer.length, value: undefined };
  Object.defineProperty(target, SOURCE, { value: source });
  Object.defineProperty(target, key, LAZY_INPUT);
  return target;
}
