import { APIConnectionError, APIError, APITimeoutError, APIUserAbortError, InvalidArgumentError } from '../errors';
import type { RequestObserver } from '../transport/HttpRequest';
import { redactURLCredentials } from '../transport/redactURLCredentials';
import { logs, type ClientLog } from './Logger';
import { redactHeaders } from './redactHeaders';

/** A local id that ties the lines of one request together (not the API's request id). */
const newLogId = (): string => `log_${((Math.random() * 0x1000000) | 0).toString(16).padStart(6, '0')}`;

/**
 * The log lines of one request, as an observer of its attempts; `undefined` when the client logs
 * below `'info'`, so that such a request costs nothing.
 *
 * The lines follow the official SDK's. At `'info'`: each response (`[log_1a2b3c] POST
 * https://api.anthropic.com/v1/messages succeeded with status 200 in 312ms, request-id: "req_…"`),
 * each retry with its reason and wait (`… failed with status 529 (overloaded_error) in 20ms -
 * retrying in 480ms (retry 1 of 2)`), and a final failure (`- error; no more retries left`,
 * `not retryable`, or `not retried after the body began`). At `'debug'` also the request before it is sent (method, URL, attempt,
 * headers) and each response's status and headers. Headers that carry credentials are `***`
 * ({@link redactHeaders}), a URL's `user:password@` is removed, and neither the request's body
 * (its messages, its system prompt) nor a response's body is ever logged: an API error is told by
 * its status, type and message.
 *
 * ## Example
 * ```ts
 * sendRequest(config, request, options, requestLog(config.log, 'POST', url));
 * ```
 *
 * @param log The client's logger and level.
 * @param method The request's method.
 * @param url The request's URL.
 * @return The observer that logs, or `undefined`.
 */
export function requestLog(log: ClientLog | undefined, method: string, url: string): RequestObserver | undefined {
  if (!logs(log, 'info')) return undefined;
  const { logger } = log;
  const debug = logs(log, 'debug');
  const id = newLogId();
  const shownURL = redactURLCredentials(url);
  let startedAt = Date.now();
  const elapsed = (): number => Date.now() - startedAt;

  const describe = (error: unknown): string => {
    if (error instanceof APIError && error.status !== undefined) {
      const requestId = error.requestId === undefined ? '' : `, request-id: ${JSON.stringify(error.requestId)}`;
      return `${method} ${shownURL} failed with status ${error.status}${error.type ? ` (${error.type})` : ''} in ${elapsed()}ms${requestId}`;
    }
    if (error instanceof APITimeoutError) return `${method} ${shownURL} timed out after ${elapsed()}ms`;
    if (error instanceof APIUserAbortError) return `${method} ${shownURL} was aborted after ${elapsed()}ms`;
    // Only messages known to hold no content: a decode error, for one, quotes what it could not read.
    const name = error instanceof Error ? error.name : typeof error;
    const message = error instanceof APIConnectionError || error instanceof InvalidArgumentError ? `: ${error.message}` : '';
    return `${method} ${shownURL} failed in ${elapsed()}ms: ${name}${message}`;
  };

  return {
    attemptStarted: ({ attempt, headers }) => {
      startedAt = Date.now();
      if (debug) logger.debug(`[${id}] sending request`, { method, url: shownURL, attempt, headers: redactHeaders(headers) });
    },
    responded: ({ status, headers, requestId }) => {
      if (status >= 200 && status < 300) {
        const shownId = requestId === undefined ? '' : `, request-id: ${JSON.stringify(requestId)}`;
        logger.info(`[${id}] ${method} ${shownURL} succeeded with status ${status} in ${elapsed()}ms${shownId}`);
      }
      if (debug) logger.debug(`[${id}] response start`, { url: shownURL, status, headers: redactHeaders(headers), durationMs: elapsed() });
    },
    retrying: ({ attempt, error, delayMs, retriesLeft }) => {
      logger.info(`[${id}] ${describe(error)} - retrying in ${Math.round(delayMs)}ms (retry ${attempt + 1} of ${attempt + 1 + retriesLeft})`);
    },
    failed: ({ error, retryable, bodyStarted }) => {
      if (error instanceof APIUserAbortError) {
        if (debug) logger.debug(`[${id}] ${describe(error)}`);
        return;
      }
      const why = bodyStarted ? 'not retried after the body began' : retryable ? 'no more retries left' : 'not retryable';
      logger.info(`[${id}] ${describe(error)} - error; ${why}`);
    },
  };
}
