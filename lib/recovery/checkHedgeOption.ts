import { InvalidArgumentError } from '../errors';
import { kindOfValue } from '../transport/kindOfValue';
import { MAX_TIMEOUT_MS } from '../transport/timeoutOption';

const KEYS = ['afterMs', 'model'];

/**
 * Checks a `hedge` option: `undefined` (none), or `{ afterMs, model? }` with `afterMs` a number
 * of milliseconds above 0 and at most 2^31 - 1, `model` a non-empty string when given, and no
 * other key.
 *
 * ## Example
 * ```ts
 * checkHedgeOption({ afterMs: 2_000, model: 'claude-sonnet-4-6' }); // passes
 * checkHedgeOption({ afterMs: 0 }); // throws InvalidArgumentError: The hedge's afterMs must be …
 * ```
 *
 * @param value The option as given.
 * @throws InvalidArgumentError (argument `hedge`) saying what is wrong and where.
 */
export function checkHedgeOption(value: unknown): void {
  if (value === undefined) return;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new InvalidArgumentError('hedge', `The hedge option must be an object such as { afterMs: 2000 } (and an optional model), not ${kindOfValue(value)}.`);
  }
  const hedge = value as Record<string, unknown>;
  for (const key of Object.keys(hedge)) {
    if (!KEYS.includes(key)) throw new InvalidArgumentError('hedge', `The hedge option has an unknown key ${JSON.stringify(key)}: it takes afterMs and model.`);
  }
  const { afterMs, model } = hedge;
  if (!(typeof afterMs === 'number' && afterMs > 0 && afterMs <= MAX_TIMEOUT_MS)) {
    const shown = typeof afterMs === 'number' ? String(afterMs) : kindOfValue(afterMs);
    throw new InvalidArgumentError('hedge', `The hedge's afterMs must be a number of milliseconds above 0 and at most ${MAX_TIMEOUT_MS}, not ${shown}.`);
  }
  if (model !== undefined && !(typeof model === 'string' && model.trim() !== '')) {
    throw new InvalidArgumentError('hedge', `The hedge's model must be a model name such as 'claude-sonnet-4-6' (or left out for the request's own), not ${typeof model === 'string' ? 'an empty string' : kindOfValue(model)}.`);
  }
}
