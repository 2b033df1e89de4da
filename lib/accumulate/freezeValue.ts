/**
 * Whether values are frozen: everywhere but in production (`NODE_ENV=production`), read once,
 * when the library loads. Freezing costs 10–40% of a stream's CPU time on the benchmark's
 * workloads (an `Object.freeze` or two per event and one per new node of a partial value, tens
 * of nanoseconds each, against ~1–2 µs per event), so, as React does with its elements, it
 * catches the writes in development and tests and does no freezing in production. Written as
 * `process.env.NODE_ENV` so that bundlers replace it; in a browser without one, `process` does
 * not exist and values are frozen.
 */
const FREEZES = !isProduction();

function isProduction(): boolean {
  try {
    return process.env.NODE_ENV === 'production';
  } catch {
    return false;
  }
}

/**
 * Whether the library freezes the values it hands out: `true` unless `NODE_ENV` was
 * `production` when the library was loaded.
 *
 * ## Example
 *
 * ```ts
 * if (freezesValues()) Object.isFrozen(snapshot); // true
 * ```
 *
 * @return Whether values are frozen.
 */
export function freezesValues(): boolean {
  return FREEZES;
}

/**
 * Freezes an object or array that the library has just built, before anyone else holds it (see
 * {@link freezesValues}: not in production): the one place that decides whether snapshots are
 * frozen.
 *
 * Snapshots are shared (by every subscriber of a shared source, and between successive
 * snapshots, which reuse what did not change), so a consumer that wrote to one would change
 * what others read; frozen, such a write throws a `TypeError` in strict mode (every ES module)
 * and does nothing elsewhere. The object's own properties are frozen, not what they hold: the
 * values it holds are frozen where they were built, so a new snapshot costs one freeze per new
 * object, never a walk of the whole value.
 *
 * ## Example
 *
 * ```ts
 * const snapshot = freezeValue({ ...fields, content });
 * snapshot.id = 'x'; // TypeError: Cannot assign to read only property 'id' of object
 * ```
 *
 * @param value A new object or array.
 * @return `value`, frozen.
 * @see deepFreeze
 */
export function freezeValue<T extends object>(value: T): T {
  return FREEZES ? Object.freeze(value) : value;
}

/**
 * Freezes a value and every plain object and array in it that is not frozen yet: for values the
 * library takes from elsewhere (a decoded event, `JSON.parse`'s result, an event from the user's
 * own source) and hands out in its snapshots (not in production, as {@link freezeValue}).
 *
 * An object already frozen is taken as frozen all the way down (the library freezes every value
 * it builds so), which makes freezing again O(1) and never reads a lazy property (the tool input
 * of a block, the `snapshot` of an `input_json` event: both frozen when made). Only plain objects
 * (of any realm) and arrays are frozen: an instance of a class (a `Date` or a `Map` a codec made,
 * say) is left as it is, since its own methods may need to change it.
 *
 * ## Example
 *
 * ```ts
 * const event = deepFreeze(JSON.parse(data));
 * event.delta.text = 'x'; // TypeError
 * ```
 *
 * @param value Any value; primitives are returned as they are.
 * @return `value`, frozen with what it holds.
 * @see freezeValue
 */
export function deepFreeze<T>(value: T): T {
  if (FREEZES && typeof value === 'object' && value !== null) freezeTree(value);
  return value;
}

function freezeTree(value: object): void {
  if (Object.isFrozen(value)) return;
  if (Array.isArray(value)) {
    Object.freeze(value);
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      if (typeof item === 'object' && item !== null) freezeTree(item);
    }
    return;
  }
  if (!isPlainObject(value)) return;
  Object.freeze(value);
  for (const key in value) {
    const child: unknown = (value as Record<string, unknown>)[key];
    if (typeof child === 'object' && child !== null) freezeTree(child);
  }
}

/**
 * An object literal or a `JSON.parse` object, from this realm or another (jest's, a worker's):
 * its prototype is a root prototype.
 */
function isPlainObject(value: object): boolean {
  const prototype = Object.getPrototypeOf(value) as object | null;
  return prototype === null || Object.getPrototypeOf(prototype) === null;
}
