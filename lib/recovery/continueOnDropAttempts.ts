import { InvalidArgumentError } from '../errors';
import { kindOfValue } from '../transport/kindOfValue';

/**
 * The number of attempts a `continueOnDrop` value allows: 0 when it is not given, the value
 * itself when it is a whole number of at least 0.
 *
 * ## Example
 * ```ts
 * continueOnDropAttempts(3); // 3
 * continueOnDropAttempts(undefined); // 0
 * continueOnDropAttempts(-1); // throws InvalidArgumentError: The continueOnDrop option must be a whole number of at least 0 …
 * ```
 *
 * @param value The option as given, the request's over the client's.
 * @return The attempts.
 * @throws InvalidArgumentError naming `continueOnDrop` when the value is anything else.
 */
export function continueOnDropAttempts(value: unknown): number {
  if (value === undefined) return 0;
  if (typeof value === 'number' && Number.isInteger(value) && value >= 0) return value;
  const shown = typeof value === 'number' ? String(value) : kindOfValue(value);
  throw new InvalidArgumentError(
    'continueOnDrop',
    `The continueOnDrop option must be a whole number of at least 0 (attempts to go on after a dropped connection), not ${shown}.`,
  );
}
