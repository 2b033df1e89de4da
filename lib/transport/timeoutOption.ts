import { InvalidArgumentError } from '../errors';
import type { PhaseTimeouts } from '../recovery/RecoveryOptions';
import { kindOfValue } from './kindOfValue';

/**
 * The largest delay timers can wait (2^31 - 1 ms, about 24.8 days); a longer one fires at once.
 *
 * ## Example
 * ```ts
 * createClient({ timeout: { totalMs: MAX_TIMEOUT_MS } }); // the longest accepted
 * ```
 */
export const MAX_TIMEOUT_MS = 2_147_483_647;

/**
 * The wait for a response and between two chunks when no `timeout` (or no `idleMs`) is given: 10 minutes.
 *
 * ## Example
 * ```ts
 * attemptWait({ firstTokenMs: 5_000 }).ms === DEFAULT_TIMEOUT_MS; // true
 * ```
 */
export const DEFAULT_TIMEOUT_MS = 600_000;

const PHASES: ReadonlyArray<keyof PhaseTimeouts> = ['firstTokenMs', 'idleMs', 'totalMs'];

const isMilliseconds = (value: unknown): value is number => typeof value === 'number' && value > 0 && value <= MAX_TIMEOUT_MS;
const shown = (value: unknown): string => (typeof value === 'number' ? String(value) : kindOfValue(value));

/**
 * Checks a `timeout` option: a number of milliseconds above 0 and at most {@link MAX_TIMEOUT_MS},
 * or timeouts by phase: an object of `firstTokenMs`, `idleMs` and `totalMs`, each such a number or
 * `undefined`, and no other key. `undefined` passes (not given).
 *
 * ## Example
 * ```ts
 * checkTimeoutOption({ firstTokenMs: 5_000 }); // passes
 * checkTimeoutOption({ firstTokenMs: 0 }); // throws InvalidArgumentError: The timeout's firstTokenMs must be …
 * ```
 *
 * @param value The option as given.
 * @throws InvalidArgumentError (argument `timeout`) saying what is wrong and where.
 */
export function checkTimeoutOption(value: unknown): void {
  if (value === undefined || isMilliseconds(value)) return;
  const range = `a number of milliseconds above 0 and at most ${MAX_TIMEOUT_MS} (about 24.8 days; timers fire at once after a longer wait)`;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    // A number or a string was meant as the plain number: its message stays the one it always was.
    throw new InvalidArgumentError('timeout', `The timeout must be ${range}, not ${shown(value)}.`);
  }
  const phases = value as Record<string, unknown>;
  for (const key of Object.keys(phases)) {
    if (!(PHASES as readonly string[]).includes(key)) {
      throw new InvalidArgumentError('timeout', `The timeout has an unknown phase ${JSON.stringify(key)}: the phases are firstTokenMs, idleMs and totalMs.`);
    }
    const ms = phases[key];
    if (ms !== undefined && !isMilliseconds(ms)) throw new InvalidArgumentError('timeout', `The timeout's ${key} must be ${range}, not ${shown(ms)}.`);
  }
}

/**
 * The phases of a `timeout` option: the object itself, or `undefined` for a plain number (or none).
 *
 * ## Example
 * ```ts
 * phasesOf({ idleMs: 30_000 }); // { idleMs: 30000 }
 * phasesOf(60_000); // undefined
 * ```
 */
export function phasesOf(timeout: number | PhaseTimeouts | undefined): PhaseTimeouts | undefined {
  return typeof timeout === 'object' && timeout !== null ? timeout : undefined;
}

/**
 * How one HTTP attempt watches for silence: how long it may wait (`ms`), whether the response
 * headers restart the wait (`headersCount`: the plain number's meaning), and the phase its
 * `APITimeoutError` names (`'idle'` for `idleMs`; none for the plain number or the default).
 *
 * ## Example
 * ```ts
 * attemptWait(60_000); // { ms: 60000, headersCount: true, phase: undefined }
 * attemptWait({ idleMs: 5_000 }); // { ms: 5000, headersCount: false, phase: 'idle' }
 * ```
 */
export function attemptWait(timeout: number | PhaseTimeouts): { readonly ms: number; readonly headersCount: boolean; readonly phase: 'idle' | undefined } {
  const phases = phasesOf(timeout);
  if (phases === undefined) return { ms: timeout as number, headersCount: true, phase: undefined };
  if (phases.idleMs === undefined) return { ms: DEFAULT_TIMEOUT_MS, headersCount: true, phase: undefined };
  return { ms: phases.idleMs, headersCount: false, phase: 'idle' };
}

/**
 * A `timeout` option without its `totalMs`: for the requests of a stream, whose `totalMs` is
 * watched once, over all of them, by `phaseTimeouts`. Any other option is given back as it is.
 *
 * ## Example
 * ```ts
 * withoutTotalMs({ idleMs: 5_000, totalMs: 60_000 }); // { idleMs: 5000 }
 * withoutTotalMs(60_000); // 60000
 * ```
 */
export function withoutTotalMs(timeout: number | PhaseTimeouts | undefined): number | PhaseTimeouts | undefined {
  const phases = phasesOf(timeout);
  if (phases?.totalMs === undefined) return timeout;
  const { totalMs: _watchedAbove, ...others } = phases;
  return others;
}
