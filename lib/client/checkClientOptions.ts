import { InvalidArgumentError } from '../errors';
import { kindOfValue } from '../transport/kindOfValue';
import { checkFallbackOptions } from '../recovery/checkFallbackOptions';
import type { ClientOptions } from './ClientOptions';
import { checkTimeoutOption } from '../transport/timeoutOption';
import { checkHedgeOption } from '../recovery/checkHedgeOption';

export { MAX_TIMEOUT_MS } from '../transport/timeoutOption';

const given = (value: unknown): boolean => value !== undefined;

function refuse(argument: string, message: string): never {
  throw new InvalidArgumentError(argument, message);
}

function checkCredential(name: 'apiKey' | 'authToken', value: unknown): void {
  if (value === undefined || value === null) return;
  if (typeof value !== 'string') {
    refuse(name, `The ${name} must be a string (or null for none), not ${kindOfValue(value)}: it would be sent as the text of that value.`);
  }
  // An empty or blank string (a variable read as '') is no credential, as an unset
  // ANTHROPIC_API_KEY is: a client aimed at the API then fails at subscribe (missingCredentials).
}

function checkWholeNumber(name: string, value: unknown, minimum: number, what: string): void {
  if (!given(value)) return;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < minimum) {
    const shown = typeof value === 'number' ? String(value) : kindOfValue(value);
    refuse(name, `The ${name} must be a whole number of at least ${minimum} (${what}), not ${shown}.`);
  }
}

function checkDefaultHeaders(value: unknown): void {
  if (!given(value)) return;
  if (typeof value !== 'object' || value === null || Array.isArray(value) || (typeof Headers !== 'undefined' && value instanceof Headers)) {
    const hint = typeof Headers !== 'undefined' && value instanceof Headers ? ' (from a Headers object: Object.fromEntries(headers))' : '';
    refuse('defaultHeaders', `The defaultHeaders must be a plain object of header names and string values${hint}, not ${kindOfValue(value)}.`);
  }
  for (const [name, header] of Object.entries(value)) {
    if (header !== null && header !== undefined && typeof header !== 'string') {
      refuse('defaultHeaders', `The defaultHeaders' ${JSON.stringify(name)} is ${kindOfValue(header)}: header values are strings (null removes a default header).`);
    }
  }
}

/**
 * Checks the types and ranges of the options of `createClient`, where a wrong one would
 * otherwise misbehave quietly (`apiKey: 123` sent as `"123"`, `dangerouslyAllowBrowser: 'false'`
 * taken as true, a `timeout` of `Infinity` firing at once) or fail much later as something else.
 *
 * `undefined` means "not given" for every option, and `null` does too for `apiKey`,
 * `authToken` (no credential) and `baseURL` (the default). What is checked: `apiKey` and
 * `authToken` are non-empty strings; `baseURL` is a string (its content is checked by
 * `createClient`); `maxRetries` and `continueOnDrop` whole numbers ≥ 0; `timeout` a number of milliseconds above 0
 * and at most {@link MAX_TIMEOUT_MS}, or timeouts by phase (`firstTokenMs`, `idleMs`, `totalMs`,
 * each such a number; no other key); `hedge` an object with `afterMs` such a number and an optional
 * `model` string; `fetch` a function; `defaultHeaders` a plain object of
 * strings (or null); `dangerouslyAllowBrowser` a boolean; `scheduler` has `schedule` and `now`;
 * `maxEventSize` a whole number ≥ 1; `rateLimit` `'respect'` or `'ignore'`; `resumeStreams` a boolean; `limiter` has `limit`
 * and `observeResponse` functions and comes without `maxConcurrentRequests` and `rateLimit`;
 * `onWarning` is a function; `logLevel` is one of the levels; `logger` has `error`, `warn`, `info`
 * and `debug` functions; `telemetry` has `startRequest` and `startToolLoop` functions; `fallback`
 * (see `checkFallbackOptions`) has a non-empty `models` of model names and an `on` of known triggers.
 * `maxConcurrentRequests` is checked by `LocalRequestLimiter`. Values of credentials are never quoted.
 *
 * ## Example
 * ```ts
 * checkClientOptions({ maxRetries: 3 }); // passes
 * checkClientOptions({ maxRetries: -1 }); // throws InvalidArgumentError: The maxRetries must be a whole number of at least 0 …
 * ```
 *
 * @param options What was passed to `createClient`.
 * @throws InvalidArgumentError naming the first option that is wrong.
 */
