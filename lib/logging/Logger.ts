/**
 * Where a client's log lines go: an object with one function per level, as `console` has (the
 * official SDK's `Logger`). Each is called with a message and, at `debug`, a details object.
 *
 * ## Example
 * ```ts
 * const logger: Logger = { error: console.error, warn: console.warn, info: console.info, debug: console.debug };
 * createClient({ logger, logLevel: 'info' });
 * ```
 */
export interface Logger {
  /** A line at `'error'`. */
  error(message: string, ...rest: unknown[]): void;
  /** A line at `'warn'`: an `ANTHROPIC_LOG` that names no level. */
  warn(message: string, ...rest: unknown[]): void;
  /** A line at `'info'`: each response, retry and final failure. */
  info(message: string, ...rest: unknown[]): void;
  /** A line at `'debug'`: each request before it is sent and each response's headers, with details. */
  debug(message: string, ...rest: unknown[]): void;
}

/**
 * How much a client logs, from nothing (`'off'`) to everything (`'debug'`): each level logs its
 * own lines and those of the levels before it. The official SDK's levels; its default, `'warn'`.
 *
 * ## Example
 * ```ts
 * const level: LogLevel = 'debug'; // or ANTHROPIC_LOG=debug in the environment
 * createClient({ logLevel: level });
 * ```
 */
export type LogLevel = 'off' | 'error' | 'warn' | 'info' | 'debug';

/**
 * The levels, each with its rank: a line is logged when its rank is at most the client's level's.
 *
 * ## Example
 * ```ts
 * LOG_LEVELS.info <= LOG_LEVELS.debug; // true: a client at 'debug' logs 'info' lines
 * ```
 */
export const LOG_LEVELS: Readonly<Record<LogLevel, number>> = { off: 0, error: 200, warn: 300, info: 400, debug: 500 };

/**
 * A client's logger with the level it logs at, as the transport keeps it.
 *
 * ## Example
 * ```ts
 * const log: ClientLog = { logger: console, level: 'info' };
 * ```
 */
export interface ClientLog {
  readonly logger: Logger;
  readonly level: LogLevel;
}

/**
 * Whether a client that logs at `log.level` writes lines of `level`.
 *
 * ## Example
 * ```ts
 * if (logs(config.log, 'debug')) config.log.logger.debug('sending request', details);
 * ```
 */
export function logs(log: ClientLog | undefined, level: Exclude<LogLevel, 'off'>): log is ClientLog {
  return log !== undefined && LOG_LEVELS[level] <= LOG_LEVELS[log.level];
}
