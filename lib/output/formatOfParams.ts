import type { JSONOutputFormat } from '../schema/params';
import type { OutputFormatLike, StructuredOutputFormat } from './StructuredOutputFormat';

/**
 * The `json_schema` output format of request params (`output_config.format`), if any; other
 * kinds of format and malformed params give `undefined`.
 *
 * @param params The request params, as the caller passed them.
 * @return The format.
 */
export function formatOfParams(params: unknown): OutputFormatLike | undefined {
  const config = (params as { output_config?: { format?: unknown } | null } | null | undefined)?.output_config;
  const format = typeof config === 'object' && config !== null ? config.format : undefined;
  return typeof format === 'object' && format !== null && (format as { type?: unknown }).type === 'json_schema' ? (format as JSONOutputFormat) : undefined;
}

/**
 * The output type a request's params give `messages.parse()`: the `T` of a
 * `StructuredOutputFormat<T>` in `output_config.format`, `unknown` for a plain JSON Schema
 * format, `null` without a format.
 *
 * ## Example
 * ```ts
 * const format = outputFormat(t.type({ city: t.string }));
 * const request = { ...params, output_config: { format } };
 * const city: OutputOfParams<typeof request> = { city: 'Paris' };
 * ```
 */
export type OutputOfParams<P> = P extends { readonly output_config?: infer C } ? OutputOfConfig<NonNullable<C>> : null;

type OutputOfConfig<C> = C extends { readonly format?: infer F } ? OutputOfFormat<NonNullable<F>> : null;

/** `[F] extends [never]`: no format at all; `0 extends 1 & F`: a format typed `any`. */
type OutputOfFormat<F> = [F] extends [never] ? null : 0 extends 1 & F ? unknown : F extends StructuredOutputFormat<infer T> ? T : unknown;
