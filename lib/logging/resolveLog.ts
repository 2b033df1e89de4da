import { environmentVariable } from '../client/environment';
import { LOG_LEVELS, type ClientLog, type Logger, type LogLevel } from './Logger';

const isLevel = (value: string): value is LogLevel => Object.prototype.hasOwnProperty.call(LOG_LEVELS, value);

/**
 * The logger and level of a client: `logLevel` when given, else the `ANTHROPIC_LOG` environment
 * variable, else `'warn'` (the official SDK's order and default); `logger` when given, else
 * `console`. An `ANTHROPIC_LOG` that names no level is ignored, with a warning on the logger
 * saying which levels there are (the option itself is checked by `createClient`, which refuses a
 * wrong one).
 *
 * ## Example
 * ```ts
 * resolveLog({ logLevel: 'debug' }); // { logger: console, level: 'debug' }
 * resolveLog({}); // ANTHROPIC_LOG=info → { logger: console, level: 'info' }
 * ```
 *
 * @param options The client's `logLevel` and `logger`.
 * @return The logger and the level to log at.
 */
export function resolveLog(options: { logLevel?: LogLevel | undefined; logger?: Logger | undefined }): ClientLog {
  const logger = options.logger ?? console;
  if (options.logLevel !== undefined) return { logger, level: options.logLevel };
  const fromEnvironment = environmentVariable('ANTHROPIC_LOG');
  if (fromEnvironment === undefined) return { logger, level: 'warn' };
  const level = fromEnvironment.toLowerCase();
  if (isLevel(level)) return { logger, level };
  logger.warn(`process.env['ANTHROPIC_LOG'] was set to ${JSON.stringify(fromEnvironment)}, expected one of ${JSON.stringify(Object.keys(LOG_LEVELS))}; logging at 'warn'.`);
  return { logger, level: 'warn' };
}