export function checkClientOptions(options: unknown): asserts options is ClientOptions {
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    refuse('options', `createClient takes an options object (or nothing), not ${kindOfValue(options)}.`);
  }
  const o = options as Record<keyof ClientOptions, unknown>;
  checkCredential('apiKey', o.apiKey);
  checkCredential('authToken', o.authToken);
  if (o.baseURL !== undefined && o.baseURL !== null && typeof o.baseURL !== 'string') {
    refuse('baseURL', `The baseURL must be a string such as 'https://api.anthropic.com', not ${kindOfValue(o.baseURL)}.`);
  }
  checkWholeNumber('maxRetries', o.maxRetries, 0, 'retries after the first attempt');
  checkTimeoutOption(o.timeout);
  checkWholeNumber('continueOnDrop', o.continueOnDrop, 0, 'attempts to go on after a dropped connection');
  if (given(o.fetch) && typeof o.fetch !== 'function') refuse('fetch', `The fetch option must be a function like the global fetch, not ${kindOfValue(o.fetch)}.`);
  checkDefaultHeaders(o.defaultHeaders);
  if (given(o.dangerouslyAllowBrowser) && typeof o.dangerouslyAllowBrowser !== 'boolean') {
    refuse('dangerouslyAllowBrowser', `The dangerouslyAllowBrowser option must be true or false, not ${kindOfValue(o.dangerouslyAllowBrowser)}.`);
  }
  if (given(o.scheduler)) {
    const scheduler = o.scheduler as { schedule?: unknown; now?: unknown } | null;
    if (typeof scheduler !== 'object' || scheduler === null || typeof scheduler.schedule !== 'function' || typeof scheduler.now !== 'function') {
      refuse('scheduler', `The scheduler must be an RxJS scheduler (with schedule() and now()), such as asyncScheduler, not ${kindOfValue(o.scheduler)}.`);
    }
  }
  checkWholeNumber('maxEventSize', o.maxEventSize, 1, 'characters');
  if (given(o.resumeStreams) && typeof o.resumeStreams !== 'boolean') refuse('resumeStreams', `The resumeStreams option must be true or false, not ${kindOfValue(o.resumeStreams)}.`);
  if (given(o.rateLimit) && o.rateLimit !== 'respect' && o.rateLimit !== 'ignore') {
    const shown = typeof o.rateLimit === 'string' ? JSON.stringify(o.rateLimit) : kindOfValue(o.rateLimit);
    refuse('rateLimit', `The rateLimit option must be 'respect' or 'ignore', not ${shown}.`);
  }
  checkLimiter(o);
  if (given(o.onWarning) && typeof o.onWarning !== 'function') refuse('onWarning', `The onWarning option must be a function of (message), not ${kindOfValue(o.onWarning)}.`);
  checkObservability(o);
  checkFallbackOptions(o.fallback);
  checkHedgeOption(o.hedge);
}

const LEVELS = ['off', 'error', 'warn', 'info', 'debug'];

function hasFunctions(value: unknown, names: readonly string[]): boolean {
  return typeof value === 'object' && value !== null && names.every((name) => typeof (value as Record<string, unknown>)[name] === 'function');
}

function checkObservability(o: Record<keyof ClientOptions, unknown>): void {
  if (given(o.logLevel) && !(typeof o.logLevel === 'string' && LEVELS.includes(o.logLevel))) {
    const shown = typeof o.logLevel === 'string' ? JSON.stringify(o.logLevel) : kindOfValue(o.logLevel);
    refuse('logLevel', `The logLevel option must be one of ${LEVELS.map((level) => `'${level}'`).join(', ')}, not ${shown}.`);
  }
  if (given(o.logger) && !hasFunctions(o.logger, ['error', 'warn', 'info', 'debug'])) {
    refuse('logger', `The logger option must be an object with error, warn, info and debug functions (such as console), not ${kindOfValue(o.logger)}.`);
  }
  if (given(o.telemetry) && !hasFunctions(o.telemetry, ['startRequest', 'startToolLoop'])) {
    refuse('telemetry', `The telemetry option must be a Telemetry, such as openTelemetry() from rx-anthropic/otel, not ${kindOfValue(o.telemetry)}.`);
  }
}

function checkLimiter(o: Record<keyof ClientOptions, unknown>): void {
  if (!given(o.limiter)) return;
  const limiter = o.limiter as { limit?: unknown; observeResponse?: unknown } | null;
  if (typeof limiter !== 'object' || limiter === null || typeof limiter.limit !== 'function' || typeof limiter.observeResponse !== 'function') {
    refuse('limiter', `The limiter must be a RequestLimiter, an object with limit(request$) and observeResponse(info) functions (a LocalRequestLimiter, a redisRequestLimiter), not ${kindOfValue(o.limiter)}.`);
  }
  // Both would silently lose: the limiter's own options decide its limit and its rate-limit handling.
  const alongside = (['maxConcurrentRequests', 'rateLimit'] as const).filter((name) => given(o[name]));
  if (alongside.length > 0) {
    const names = alongside.join(' and ');
    refuse(
      `limiter, ${alongside.join(', ')}`,
      `The limiter option cannot be given with ${names}: the limiter's own options set its limit and rate-limit handling. ` +
        `Pass either limiter, or ${names} (which build a LocalRequestLimiter).`,
    );
  }
}
