/**
 * The models the API has deprecated, each with the day it reaches its end of life (ISO
 * `YYYY-MM-DD`): after that day, requests that name it fail. The same models and days as the
 * official TypeScript SDK's list (`@anthropic-ai/sdk` 1.14.0); a spec keeps the two equal.
 *
 * Every request to `/v1/messages` (and `/v1/messages/count_tokens`) that names one of them warns
 * once per process (see `ClientOptions.onWarning`). The object is frozen: read it, do not extend it.
 *
 * ## Example
 * ```ts
 * const endOfLife = Object.hasOwn(DEPRECATED_MODELS, model) ? DEPRECATED_MODELS[model as DeprecatedModel] : undefined;
 * if (endOfLife !== undefined) console.log(`${model} retires on ${endOfLife}`); // claude-sonnet-4-5 retires on 2026-11-30
 * ```
 *
 * @see https://docs.anthropic.com/en/docs/resources/model-deprecations
 */
export const DEPRECATED_MODELS = Object.freeze({
  'claude-mythos-preview': '2026-06-30',
  'claude-opus-4-5': '2027-01-22',
  'claude-opus-4-5-20251101': '2027-01-22',
  'claude-sonnet-4-5': '2026-11-30',
  'claude-sonnet-4-5-20250929': '2026-11-30',
} as const);

/**
 * The name of a deprecated model: a key of {@link DEPRECATED_MODELS}.
 *
 * ## Example
 * ```ts
 * const retiring: DeprecatedModel = 'claude-sonnet-4-5';
 * console.log(DEPRECATED_MODELS[retiring]); // '2026-11-30'
 * ```
 */
export type DeprecatedModel = keyof typeof DEPRECATED_MODELS;
