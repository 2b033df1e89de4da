/**
 * A value of `T` as far as it has streamed: every object field may still be missing, an array
 * holds the elements that have started (the last one perhaps partial), and a string is as much
 * of it as has arrived, so a field typed as a union of string literals is a `string` here (it
 * reads `"cel"` before `"celsius"`). A number shows its last complete value while it grows (`2`,
 * `21`, `21` again at `21.`, then `21.5`), from its first digit on; booleans and `null` appear
 * only once they are whole.
 *
 * ## Example
 * ```ts
 * type Review = { title: string; stars: number; tags: string[]; units: 'metric' | 'imperial' };
 * const partial: DeepPartial<Review> = { title: 'Gre', tags: ['fast', 'cl'], units: 'met' };
 * ```
 *
 * @see partialOutput
 */
export type DeepPartial<T> = T extends string
  ? string
  : T extends number | boolean | null | undefined
    ? T
    : T extends ReadonlyArray<infer U>
      ? T extends unknown[]
        ? DeepPartial<U>[]
        : ReadonlyArray<DeepPartial<U>>
      : T extends object
        ? { [K in keyof T]?: DeepPartial<T[K]> }
        : T;
