import { DEPRECATED_MODELS, type DeprecatedModel } from '../schema/deprecatedModels';

/** Where a client's warnings go: `ClientOptions.onWarning`, else `console.warn`. */
export type WarningListener = (message: string) => void;

/** Looked up at each warning, so that a `console.warn` replaced later (a test's spy) gets it. */
const toConsole: WarningListener = (message) => console.warn(message);

/** The models each destination was warned about in this process: each hears of a model once. */
const warnedModels = new WeakMap<WarningListener, Set<string>>();

const isDeprecated = (model: string): model is DeprecatedModel => Object.prototype.hasOwnProperty.call(DEPRECATED_MODELS, model);

/**
 * The warning for a deprecated model: its name, its end of life and where to read more; or
 * `undefined` for a model that is not deprecated (a current one, or one this list does not know).
 *
 * ## Example
 * ```ts
 * deprecatedModelWarning('claude-sonnet-4-5'); // "The model 'claude-sonnet-4-5' is deprecated and reaches its end of life on 2026-11-30 …"
 * deprecatedModelWarning('claude-sonnet-4-6'); // undefined
 * ```
 */
export function deprecatedModelWarning(model: string): string | undefined {
  if (!isDeprecated(model)) return undefined;
  return (
    `The model '${model}' is deprecated and reaches its end of life on ${DEPRECATED_MODELS[model]}; after that day, requests that name it fail. ` +
    'Please migrate to a newer model. Visit https://docs.anthropic.com/en/docs/resources/model-deprecations for more information. ' +
    '(This warning is given once per model; createClient({ onWarning }) sends it elsewhere or silences it.)'
  );
}

/**
 * Warns once per model and process (for each destination) when the params of a request name a
 * deprecated model, as the official SDK warns when a request is created. Params whose `model` is
 * not a string are left to the API to judge.
 *
 * ## Example
 * ```ts
 * warnDeprecatedModel({ model: 'claude-sonnet-4-5' }); // console.warn: The model 'claude-sonnet-4-5' is deprecated …
 * warnDeprecatedModel({ model: 'claude-sonnet-4-5' }); // nothing: already said
 * ```
 *
 * @param params The params of the request (already known to be an object).
 * @param onWarning Where the warning goes. Default `console.warn`.
 */
export function warnDeprecatedModel(params: object, onWarning: WarningListener = toConsole): void {
  const model = (params as { model?: unknown }).model;
  if (typeof model !== 'string') return;
  const message = deprecatedModelWarning(model);
  if (message === undefined) return;
  let warned = warnedModels.get(onWarning);
  if (warned === undefined) warnedModels.set(onWarning, (warned = new Set()));
  if (warned.has(model)) return;
  warned.add(model);
  onWarning(message);
}
