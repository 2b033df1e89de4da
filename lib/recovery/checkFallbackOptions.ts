import { InvalidArgumentError } from '../errors';
import { kindOfValue } from '../transport/kindOfValue';
import type { FallbackTrigger } from './RecoveryOptions';

/**
 * The triggers `fallback.on` may list; both when it is not given.
 *
 * ## Example
 * ```ts
 * const on = new Set(options.on ?? FALLBACK_TRIGGERS); // 'refusal' and 'overloaded'
 * ```
 */
export const FALLBACK_TRIGGERS: readonly FallbackTrigger[] = ['refusal', 'overloaded'];

function refuse(message: string): never {
  throw new InvalidArgumentError('fallback', message);
}

const shown = (value: unknown): string => (typeof value === 'string' ? JSON.stringify(value) : kindOfValue(value));

/**
 * Checks a `fallback` option, the client's (at `createClient`) or a request's (at subscribe):
 * `undefined` is none; otherwise an object whose `models` is a non-empty array of non-empty
 * strings (the models to try, in order, after the request's own) and whose `on`, when given, is
 * an array of `'refusal'` and `'overloaded'` (an empty one never falls back).
 *
 * ## Example
 * ```ts
 * checkFallbackOptions({ models: ['claude-opus-4-5'], on: ['refusal'] }); // passes
 * checkFallbackOptions({ models: [] }); // throws InvalidArgumentError: The fallback's models must be a non-empty array …
 * ```
 *
 * @param value The option as given.
 * @throws InvalidArgumentError with `argument` `'fallback'`, saying what was wrong and where.
 */
export function checkFallbackOptions(value: unknown): void {
  if (value === undefined) return;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    refuse(`The fallback option must be an object such as { models: ['claude-opus-4-5'], on: ['refusal', 'overloaded'] }, not ${kindOfValue(value)}.`);
  }
  const { models, on } = value as { models?: unknown; on?: unknown };
  if (!Array.isArray(models) || models.length === 0) {
    refuse(`The fallback's models must be a non-empty array of model names, tried in order after the request's own, not ${Array.isArray(models) ? 'an empty array' : kindOfValue(models)}.`);
  }
  models.forEach((model: unknown, index) => {
    if (typeof model !== 'string' || model.trim() === '') refuse(`The fallback's models[${index}] must be a non-empty model name, not ${shown(model)}.`);
  });
  if (on === undefined) return;
  if (!Array.isArray(on)) refuse(`The fallback's on must be an array of 'refusal' and 'overloaded', not ${kindOfValue(on)}.`);
  on.forEach((trigger: unknown, index) => {
    if (!FALLBACK_TRIGGERS.includes(trigger as FallbackTrigger)) refuse(`The fallback's on[${index}] must be 'refusal' or 'overloaded', not ${shown(trigger)}.`);
  });
}
